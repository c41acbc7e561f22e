"""What the main screen's parts share: its state (the project and its snapshot, reactive), its
widgets (typed), and choosing a project or a tab. Actions and navigation build on it."""

from __future__ import annotations

from textual.reactive import reactive
from textual.screen import Screen

from checks.cluster.snapshot import Snapshot
from tui.widgets.details_pane import DetailsPane
from tui.widgets.filter_bar import FilterBar
from tui.widgets.project_list import ProjectList
from tui.widgets.resource_tabs import ResourceTabs
from tui.widgets.status_line import StatusLine


class MainParts(Screen):
    project: reactive[str | None] = reactive(None, init=False)
    snapshot: reactive[Snapshot | None] = reactive(None, always_update=True, init=False)
    _projects_in_use = True  # which list `/` filters: set with focus, not after it

    @property
    def projects(self) -> ProjectList:
        return self.query_one(ProjectList)

    @property
    def tabs(self) -> ResourceTabs:
        return self.query_one(ResourceTabs)

    @property
    def details(self) -> DetailsPane:
        return self.query_one(DetailsPane)

    @property
    def status(self) -> StatusLine:
        return self.query_one(StatusLine)

    @property
    def filter_bar(self) -> FilterBar:
        return self.query_one(FilterBar)

    def select_project(self, name: str) -> None:
        """Load a project now (the palette, enter, tests); the cursor is moved to it."""
        self.projects.point_at(name)
        self.project = name

    def action_show_tab(self, name: str) -> None:
        self.tabs.show(name)
        self._projects_in_use = False
        self.tabs.current_table().focus()
