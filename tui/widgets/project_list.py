"""The project list: a platform tag and the worst diagnosis verdict of its deployments per
project (`✗ 2` failing, `?` not judged, `…` not diagnosed yet, `⚠` warned, `✓` passed, `■`
stopped; checks.resources.fleet.LEGEND), and a message when the user settles on one."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rich.text import Text
from textual import on
from textual.message import Message
from textual.widgets import DataTable

from checks.resources import Project
from checks.resources.fleet import ProjectMark
from tui.cells import VERDICT_STYLES, platform_tag
from tui.widgets.resource_table import ResourceTable

SETTLE_SECONDS = 0.3  # scrolling through projects loads only the one the cursor rests on


class ProjectList(ResourceTable):
    # drawn whole: where the cursor rests is what opens (SETTLE_SECONDS), and a few hundred
    # projects cost little; the rest-after-the-frame is for the kinds' tables of thousands
    STAGED = False

    class Chosen(Message):
        """The user settled on a project (`opened`: with enter, to drill in)."""

        def __init__(self, name: str, opened: bool = False) -> None:
            super().__init__()
            self.name = name
            self.opened = opened

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(("", "PROJECT", ""), **kwargs)
        self._pending: str | None = None
        self._projects: list[Project] = []
        self.marks: dict[str, ProjectMark] = {}

    def set_projects(self, projects: Sequence[Project]) -> None:
        self._projects = list(projects)
        self._show()

    def set_marks(self, marks: Mapping[str, ProjectMark]) -> None:
        """Marks for every project (the fleet's rows and their verdicts); a project not in it
        has no deployments. The same marks again draw nothing (verdicts land many times)."""
        if dict(marks) == self.marks:
            return
        self.marks = dict(marks)
        self._show()

    def _show(self) -> None:
        self.set_rows(
            [(p.name, (platform_tag(p), p.name, self._mark(p.name)), p) for p in self._projects]
        )

    def _mark(self, name: str) -> Text:
        mark = self.marks.get(name)
        if mark is None or mark.worst is None:
            return Text("")
        return Text(mark.text, style=VERDICT_STYLES[mark.worst])

    def names(self) -> list[str]:
        return [p.name for p in self.objects()]

    @on(DataTable.RowHighlighted)
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self._pending = event.row_key.value
        self.set_timer(SETTLE_SECONDS, self._settled)

    def _settled(self) -> None:
        if self._pending and self._pending == self.selected_key():
            self.post_message(self.Chosen(self._pending))

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value:
            self.post_message(self.Chosen(event.row_key.value, opened=True))
