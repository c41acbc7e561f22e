"""The main view: projects on the left; deployments, servers, connections, events, secrets, pods
and routes of the selected project in tabs; a readable summary of the selected row below."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Static, TabbedContent, TabPane

from checks.errors import DoctorError
from checks.resources import DataConnection, Deployment, Pod, Project, SecretInfo
from checks.snapshot import Snapshot
from checks.tables import as_yaml
from tui.views import TABS, Tab, deployment_state, platform_tag, tab, tab_label
from tui.widgets.header import HeaderBar
from tui.widgets.resource_table import ResourceTable

if TYPE_CHECKING:
    from tui.backend import Backend, Identity

POLL_SECONDS = 15.0
NARROW_COLUMNS = 110  # below this the tabs use their short labels
LOAD_WAIT_S = 30.0


def identity_line(identity: Identity, namespace: str | None = None) -> str:
    return (
        f"context {identity.context} · user {identity.user} · "
        f"namespace {namespace or identity.namespace} · server {identity.server}"
    )


class MainScreen(Screen):
    HELP_TITLE = "projects and their panes"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (NARROW_COLUMNS, "-wide")]
    BINDINGS = [
        Binding("d", "diagnose", "Diagnose", tooltip="run the checks on the deployment"),
        Binding("l", "logs", "Logs", tooltip="logs of the pod, or of the deployment's pod"),
        Binding("c", "compose", "Compose", show=False, tooltip="send the deployment a request"),
        Binding(
            "slash", "filter", "Filter", key_display="/", tooltip="filter the list as you type"
        ),
        Binding("r", "refresh", "Refresh", tooltip="read the project again (also every 15 s)"),
        Binding("y", "yaml", "YAML", tooltip="the row as YAML, secret values masked (toggle)"),
        Binding("v", "reveal", "Reveal", tooltip="show a secret's values, after you confirm"),
        Binding("p", "focus_projects", "Projects", show=False, tooltip="the project list"),
        Binding("escape", "clear_filter", "Clear filter", show=False, tooltip="clear the filter"),
        *[
            Binding(str(i + 1), f"show_tab('{t.id}')", t.title, show=False)
            for i, t in enumerate(TABS)
        ],
    ]

    def __init__(self, identity: Identity, show_clock: bool = True) -> None:
        super().__init__()
        self.identity = identity
        self.show_clock = show_clock
        self.project: str | None = None
        self.snapshot: Snapshot | None = None
        self.updated_at: float | None = None
        self.refresh_error = ""
        self.showing_yaml = False
        self.narrow = False
        self._pending_project: str | None = None
        self._projects_in_use = True  # which list `/` filters: set with focus, not after it
        self._filter_table: ResourceTable | None = None
        self._stale_tabs: set[str] = set()
        self.last_fill_seconds = 0.0
        self.last_load_seconds = 0.0

    @property
    def backend(self) -> Backend:
        return self.app.backend  # type: ignore[attr-defined,no-any-return]

    def compose(self) -> ComposeResult:
        yield HeaderBar(identity_line(self.identity), id="header")
        with Horizontal(id="main"):
            with Vertical(id="left"):
                yield Static("Projects", classes="pane-title")
                yield ResourceTable(("", "PROJECT"), id="projects")
            with Vertical(id="right"):
                with TabbedContent(id="tabs"):
                    for t in TABS:
                        with TabPane(t.title, id=f"tab-{t.id}"):
                            yield Static("", id=f"error-{t.id}", classes="pane-error")
                            yield ResourceTable(t.columns, id=f"table-{t.id}")
                with VerticalScroll(id="details-box"):
                    yield Static("Select a project.", id="details")
        yield Input(placeholder="filter: type to narrow the list; escape leaves", id="filter")
        yield Static("", id="status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#filter", Input).display = False
        for t in TABS:
            self.query_one(f"#error-{t.id}", Static).display = False
        self.load_projects()
        self.set_interval(1.0, self._tick_status)
        self.set_interval(POLL_SECONDS, self._poll)

    def show_identity(self) -> None:
        self.query_one(HeaderBar).set_text(identity_line(self.identity, self.project))

    # -- loading ----------------------------------------------------------------------
    @work(exclusive=True, group="projects")
    async def load_projects(self) -> None:
        try:
            projects = await self.backend.projects()
        except DoctorError as error:
            # Users who may not list projects still have their context's namespace (as k9s).
            self.notify(f"cannot list projects: {error}", severity="warning", timeout=10)
            projects = [Project(self.identity.namespace, "", "", False, None, "", "", None)]
        table = self.query_one("#projects", ResourceTable)
        table.set_rows([(p.name, (platform_tag(p), p.name), p) for p in projects])
        names = [p.name for p in projects]
        if self.project in names:
            table.move_cursor(row=table.get_row_index(self.project))
        elif names:
            preferred = self.identity.namespace
            self.select_project(preferred if preferred in names else names[0])
        else:
            self._set_status("no projects visible to you")

    def select_project(self, name: str) -> None:
        """Load a project now (the palette, enter, tests); the cursor is moved to it."""
        table = self.query_one("#projects", ResourceTable)
        if name in table.rows and table.selected_key() != name:
            table.move_cursor(row=table.get_row_index(name))
        if name == self.project:
            return
        self.project = name
        self.snapshot = None
        self.updated_at = None
        self.show_identity()
        for t in TABS:
            self.query_one(f"#table-{t.id}", ResourceTable).set_rows([])
            self.query_one(f"#error-{t.id}", Static).display = False
        self._update_tab_labels()
        self._show_details()
        self.load_snapshot(name)

    @work(exclusive=True, group="snapshot")
    async def load_snapshot(self, namespace: str) -> None:
        if self.snapshot is None:  # a refresh keeps the status line still
            self._set_status(f"loading {namespace}…")
        started = time.perf_counter()
        try:
            snapshot = await self.backend.snapshot(namespace)
            snapshot.raise_if_unreachable()
        except DoctorError as error:
            if namespace == self.project:
                self.refresh_error = str(error)
                self._tick_status()
            return
        if namespace != self.project:
            return
        self.refresh_error = ""
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
        self._update_tab_labels()
        self._show_details()

    def _fill_tab(self, t: Tab, snapshot: Snapshot) -> None:
        if t.id not in self._stale_tabs:
            return
        self._stale_tabs.discard(t.id)
        error = snapshot.error_line(t.error_kind)
        label = self.query_one(f"#error-{t.id}", Static)
        label.update(Text(f"✗ {error}", style="bold red") if error else "")
        rows = [] if error else [(t.key(o), t.row(o, snapshot), o) for o in t.objects(snapshot)]
        table = self.query_one(f"#table-{t.id}", ResourceTable)
        table.set_rows(rows)
        if table.hidden_rows and not error:
            label.update(
                f"showing the first {table.row_count:,} of {len(rows):,}; press / to "
                "filter them all"
            )
        label.display = bool(error) or bool(table.hidden_rows)

    def _update_tab_labels(self) -> None:
        tabs = self.query_one("#tabs", TabbedContent)
        for t in TABS:
            tabs.get_tab(f"tab-{t.id}").label = tab_label(t, self.snapshot, self.narrow)

    def on_resize(self, event: Resize) -> None:
        narrow = event.size.width < NARROW_COLUMNS
        if narrow != self.narrow:
            self.narrow = narrow
            self._update_tab_labels()

    # -- status and details ------------------------------------------------------------
    def _set_status(self, text: str | Text) -> None:
        self.query_one("#status", Static).update(text)

    def _tick_status(self) -> None:
        if self.project is None or self.snapshot is None:
            if self.refresh_error and self.project:
                self._set_status(Text(f"{self.project}: {self.refresh_error}", style="bold red"))
            return
        age = int(time.monotonic() - (self.updated_at or time.monotonic()))
        when = f"updated {age}s ago" if self.show_clock else "updated"
        status = Text(f"{self.project} · {when}")
        warnings = sum(e.is_warning for e in self.snapshot.events)
        if warnings:
            status.append(f" · ⚠ {warnings} warning event(s)", style="bold red")
        snapshot = self.snapshot
        failing = sum(deployment_state(d, snapshot) == "FailedToLoad" for d in snapshot.deployments)
        if failing:
            status.append(f" · ✗ {failing} deployment(s) failed to load", style="bold red")
        if self.refresh_error:
            status.append(f" · refresh failed: {self.refresh_error}", style="bold red")
        self._set_status(status)

    def current_tab(self) -> Tab:
        active = self.query_one("#tabs", TabbedContent).active or f"tab-{TABS[0].id}"
        return tab(active.removeprefix("tab-"))

    def current_table(self) -> ResourceTable:
        return self.query_one(f"#table-{self.current_tab().id}", ResourceTable)

    def _show_details(self, override: Text | None = None) -> None:
        details = self.query_one("#details", Static)
        box = self.query_one("#details-box")
        box.set_class(self.showing_yaml, "-yaml")
        if override is not None:
            details.update(override)
            return
        obj = self.current_table().selected_object()
        if self.snapshot is None:
            details.update(f"Loading {self.project}…" if self.project else "Select a project.")
            return
        if obj is None:
            error = self.snapshot.error_line(self.current_tab().error_kind)
            details.update(Text(error, style="red") if error else "Nothing here.")
            return
        if self.showing_yaml:
            details.update(Text(as_yaml(obj)))
            return
        details.update(self.current_tab().details(obj, self.snapshot))

    @on(DataTable.RowHighlighted)
    def _row_highlighted(self, event: DataTable.RowHighlighted) -> None:
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

    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        """enter drills in: a project opens its panes, a deployment its diagnosis, a pod logs."""
        if event.data_table.id == "projects":
            if event.row_key.value:
                self.select_project(event.row_key.value)
            self.current_table().focus()
        elif isinstance(self.current_table().selected_object(), Deployment):
            self.action_diagnose()
        elif isinstance(self.current_table().selected_object(), Pod):
            self.action_logs()

    @on(TabbedContent.TabActivated)
    def _tab_changed(self) -> None:
        if self.snapshot is not None:
            self._fill_tab(self.current_tab(), self.snapshot)
        self._sync_filter_box(self.current_table())
        self._show_details()

    # -- actions -----------------------------------------------------------------------
    def action_show_tab(self, tab_id: str) -> None:
        self.query_one("#tabs", TabbedContent).active = f"tab-{tab_id}"
        self._projects_in_use = False
        self.current_table().focus()

    def action_focus_projects(self) -> None:
        self._projects_in_use = True
        self.query_one("#projects", ResourceTable).focus()

    def action_refresh(self) -> None:
        if self.project:
            self.load_snapshot(self.project)

    def _poll(self) -> None:
        """The 15 s refresh, skipped while another screen covers this one."""
        if self.is_current:
            self.action_refresh()

    def on_screen_resume(self) -> None:
        if self.updated_at is not None and time.monotonic() - self.updated_at > POLL_SECONDS:
            self.action_refresh()

    def action_filter(self) -> None:
        """Filter the list that has (or is about to get) focus; the box remembers which."""
        box = self.query_one("#filter", Input)
        target = self._list_in_use()
        self._filter_table = target
        box.value = target.filter_text
        what = "projects" if target.id == "projects" else self.current_tab().title.lower()
        box.placeholder = f"filter {what} (enter keeps it, escape clears it)"
        box.display = True
        box.focus()

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        if self._filter_table is not None:
            self._filter_table.apply_filter(event.value)

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        if self._filter_table is not None:
            self._filter_table.focus()

    def _list_in_use(self) -> ResourceTable:
        if self._filter_table is not None and self.query_one("#filter", Input).has_focus:
            return self._filter_table
        projects = self.query_one("#projects", ResourceTable)
        return projects if self._projects_in_use else self.current_table()

    def on_descendant_focus(self, event: object) -> None:
        focused = self.app.focused
        if isinstance(focused, ResourceTable):
            self._projects_in_use = focused.id == "projects"
            self._sync_filter_box(focused)

    def _sync_filter_box(self, table: ResourceTable) -> None:
        """The box shows the filter of the list in use, and only when it has one."""
        box = self.query_one("#filter", Input)
        if box.has_focus:
            return
        self._filter_table = table
        with box.prevent(Input.Changed):
            box.value = table.filter_text
        box.display = bool(table.filter_text)

    def action_clear_filter(self) -> None:
        box = self.query_one("#filter", Input)
        target = self._filter_table or self._list_in_use()
        with box.prevent(Input.Changed):
            box.value = ""
        box.display = False
        target.apply_filter("")
        target.focus()

    def action_yaml(self) -> None:
        self.showing_yaml = not self.showing_yaml
        self._show_details()

    def selected_deployment(self) -> Deployment | None:
        obj = self.current_table().selected_object()
        if isinstance(obj, Deployment):
            return obj
        obj = self.query_one("#table-deployments", ResourceTable).selected_object()
        return obj if isinstance(obj, Deployment) else None

    def action_diagnose(self) -> None:
        dep = self.selected_deployment()
        if dep is None or self.snapshot is None:
            self.notify("Select a deployment first (1).", severity="warning")
            return
        self.diagnose(dep)

    def diagnose(self, dep: Deployment) -> None:
        from tui.screens.diagnosis import DiagnosisScreen

        assert self.snapshot is not None
        self.app.push_screen(DiagnosisScreen(self.snapshot, dep))

    def action_compose(self) -> None:
        dep = self.selected_deployment()
        if dep is None or self.snapshot is None:
            self.notify("Select a deployment first (1).", severity="warning")
            return
        from tui.screens.composer import ComposerScreen

        self.app.push_screen(ComposerScreen(self.snapshot, dep))

    def action_logs(self) -> None:
        if self.snapshot is None:
            return
        obj = self.current_table().selected_object()
        pods: list[Pod] = []
        if isinstance(obj, Pod):
            pods = [obj]
        elif isinstance(obj, Deployment):
            pods = self.snapshot.pods_for(obj)
        elif (dep := self.selected_deployment()) is not None:
            pods = self.snapshot.pods_for(dep)
        if not pods:
            self.notify("Select a pod, or a deployment that has pods.", severity="warning")
            return
        from tui.screens.logs import LogsScreen

        self.app.push_screen(LogsScreen(pods[0]))

    # -- the palette's commands ---------------------------------------------------------
    def project_names(self) -> list[str]:
        return [p.name for p in self.query_one("#projects", ResourceTable).objects()]

    def _to_front(self) -> None:
        while len(self.app.screen_stack) > 1 and self.app.screen_stack[-1] is not self:
            self.app.pop_screen()

    def jump_project(self, name: str) -> None:
        self._to_front()
        self.select_project(name)
        self.current_table().focus()

    def diagnose_named(self, namespace: str, name: str) -> None:
        self._when_loaded(namespace, name, self.diagnose)

    def compose_named(self, namespace: str, name: str) -> None:
        from tui.screens.composer import ComposerScreen

        def compose(dep: Deployment) -> None:
            assert self.snapshot is not None
            self.app.push_screen(ComposerScreen(self.snapshot, dep))

        self._when_loaded(namespace, name, compose)

    def _when_loaded(self, namespace: str, name: str, then: Callable[[Deployment], None]) -> None:
        """Jump to the deployment, and once its project is loaded, act on it."""

        def act() -> None:
            assert self.snapshot is not None
            dep = self.snapshot.deployment(name, namespace)
            if dep is None:
                self.notify(f"{namespace}/{name} is gone.", severity="warning")
                return
            then(dep)

        self.jump_to(namespace, "deployments", name)
        self.when_project_loaded(namespace, act)

    def when_project_loaded(self, namespace: str, then: Callable[[], None]) -> None:
        """Run `then` once `namespace` is the loaded project; give up after LOAD_WAIT_S."""
        deadline = time.monotonic() + LOAD_WAIT_S

        def check() -> None:
            if self.snapshot is not None and self.snapshot.namespace == namespace:
                then()
            elif self.project == namespace and time.monotonic() < deadline:
                self.set_timer(0.05, check)

        check()

    def jump_to(self, namespace: str, tab_id: str, key: str) -> None:
        """Open the project and the tab, and put the cursor on the row once it is there."""
        self._to_front()
        self.action_show_tab(tab_id)
        if namespace != self.project:
            self.select_project(namespace)

        def place() -> None:
            table = self.query_one(f"#table-{tab_id}", ResourceTable)
            if key in table.rows:
                table.move_cursor(row=table.get_row_index(key))

        self.when_project_loaded(namespace, place)

    def action_reveal(self) -> None:
        obj = self.current_table().selected_object()
        if not isinstance(obj, SecretInfo | DataConnection):
            self.notify("Select a secret or a data connection (3 or 5).", severity="warning")
            return
        from tui.screens.confirm import ConfirmScreen

        def answered(yes: bool | None) -> None:
            if yes:
                self.reveal(obj.namespace, obj.name)

        self.app.push_screen(
            ConfirmScreen(
                f"Show the values of secret {obj.namespace}/{obj.name} on screen?\n\n"
                "Anyone who can see your screen will see them. They are not logged or saved, "
                "and they disappear when you move the cursor."
            ),
            answered,
        )

    @work(group="reveal")
    async def reveal(self, namespace: str, name: str) -> None:
        try:
            values = await self.backend.secret_values(namespace, name)
        except DoctorError as error:
            self._show_details(Text(f"cannot read secret {name}: {error}", style="red"))
            return
        shown = Text(f"secret {namespace}/{name}: revealed, move the cursor to hide", style="bold")
        for key, value in sorted(values.items()):
            shown.append(f"\n{key} = ", style="dim")
            shown.append(value)
        self._show_details(shown)
