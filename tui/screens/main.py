"""The main view: projects on the left; the project's kinds in tabs; a readable summary of the
selected row below. The screen wires widgets together: data goes down through `project` and
`snapshot`, choices come up as messages."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.events import Resize
from textual.timer import Timer
from textual.widgets import Static

from checks.cluster.kinds import VIEWS
from checks.cluster.snapshot import Snapshot
from checks.errors import DoctorError
from checks.resources import Deployment, Pod, Project
from checks.session import Identity
from checks.text import one_line, visible
from tui.access import holder, session_of
from tui.offline import is_offline, refused_offline
from tui.screens.fleet_view import FleetView
from tui.screens.live import LiveUpdates
from tui.screens.main_keys import MainKeys
from tui.widgets.details_pane import DetailsPane
from tui.widgets.filter_bar import FilterBar
from tui.widgets.header import HeaderBar
from tui.widgets.keys_footer import KeysFooter
from tui.widgets.project_list import ProjectList
from tui.widgets.resource_table import ResourceTable
from tui.widgets.resource_tabs import ResourceTabs
from tui.widgets.status_line import StatusLine

POLL_SECONDS = 15.0
FIRST_FRAME_WAIT_S = 0.25  # the first reads' wait before the main screen's first frame
FLEET_LATEST_S = 0.5  # every project's deployments are listed by then at the latest
NARROW_COLUMNS = 110  # below this the tabs use their short labels
RETRY_FIRST_S = 2.0  # a failed read of the open project is tried again after 2, 4, 8 s… (≤ poll)


def identity_line(identity: Identity, namespace: str | None = None) -> str:
    if identity.offline:  # a capture (--from): when and where it was taken, first
        return one_line(f"{identity.offline} · namespace {namespace or identity.namespace}")
    return one_line(
        f"context {identity.context} · user {identity.user} · "
        f"namespace {namespace or identity.namespace} · server {identity.server}"
    )


class MainScreen(FleetView, MainKeys, LiveUpdates):
    HELP_TITLE = "projects and their panes"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (NARROW_COLUMNS, "-wide")]
    BINDINGS = [
        Binding("d", "diagnose", "Diagnose", tooltip="run the checks on the deployment"),
        Binding("l", "logs", "Logs", tooltip="logs of the pod, or of the deployment's pod"),
        Binding(
            "p",
            "toggle_projects",
            "Projects",
            tooltip="the project list; below 100 columns p shows / hides it",
        ),
        Binding("i", "compose", "Infer", show=False, tooltip="compose a request to the deployment"),
        Binding(
            "slash",
            "filter",
            "Filter",
            key_display="/",
            tooltip="filter the list as you type",
            priority=True,  # opens before the keys typed after it are dispatched (tui/focus.py)
        ),
        Binding(
            "r", "refresh", "Refresh", tooltip="read the project again (watches keep it current)"
        ),
        Binding("y", "yaml", "YAML", tooltip="the row's manifest as the API server returned it"),
        Binding(  # not in the footer: at 80 columns `p`, `0` and `?` need the room
            "v", "reveal", "Reveal", show=False, tooltip="show a secret's values, after you confirm"
        ),
        Binding(
            "escape", "clear_filter", "Back", show=False, tooltip="clear the filter, else as -"
        ),
        *[
            Binding(str(i + 1), f"show_tab('{kind.name}')", kind.title, show=False)
            for i, kind in enumerate(VIEWS)
        ],
        Binding(
            "0", "all_projects", "All", tooltip="every deployment of every project, failing first"
        ),
        Binding("z", "maximise", "Zoom", show=False, tooltip="the details box fills the screen"),
    ]

    def __init__(self, identity: Identity) -> None:
        super().__init__()
        self.identity = identity
        self.updated_at: float | None = None
        self.last_load_seconds = 0.0
        self._reading: str | None = None  # the project whose read is in flight
        self._retry_s = RETRY_FIRST_S
        self._retry: Timer | None = None

    def compose(self) -> ComposeResult:
        yield HeaderBar(
            identity_line(self.identity),
            tls_unverified=session_of(self).tls_unverified,
            id="header",
        )
        with Horizontal(id="main"):
            with Vertical(id="left"):
                yield Static("Projects", classes="pane-title")
                yield ProjectList(id="projects")
            with Vertical(id="right"):
                yield ResourceTabs(id="kinds")
                yield DetailsPane(id="details-box")
        yield FilterBar(id="filter")
        yield StatusLine(holder(self).show_clock, id="status")
        yield KeysFooter(compact=True)

    async def on_mount(self) -> None:
        # The first frame waits (a little) for the first reads, so it is the one with data; a
        # slow cluster gets the frame that says "listing projects…" after FIRST_FRAME_WAIT_S.
        first = holder(self).first_reads
        asked = first.take_projects() if first and await first.landed(FIRST_FRAME_WAIT_S) else None
        if asked is not None:
            self._show_projects(self._projects_of(asked))
        else:
            self.call_after_refresh(self.load_projects)
        # Every project's deployments (the marks, `0`) after the first frame with data.
        self.set_timer(FLEET_LATEST_S, self._fleet_after_frame)
        self.set_interval(POLL_SECONDS, self._poll)

    def show_identity(self) -> None:
        self.query_one(HeaderBar).set_text(identity_line(self.identity, self.project))

    # -- data down -----------------------------------------------------------------------
    def watch_project(self, name: str | None) -> None:
        self.follow(None)  # the project left; the new one is followed once its first read is in
        self.show_identity()
        self.status.project = name
        self.count_elsewhere()
        first = holder(self).first_reads
        landed = first.take_landed_snapshot(name) if first is not None and name else None
        self.updated_at = None
        if name and landed is not None:
            # In already: shown in this frame, not after a worker's round trip (nor emptied).
            self._snapshot_landed(name, time.perf_counter(), landed.result)
            return
        self.snapshot = None
        if name:
            self.load_snapshot(name)

    def watch_snapshot(self, snapshot: Snapshot | None) -> None:
        self.status.updated_at = self.updated_at
        self.status.snapshot = snapshot
        self.tabs.snapshot = snapshot
        self.show_details()

    def show_details(self) -> None:
        if self.snapshot is None:
            self.details.say(f"Loading {self.project}…" if self.project else "Select a project.")
            return
        self.details.show(self.tabs.current_view(), self.tabs.selected(), self.snapshot)

    # -- loading -------------------------------------------------------------------------
    @work(exclusive=True, group="projects", description="list projects")
    async def load_projects(self) -> None:
        first = holder(self).first_reads
        asked = first.take_projects() if first is not None else None
        try:
            projects = await (asked if asked is not None else session_of(self).projects())
        except DoctorError as error:
            projects = self._own_project(error)
        self._show_projects(projects)

    def _projects_of(self, landed: asyncio.Task[list[Project]]) -> list[Project]:
        try:
            return landed.result()
        except DoctorError as error:
            return self._own_project(error)

    def _own_project(self, error: DoctorError) -> list[Project]:
        """Users who may not list projects still have their context's namespace (as k9s)."""
        self.notify(
            visible(f"cannot list projects: {error}"),
            severity="warning",
            timeout=10,
            markup=False,
        )
        return [
            Project(
                name=self.identity.namespace,
                display_name="",
                description="",
                in_dashboard=False,
                platform=None,
                phase="",
                requester="",
                created=None,
            )
        ]

    def _show_projects(self, projects: list[Project]) -> None:
        if not self.query(StatusLine):
            return  # this screen is being replaced (a context switch) while it listed
        self.projects.set_projects(projects)
        names = self.projects.names()
        if self.project in names:
            self.projects.point_at(self.project)
        elif names:
            preferred = self.identity.namespace
            self.select_project(preferred if preferred in names else names[0])
        else:
            self.status.say("no projects visible to you")
            self._fleet_after_frame()

    def read_project(self, namespace: str) -> None:
        """Read `namespace` unless its read is in flight already: a poll or a retry never
        cancels a read that is about to land (on a slow cluster it would never land)."""
        if self._reading != namespace:
            self.load_snapshot(namespace)

    @work(exclusive=True, group="snapshot", description="read the project")
    async def load_snapshot(self, namespace: str) -> None:
        self._reading = namespace
        try:
            await self._read_snapshot(namespace)
        finally:
            if self._reading == namespace:
                self._reading = None

    async def _read_snapshot(self, namespace: str) -> None:
        started = time.perf_counter()
        first = holder(self).first_reads
        asked = first.take_snapshot(namespace) if first is not None else None
        answer: Snapshot | DoctorError
        try:
            answer = await (asked if asked is not None else session_of(self).snapshot(namespace))
        except DoctorError as error:
            answer = error
        self._snapshot_landed(namespace, started, lambda: answer)

    def _snapshot_landed(
        self, namespace: str, started: float, answer: Callable[[], Snapshot | DoctorError]
    ) -> None:
        """A project's read is in (`answer` gives it, or raises its error)."""
        if not self.query(StatusLine):
            return  # this screen is being replaced (a context switch) while it read
        try:
            snapshot = answer()
            if isinstance(snapshot, DoctorError):
                raise snapshot
            snapshot.raise_if_unreachable()
        except DoctorError as error:
            if namespace == self.project:
                self.status.error = str(error)
                if self.snapshot is None:  # "Loading …" (a first read that failed)
                    self.show_details()
                self._retry_soon(namespace)
            self._fleet_after_frame()
            return
        if namespace != self.project:
            return
        self._retry_s = RETRY_FIRST_S
        self.status.error = ""
        self.updated_at = time.monotonic()
        self.snapshot = snapshot
        self.follow(namespace, snapshot)  # the watches go on from this read's LISTs
        self.fleet_saw(snapshot)
        self.last_load_seconds = time.perf_counter() - started
        self._fleet_after_frame()
        self.app.call_after_refresh(holder(self).start_up_over)

    def live_snapshot(self, snapshot: Snapshot) -> None:
        """The open project as its watches hold it now: shown, no LIST made."""
        if not self.query(StatusLine):
            return
        self.status.error = ""
        self.updated_at = time.monotonic()
        self.snapshot = snapshot
        self.fleet_saw(snapshot)

    def _retry_soon(self, namespace: str) -> None:
        """A failed read (a timeout, a refused connection) is not left until the next poll."""
        if self._retry is not None:
            self._retry.stop()
        delay, self._retry_s = self._retry_s, min(self._retry_s * 2, POLL_SECONDS)

        def again() -> None:
            if self.project == namespace and self.is_mounted:
                self.read_project(namespace)

        self._retry = self.set_timer(delay, again)

    def action_refresh(self) -> None:
        if refused_offline(self, "refresh"):
            return
        if self.project:
            self.read_project(self.project)

    def _poll(self) -> None:
        """The 15 s re-read, only while a watch fails (the fallback), and skipped while another
        screen covers this one."""
        if not self.is_current or is_offline(self):
            return
        if not self.watches_healthy:
            self.action_refresh()
        if not self.fleet_watched:
            self.load_fleet()

    def on_screen_resume(self) -> None:
        self.catch_up()
        if is_offline(self) or self.watches_healthy:
            return
        if self.updated_at is not None and time.monotonic() - self.updated_at > POLL_SECONDS:
            self.action_refresh()

    def on_unmount(self) -> None:
        self.stop_following()
        self.stop_following_fleet()
        self.stop_sweeping()

    def on_resize(self, event: Resize) -> None:
        self.fit_panes(event.size.width)
        if self.query(ResourceTabs):  # a resize may arrive before the tabs mount
            self.tabs.narrow = event.size.width < NARROW_COLUMNS

    # -- choices up ----------------------------------------------------------------------
    @on(ProjectList.Chosen)
    def _project_chosen(self, event: ProjectList.Chosen) -> None:
        if not event.opened and event.name != self.projects.selected_key():
            return  # settled before the user moved on: the row the cursor is on now wins
        self.select_project(event.name)
        if event.opened:
            self.tabs.current_table().focus()

    @on(ResourceTabs.Highlighted)
    def _row_or_tab_changed(self) -> None:
        self.filter_bar.follow(self.tabs.current_table())
        self.show_details()

    @on(ResourceTabs.Chosen)
    def _drill_in(self, event: ResourceTabs.Chosen) -> None:
        """enter drills in: a deployment opens its diagnosis, a pod its logs."""
        if isinstance(event.chosen, Deployment):
            self.action_diagnose()
        elif isinstance(event.chosen, Pod):
            self.action_logs()

    def on_descendant_focus(self, event: object) -> None:
        focused = self.app.focused
        if isinstance(focused, ResourceTable):
            self._projects_in_use = isinstance(focused, ProjectList)
            self.filter_bar.follow(focused)

    # -- keys ----------------------------------------------------------------------------
    def action_all_projects(self) -> None:
        from tui.screens.all_projects import AllProjectsScreen

        self.ask_for_fleet()
        self.app.push_screen(AllProjectsScreen(self))

    def action_focus_projects(self) -> None:
        self._projects_in_use = True
        self.projects.focus()

    def action_yaml(self) -> None:
        from tui.screens.manifest import show_manifest

        show_manifest(self)
