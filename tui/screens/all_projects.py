"""The All projects view (`0`): every deployment the user may list, failing first: its
diagnosis verdict's mark (the console's background `check --all -A`; the legend under the
header), its state in `get deployments -A`'s words, and its root cause. `/` filters,
S/R sort; enter opens the deployment in its project, `d` diagnoses it (escape from the
diagnosis comes back here); `0` or escape goes back. Opened again, it is where it was left:
the same row, sort and filter."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from checks.resources.fleet import LEGEND, FleetRow
from tui.access import session_of
from tui.focus import key_belongs_to_a_box
from tui.safe import SafeStatic
from tui.sorting import NO_SORT_YET, sort_next, sort_reversed
from tui.widgets.all_projects import AllProjectsTable
from tui.widgets.filter_bar import FilterBar
from tui.widgets.header import HeaderBar

if TYPE_CHECKING:
    from tui.screens.fleet_view import FleetView


@dataclass(frozen=True)
class FleetPlace:
    """Where the view was left: kept by the main screen while the view is closed."""

    key: str | None
    sort_column: int | None
    sort_reverse: bool
    filter_text: str


class AllProjectsScreen(Screen):
    HELP_TITLE = "all projects"
    MARKS_LEGEND = True  # help shows what the marks mean
    BINDINGS = [
        Binding("d", "diagnose", "Diagnose", tooltip="run the checks on the deployment"),
        Binding(
            "slash",
            "filter",
            "Filter",
            key_display="/",
            tooltip="filter as you type",
            priority=True,  # opens before the keys typed after it are dispatched (tui/focus.py)
        ),
        Binding(
            "r", "refresh", "Refresh", tooltip="list every project's deployments, diagnose again"
        ),
        Binding("S", "sort", "Sort", show=False, tooltip="by the next column (▲ in its header)"),
        Binding("R", "reverse_sort", "Reverse", show=False, tooltip="the sort order (▲/▼)"),
        Binding("0", "back", "Back", tooltip="back to the project"),
        Binding("escape", "back_or_clear", "Back", show=False, tooltip="clear filter, or back"),
    ]

    def __init__(self, main: FleetView) -> None:
        super().__init__()
        self.main = main

    def compose(self) -> ComposeResult:
        yield HeaderBar("All projects", id="header")
        legend = LEGEND
        if not session_of(self).options.background_diagnosis:
            legend += "  (background diagnosis off: d diagnoses one)"
        yield Static(Text(legend, style="dim"), id="fleet-legend")
        yield SafeStatic("", id="fleet-note", classes="pane-error")
        yield AllProjectsTable(id="fleet")
        yield FilterBar(id="filter")
        yield SafeStatic("", id="status")
        yield Footer(compact=True)

    @property
    def table(self) -> AllProjectsTable:
        return self.query_one(AllProjectsTable)

    def on_mount(self) -> None:
        self.query_one("#fleet-note").display = False
        place: FleetPlace | None = self.main.fleet_place
        table = self.table
        if place is not None:
            table.sort_column, table.sort_reverse = place.sort_column, place.sort_reverse
            table.filter_text = place.filter_text
        self.show_fleet(self.main.fleet_view_rows(), self.main.fleet_error)
        if place is not None and place.key:
            table.point_at(place.key)
        self.query_one(FilterBar).follow(table)  # a kept filter is shown, not hidden
        table.focus()

    def remember_place(self) -> None:
        table = self.table
        self.main.fleet_place = FleetPlace(
            table.selected_key(), table.sort_column, table.sort_reverse, table.filter_text
        )

    def on_screen_suspend(self) -> None:
        self.remember_place()  # popped, or covered by a diagnosis

    def show_fleet(self, rows: list[FleetRow] | None, error: str = "") -> None:
        note = self.query_one("#fleet-note", Static)
        status = self.query_one("#status", Static)
        if rows is None:
            note.update(Text(f"✗ {error}", style="bold red") if error else "")
            note.display = bool(error)
            status.update(Text("listing every project's deployments…"))
            return
        self.table.show_fleet(rows)
        failed = sum(r.failed for r in rows)
        pending = sum(r.verdict == "pending" for r in rows)
        projects = len({r.deployment.namespace for r in rows})
        line = Text(f"{len(rows):,} deployment(s) in {projects:,} project(s)")
        if failed:
            line.append(f" · ✗ {failed:,} failed", style="bold red")
        if pending:
            line.append(f" · diagnosing {pending:,}…")
        status.update(line)
        hidden = self.table.hidden_rows
        note.update(
            f"showing the first {self.table.drawn_rows:,}; press / to filter them all"
            if hidden
            else (Text(f"⚠ {error}", style="bold yellow") if error else "")
        )
        note.display = bool(hidden or error)

    def selected(self) -> FleetRow | None:
        found = self.table.selected_object()
        return found if isinstance(found, FleetRow) else None

    @on(DataTable.RowSelected)
    def _open(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if (row := self.selected()) is not None:
            d = row.deployment
            self.main.jump_to(d.namespace, "deployments", d.name)

    def action_diagnose(self) -> None:
        row = self.selected()
        if row is None:
            self.notify("Select a deployment first.", severity="warning")
            return
        namespace, name, main = row.deployment.namespace, row.deployment.name, self.main

        def act() -> None:  # an LLMInferenceService too, not only an InferenceService
            dep = main.snapshot.any_deployment(name, namespace) if main.snapshot else None
            if dep is None:
                main.notify(f"{namespace}/{name} is gone.", severity="warning", markup=False)
                return
            main.diagnose(dep, back_to=main.action_all_projects)  # type: ignore[attr-defined]

        main.jump_to(namespace, "deployments", name)
        main.when_project_loaded(namespace, act)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if key_belongs_to_a_box(self, action):
            return False  # the key goes on to the filter as text
        return super().check_action(action, parameters)

    def action_filter(self) -> None:
        self.query_one(FilterBar).open_for(self.table, "all deployments")

    def action_back_or_clear(self) -> None:
        bar = self.query_one(FilterBar)
        if self.table.filter_text:
            bar.target = self.table
            bar.clear()
        else:
            self.action_back()

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_refresh(self) -> None:
        self.main.load_fleet(again=True)

    def action_sort(self) -> None:
        self.notify(sort_next(self.table))

    def action_reverse_sort(self) -> None:
        said = sort_reversed(self.table)
        self.notify(said or NO_SORT_YET, severity="information" if said else "warning")
