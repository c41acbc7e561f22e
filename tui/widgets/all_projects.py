"""The all-projects table: every deployment of every project with its state, failing first.
Rows are built once per LIST; the filter narrows them without rebuilding their cells."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.text import Text

from checks.fleet import FleetRow
from tui.cells import state_text
from tui.widgets.resource_table import ResourceTable

COLUMNS = ("PROJECT", "NAME", "STATE", "RUNTIME", "KIND")


def fleet_cells(r: FleetRow) -> tuple:
    d = r.deployment
    return (
        Text(d.namespace),
        Text(d.name),
        state_text(r.state),
        Text(d.runtime or "-"),
        Text(d.kind, style="dim"),
    )


class AllProjectsTable(ResourceTable):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(COLUMNS, roomy=("STATE",), **kwargs)

    def show_fleet(self, rows: Sequence[FleetRow]) -> None:
        self.set_rows([(r.key, fleet_cells(r), r) for r in rows])
