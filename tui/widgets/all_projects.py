"""The all-projects table: every deployment of every project with its state, failing first.
Rows are kept as plain words (cheap at 10,000 deployments); only the rows drawn are styled, and
the filter narrows the kept rows without building cells again."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.text import Text

from checks.fleet import FleetRow
from checks.text import one_line
from tui.cells import SEVERITY_STYLES
from tui.widgets.resource_table import ResourceTable

COLUMNS = ("PROJECT", "NAME", "STATE", "RUNTIME", "KIND")
SHOWN = 200  # rows drawn: what a person reads; the filter searches every row


def fleet_cells(r: FleetRow) -> tuple[str, ...]:
    d = r.deployment
    return (
        d.namespace,
        d.name,
        f"{r.state.mark} {one_line(r.state.text)}",
        d.runtime or "-",
        d.kind,
    )


class AllProjectsTable(ResourceTable):
    SHOWN = SHOWN

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(COLUMNS, roomy={"STATE": 2}, **kwargs)

    def show_fleet(self, rows: Sequence[FleetRow]) -> None:
        self.set_rows([(r.key, fleet_cells(r), r) for r in rows])

    def _cells(self, cells: tuple, obj: Any) -> list[Any]:
        drawn = super()._cells(cells, obj)
        state = SEVERITY_STYLES[obj.state.severity] if isinstance(obj, FleetRow) else ""
        return [
            Text(drawn[0]),
            Text(drawn[1]),
            Text(drawn[2], style=state),
            Text(drawn[3]),
            Text(drawn[4], style="dim"),
        ]
