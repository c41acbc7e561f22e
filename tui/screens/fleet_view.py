"""The main screen's view of every project: the all-projects LIST behind the project marks and
the All projects view (`0`), a loaded project's own states upgrading its rows; and the layout
keys of an 80-column terminal: the project pane that folds away (`p`) and the details box that
takes the whole screen (`z`). A layer of the main screen, kept apart so the screen stays small."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Callable, Iterator
from typing import Any, Protocol, runtime_checkable

from textual import work
from textual.css.query import NoMatches

from checks.cluster.snapshot import Snapshot
from checks.errors import DoctorError
from checks.resources.fleet import FleetRow, in_order, project_marks, with_verdicts
from checks.text import one_line
from tui.access import holder, session_of
from tui.screens.fleet_live import FleetLive
from tui.screens.navigation import Navigation
from tui.widgets.resource_table import ResourceTable
from tui.widgets.status_line import StatusLine

PANE_COLUMNS = 100  # below this the project pane folds away until `p` brings it back


_settled = {"frozen": 0}  # objects frozen after the last full collection
BIG_FLEET = 2_000  # rows from which the collector's passes show as pauses


@contextlib.contextmanager
def fleet_sized(
    after_frame: Callable[[Callable[[], None]], object], rows: Callable[[], int]
) -> Iterator[None]:
    """Tens of thousands of objects are built at once for a fleet (10,000 deployments): the
    cycle collector would walk all of them again and again while they are built (a third of
    the time), then on a keystroke now and then (a 0.1-0.3 s pause). So no collection while
    they are built and drawn; once the frame is out, everything joins the frozen generation
    (`gc.freeze`), which collections skip. Rows replaced later are freed by reference counting
    (they hold no cycles); cyclic garbage that was frozen is reclaimed by one full collection
    whenever the frozen generation has grown by half since the last one. A small fleet (most
    clusters) leaves the collector as it was: a full collection of a large process costs more
    than the pauses it saves there."""
    enabled = gc.isenabled()
    gc.disable()

    def settle() -> None:
        if rows() < BIG_FLEET:
            if enabled:
                gc.enable()
            return
        gc.freeze()
        if gc.get_freeze_count() > 1.5 * _settled["frozen"]:
            gc.unfreeze()
            gc.collect()
            gc.freeze()
            _settled["frozen"] = gc.get_freeze_count()
        if enabled:
            gc.enable()

    try:
        yield
    finally:
        after_frame(settle)


@runtime_checkable
class ShowsFleet(Protocol):
    """A screen that shows the fleet's rows (the All projects view), told when they change; the
    view is the one that knows this layer, not the other way round (no import circle)."""

    is_mounted: bool

    def show_fleet(self, rows: list[FleetRow] | None, error: str = "") -> None: ...


class FleetView(FleetLive, Navigation):
    MARKS_LEGEND = True  # help shows what the project marks mean
    fleet_rows: list[FleetRow] | None = None
    fleet_error = ""
    fleet_place: Any = None  # where the `0` view was left (tui.screens.all_projects.FleetPlace)
    _pane_choice: bool | None = None  # the user's `p`; None: by the width
    _wide: bool | None = None

    # -- every project ---------------------------------------------------------------------
    _fleet_asked = False  # the first LIST waits for the first frame with data
    _fleet_read: Snapshot | None = None  # its snapshot: the fleet's watches go on from it

    def _fleet_after_frame(self) -> None:
        """The first LIST of every project's deployments, once, after the frame being drawn:
        its answers (and their parsing) would otherwise delay the project's own."""
        if not self._fleet_asked:
            self._fleet_asked = True
            self.call_after_refresh(self.load_fleet)

    @work(exclusive=True, group="fleet", description="list every project's deployments")
    async def load_fleet(self, again: bool = False) -> None:
        """The LIST behind the marks and the `0` view; then the sweep diagnoses what has no
        verdict yet (`again`: every deployment, a refresh asked for in the `0` view)."""
        with fleet_sized(self.app.call_after_refresh, lambda: len(self.fleet_rows or ())):
            await self._load_fleet()
        self.sweep_wanted(again=again)
        if not self.fleet_error and self.query("#projects"):
            # from now on the changes come to it (tui/screens/fleet_live.py), from this read on
            seed, self._fleet_read = self._fleet_read, None
            self.follow_fleet(seed)

    async def _load_fleet(self) -> None:
        try:
            rows, self._fleet_read = await session_of(self).fleet()
        except DoctorError as error:
            self.fleet_error = one_line(f"cannot list deployments across projects: {error}")
            self._fleet_changed()
            return
        self.fleet_rows, self.fleet_error = with_verdicts(rows, self.verdicts()), ""
        if not self.query("#projects"):  # replaced (a context switch) while listing
            return
        self._fleet_changed()

    def fleet_saw(self, snapshot: Snapshot) -> None:
        """A project was read: its rows take its snapshot's states (the freshest), and any
        deployment new to the fleet is diagnosed."""
        if snapshot.namespace is None:
            return
        verdicts = self.verdicts()
        own = [
            FleetRow(d, snapshot.state_of(d), verdicts.get(f"{d.namespace}/{d.name}"))
            for d in snapshot.all_deployments
        ]
        self.loaded_states()[snapshot.namespace] = own
        self._fleet_changed()
        self.sweep_wanted()

    def fleet_seen_live(self, rows: list[FleetRow]) -> None:
        """Every project's rows as the watches hold them now: a deployment whose state changed,
        or that is new, is diagnosed (again); the other projects' own reads are older than
        this, so only the open project's stays."""
        before = {  # the fleet's own last look (the open project's reads may be newer)
            (r.deployment.namespace, r.deployment.name): r.state.text for r in self.fleet_rows or []
        }
        changed = {
            f"{r.deployment.namespace}/{r.deployment.name}"
            for r in rows
            if before.get((r.deployment.namespace, r.deployment.name), r.state.text) != r.state.text
        }
        same = before.keys() == {(r.deployment.namespace, r.deployment.name) for r in rows}
        if not changed and same:
            return  # a restart count, an event: nothing a mark or a STATE shows
        self.diagnose_again(changed)
        current = getattr(self, "project", None)
        loaded = self.loaded_states()
        for namespace in [n for n in loaded if n != current]:
            loaded.pop(namespace)
        self.fleet_rows, self.fleet_error = rows, ""
        self.verdicts_changed()  # every row, the open project's too, takes the verdicts now
        self.sweep_wanted()

    def fleet_view_rows(self) -> list[FleetRow] | None:
        """The LIST's rows, a loaded project's replaced by what its snapshot says (only those
        when the LIST was refused: what is known, under the refusal)."""
        if self.fleet_rows is None and not self.fleet_error:
            return None
        loaded = self.loaded_states()
        if not loaded:
            return self.fleet_rows or []
        known = self.fleet_rows or []
        rows = [r for r in known if r.deployment.namespace not in loaded]
        for own in loaded.values():
            rows.extend(own)
        return in_order(rows)

    def verdicts_changed(self) -> None:
        """New verdicts landed (tui/screens/fleet_sweep.py): every row shows them."""
        verdicts = self.verdicts()
        if self.fleet_rows is not None:
            self.fleet_rows = with_verdicts(self.fleet_rows, verdicts)
        loaded = self.loaded_states()
        for namespace, own in loaded.items():
            loaded[namespace] = with_verdicts(own, verdicts)
        self._fleet_changed()

    def count_elsewhere(self) -> None:
        """The status line's counts of failing deployments, in the open project and outside
        it: the same verdicts as the marks and the `0` view."""
        rows = self.fleet_view_rows() or []
        current = getattr(self, "project", None)
        own = [r for r in rows if r.deployment.namespace == current]
        for line in self.query(StatusLine):
            line.elsewhere = sum(r.failed and r.deployment.namespace != current for r in rows)
            pending = not own or any(r.verdict == "pending" for r in own)
            line.here = None if pending else sum(r.failed for r in own)

    def _fleet_changed(self) -> None:
        rows = self.fleet_view_rows()
        if rows is not None and self.query("#projects"):
            self.projects.set_marks(project_marks(rows))
        self.count_elsewhere()
        for screen in self.app.screen_stack:
            if isinstance(screen, ShowsFleet) and screen.is_mounted:
                screen.show_fleet(rows, self.fleet_error)

    def ask_for_fleet(self) -> None:
        """The All projects view opens: list the fleet now if it was never listed."""
        if self.fleet_rows is None and not self.fleet_error:
            self._fleet_asked = True
            self.load_fleet()

    # -- 80 columns ------------------------------------------------------------------------
    def fit_panes(self, width: int) -> None:
        """Fold the project pane below PANE_COLUMNS (a choice made with `p` holds until the
        width crosses the line again); above it the pane is always there."""
        wide = width >= PANE_COLUMNS
        if wide != self._wide:
            self._wide, self._pane_choice = wide, None if wide else self._remembered_pane()
        self._show_pane(wide if self._pane_choice is None else self._pane_choice)

    def _remembered_pane(self) -> bool | None:
        """On a narrow screen, the pane as the user last left it there (tui/prefs.py)."""
        choice = getattr(getattr(self.app, "prefs", None), "projects_pane", None)
        return {"shown": True, "hidden": False}.get(choice or "")

    def _show_pane(self, shown: bool) -> None:
        try:
            left = self.query_one("#left")
        except NoMatches:  # a resize before the panes mount
            return
        left.display = shown
        if not shown and self.projects.has_focus:
            self._projects_in_use = False
            self._focus_current_table()

    def _focus_current_table(self, retry: bool = True) -> None:
        """Focus leaves the folded pane for the table; a resize while the tabs are still
        composing tries again after the next refresh."""
        try:
            self.tabs.current_table().focus()
        except NoMatches:
            if retry:
                self.call_after_refresh(self._focus_current_table, False)

    def action_toggle_projects(self) -> None:
        """`p`: the project list, focused; on a narrow screen a second `p` folds it away."""
        left = self.query_one("#left")
        if left.display and not self._wide:
            self._pane_choice = False
            self._show_pane(False)
            holder(self).remember(projects_pane="hidden")
            return
        self._pane_choice = True
        if not self._wide:
            holder(self).remember(projects_pane="shown")
        self._show_pane(True)
        self._projects_in_use = True
        self.projects.focus()

    def action_maximise(self) -> None:
        """`z`: the details box takes the tables' room (and back), focused to scroll it."""
        self.toggle_class("-max-details")
        if self.has_class("-max-details"):
            self.details.focus()
        else:
            table: ResourceTable = self.tabs.current_table()
            table.focus()
