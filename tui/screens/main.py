"""The main view: projects on the left; deployments, servers, connections, events, secrets, pods
and routes of the selected project in tabs; a readable summary of the selected row below."""

from __future__ import annotations

import os
import time

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Input, Static, TabbedContent, TabPane

from checks.errors import DoctorError
from checks.resources import DataConnection, Deployment, Pod, Project, SecretInfo
from checks.snapshot import Snapshot
from checks.tables import as_yaml
from tui.views import TABS, Tab, tab
from tui.widgets.resource_table import ResourceTable

POLL_SECONDS = 15.0


class MainScreen(Screen):
    BINDINGS = [
        Binding("d", "diagnose", "Diagnose"),
        Binding("l", "logs", "Logs"),
        Binding("c", "compose", "Compose"),
        Binding("r", "refresh", "Refresh"),
        Binding("slash", "filter", "Filter", key_display="/"),
        Binding("y", "yaml", "YAML"),
        Binding("v", "reveal", "Reveal"),
        Binding("p", "focus_projects", "Projects"),
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("escape", "clear_filter", "Clear filter", show=False),
        *[
            Binding(str(i + 1), f"show_tab('{t.id}')", t.title, show=False)
            for i, t in enumerate(TABS)
        ],
    ]

    def __init__(self, identity_line: str, show_clock: bool = True) -> None:
        super().__init__()
        self.identity_line = identity_line
        self.show_clock = show_clock
        self.project: str | None = None
        self.snapshot: Snapshot | None = None
        self.updated_at: float | None = None
        self.showing_yaml = False
        self._pending_project: str | None = None
        self._filtering_projects = False
        self._stale_tabs: set[str] = set()
        self.last_fill_seconds = 0.0
        self.last_load_seconds = 0.0

    def compose(self) -> ComposeResult:
        yield Static(self.identity_line, id="identity")
        with Horizontal(id="body"):
            with Vertical(id="left"):
                yield Static("Projects", classes="pane-title")
                yield ResourceTable(("PROJECT", "PLAT"), id="projects")
            with Vertical(id="right"):
                with TabbedContent(id="tabs"):
                    for t in TABS:
                        with TabPane(t.title, id=f"tab-{t.id}"):
                            yield Static("", id=f"error-{t.id}", classes="pane-error")
                            yield ResourceTable(t.columns, id=f"table-{t.id}")
                with VerticalScroll(id="details-box"):
                    yield Static("Select a project.", id="details")
        yield Input(placeholder="filter (escape to leave)", id="filter")
        yield Static("", id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#filter", Input).display = False
        self.load_projects()
        self.set_interval(1.0, self._tick_status)
        self.set_interval(POLL_SECONDS, self.action_refresh)

    # -- loading ----------------------------------------------------------------------
    @work(exclusive=True, group="projects")
    async def load_projects(self) -> None:
        try:
            projects = await self.app.backend.projects()  # type: ignore[attr-defined]
        except DoctorError as error:
            self._set_status(f"cannot list projects: {error}")
            return
        table = self.query_one("#projects", ResourceTable)
        table.set_rows([(p.name, (p.name, self._platform(p)), p) for p in projects])
        names = [p.name for p in projects]
        if self.project in names:
            table.move_cursor(row=table.get_row_index(self.project))
        elif names:
            preferred = self.app.backend.cluster.namespace  # type: ignore[attr-defined]
            self.select_project(preferred if preferred in names else names[0])

    @staticmethod
    def _platform(project: Project) -> Text:
        if project.platform is None:
            return Text("-", style="dim")
        return Text("MM" if project.platform == "modelmesh" else "KS")

    def select_project(self, name: str) -> None:
        table = self.query_one("#projects", ResourceTable)
        if name in table.rows:
            table.move_cursor(row=table.get_row_index(name))
        if name != self.project:
            self.project = name
            self.snapshot = None
            self.load_snapshot(name)

    @work(exclusive=True, group="snapshot")
    async def load_snapshot(self, namespace: str) -> None:
        self._set_status(f"loading {namespace}…")
        started = time.perf_counter()
        try:
            snapshot = await self.app.backend.snapshot(namespace)  # type: ignore[attr-defined]
            snapshot.raise_if_unreachable()
        except DoctorError as error:
            self._set_status(f"{namespace}: {error}")
            return
        if namespace != self.project:
            return
        self.snapshot = snapshot
        self.updated_at = time.monotonic()
        self._fill_tabs(snapshot)
        self.last_load_seconds = time.perf_counter() - started
        self._tick_status()
        if os.environ.get("RHOAI_DOCTOR_EXIT_WHEN_LOADED"):  # the start-up benchmark's finish line
            self.call_after_refresh(self.app.exit)

    def _fill_tabs(self, snapshot: Snapshot) -> None:
        """Fill the visible tab now; the others when they are first shown (big projects)."""
        started = time.perf_counter()
        self._stale_tabs = {t.id for t in TABS}
        self._fill_tab(self.current_tab(), snapshot)
        self.last_fill_seconds = time.perf_counter() - started
        self._show_details()

    def _fill_tab(self, t: Tab, snapshot: Snapshot) -> None:
        if t.id not in self._stale_tabs:
            return
        self._stale_tabs.discard(t.id)
        error = snapshot.error_line(t.error_kind)
        label = self.query_one(f"#error-{t.id}", Static)
        label.update(Text(f"⚠ {error}", style="bold red") if error else "")
        label.display = bool(error)
        rows = [] if error else [(t.key(o), t.row(o, snapshot), o) for o in t.objects(snapshot)]
        table = self.query_one(f"#table-{t.id}", ResourceTable)
        table.set_rows(rows)
        if table.hidden_rows and not error:
            label.update(
                f"showing the first {table.row_count:,} of {len(rows):,}; press / to "
                "filter them all"
            )
            label.display = True

    # -- status and details ------------------------------------------------------------
    def _set_status(self, text: str) -> None:
        self.query_one("#status", Static).update(text)

    def _tick_status(self) -> None:
        if self.updated_at is None or self.project is None:
            return
        age = int(time.monotonic() - self.updated_at)
        when = f"updated {age}s ago" if self.show_clock else "updated"
        warnings = sum(e.is_warning for e in self.snapshot.events) if self.snapshot else 0
        extra = f" · {warnings} warning event(s)" if warnings else ""
        self._set_status(f"{self.project} · {when}{extra} · read-only")

    def current_tab(self) -> Tab:
        active = self.query_one("#tabs", TabbedContent).active or f"tab-{TABS[0].id}"
        return tab(active.removeprefix("tab-"))

    def current_table(self) -> ResourceTable:
        return self.query_one(f"#table-{self.current_tab().id}", ResourceTable)

    def _show_details(self, override: list[str] | None = None) -> None:
        details = self.query_one("#details", Static)
        if override is not None:
            details.update("\n".join(override))
            return
        obj = self.current_table().selected_object()
        if obj is None or self.snapshot is None:
            details.update("Nothing selected." if self.snapshot else "Loading…")
            return
        if self.showing_yaml:
            details.update(as_yaml(obj))
            return
        details.update("\n".join(self.current_tab().details(obj, self.snapshot)))

    @on(ResourceTable.RowHighlighted)
    def _row_highlighted(self, event: ResourceTable.RowHighlighted) -> None:
        if event.data_table.id == "projects":
            # Debounced: scrolling through projects loads only the one the cursor rests on.
            self._pending_project = event.row_key.value
            self.set_timer(0.3, self._apply_pending_project)
            return
        self._show_details()

    def _apply_pending_project(self) -> None:
        table = self.query_one("#projects", ResourceTable)
        if self._pending_project and self._pending_project == table.selected_key():
            self.select_project(self._pending_project)

    @on(TabbedContent.TabActivated)
    def _tab_changed(self) -> None:
        if self.snapshot is not None:
            self._fill_tab(self.current_tab(), self.snapshot)
        self._show_details()

    # -- actions -----------------------------------------------------------------------
    def action_show_tab(self, tab_id: str) -> None:
        self.query_one("#tabs", TabbedContent).active = f"tab-{tab_id}"
        self.current_table().focus()

    def action_focus_projects(self) -> None:
        self.query_one("#projects", ResourceTable).focus()

    def action_refresh(self) -> None:
        if self.project:
            self.load_snapshot(self.project)

    def action_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.display = True
        box.focus()

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self._filter_target().apply_filter(event.value)

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        self._filter_target().focus()

    def _filter_target(self) -> ResourceTable:
        projects = self.query_one("#projects", ResourceTable)
        return projects if self._filtering_projects else self.current_table()

    def on_descendant_focus(self, event: object) -> None:
        focused = self.app.focused
        if isinstance(focused, ResourceTable):
            self._filtering_projects = focused.id == "projects"

    def action_clear_filter(self) -> None:
        box = self.query_one("#filter", Input)
        target = self._filter_target()
        box.value = ""
        box.display = False
        target.apply_filter("")
        target.focus()

    def action_yaml(self) -> None:
        self.showing_yaml = not self.showing_yaml
        self._show_details()

    def action_diagnose(self) -> None:
        dep = self._selected_deployment()
        if dep is None or self.snapshot is None:
            self.notify("Select a deployment first (tab 1).", severity="warning")
            return
        from tui.screens.diagnosis import DiagnosisScreen

        self.app.push_screen(DiagnosisScreen(self.snapshot, dep))

    def action_compose(self) -> None:
        dep = self._selected_deployment()
        if dep is None or self.snapshot is None:
            self.notify("Select a deployment first (tab 1).", severity="warning")
            return
        from tui.screens.composer import ComposerScreen

        self.app.push_screen(ComposerScreen(self.snapshot, dep))

    def _selected_deployment(self) -> Deployment | None:
        obj = self.current_table().selected_object()
        if isinstance(obj, Deployment):
            return obj
        table = self.query_one("#table-deployments", ResourceTable)
        obj = table.selected_object()
        return obj if isinstance(obj, Deployment) else None

    def action_logs(self) -> None:
        if self.snapshot is None:
            return
        obj = self.current_table().selected_object()
        pods: list[Pod] = []
        if isinstance(obj, Pod):
            pods = [obj]
        elif isinstance(obj, Deployment):
            pods = self.snapshot.pods_for(obj)
        if not pods:
            self.notify("Select a pod or a deployment with pods.", severity="warning")
            return
        from tui.screens.logs import LogsScreen

        self.app.push_screen(LogsScreen(pods[0]))

    def action_reveal(self) -> None:
        obj = self.current_table().selected_object()
        if not isinstance(obj, SecretInfo | DataConnection):
            self.notify("Select a secret or a data connection.", severity="warning")
            return
        from tui.screens.confirm import ConfirmScreen

        def answered(yes: bool | None) -> None:
            if yes:
                self.reveal(obj.namespace, obj.name)

        self.app.push_screen(
            ConfirmScreen(
                f"Show the values of secret {obj.namespace}/{obj.name} on screen?\n"
                "They are not logged or saved; they disappear when you move."
            ),
            answered,
        )

    @work(group="reveal")
    async def reveal(self, namespace: str, name: str) -> None:
        try:
            values = await self.app.backend.secret_values(namespace, name)  # type: ignore[attr-defined]
        except DoctorError as error:
            self._show_details([f"cannot read secret {name}: {error}"])
            return
        self._show_details(
            [f"Secret {namespace}/{name} (revealed)"]
            + [f"  {k} = {v}" for k, v in sorted(values.items())]
        )

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(self.BINDINGS))
