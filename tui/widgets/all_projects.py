"""The all-projects table: every deployment of every project with its diagnosis verdict's mark,
its state (as `get deployments -A` words it) and its root cause (as `check --all -A`), failing
first.
Rows are kept as plain words (cheap at 10,000 deployments); only the rows drawn are styled, and
the filter narrows the kept rows without building cells again. A keystroke draws one screen of
rows at once and the rest of the SHOWN rows just after that frame, so typing stays quick."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.cells import cell_len
from rich.text import Text

from checks.resources.fleet import FleetRow
from checks.text import one_line
from tui.cells import VERDICT_STYLES
from tui.widgets.resource_table import ResourceTable

COLUMNS = ("PROJECT", "NAME", "STATE", "ROOT CAUSE", "RUNTIME", "KIND")
SHOWN = 200  # rows drawn: what a person reads; the filter searches every row


def fleet_cells(r: FleetRow) -> tuple[str, ...]:
    d = r.deployment  # every cell shown, never obeyed (drawn as Text: never markup)
    return (
        one_line(d.namespace),
        one_line(d.name),
        f"{r.mark} {one_line(r.state.text)}",
        one_line(r.cause),
        one_line(d.runtime or "-"),
        one_line(d.kind),
    )


class AllProjectsTable(ResourceTable):
    SHOWN = SHOWN
    # which project and which deployment matter as much as the state; the root cause, the
    # runtime and the kind are cut first (the diagnosis, `d`, has the whole root cause)
    CUT_LAST = frozenset({"PROJECT", "NAME", "STATE"})

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(COLUMNS, roomy={"STATE": 2, "ROOT CAUSE": 3}, **kwargs)
        self._drawing = 0  # which drawing the rows added after the frame belong to
        self._cursor_key: str | None = None
        self._wanted: str | None = None  # a row asked for before it was drawn (point_at)
        self._matching_rows = 0
        # row key -> (its deployment, (mark, state, cause), cells): `show_fleet` reuses them
        self._cells_of: dict[str, tuple[Any, tuple[str, str, str], tuple[str, ...]]] = {}

    def _render_rows(self) -> None:
        """One screen of rows now (what the next frame shows), the rest after that frame."""
        self._drawing += 1
        first = min(self.SHOWN, max(self.size.height, 1) + 2)
        self._cursor_key = self._wanted or self.selected_key()
        self.SHOWN = first  # this instance only, for the base class's drawing
        self._looks = None  # the base sees the first rows only: never "the same table again"
        try:
            super()._render_rows()
        finally:
            del self.SHOWN
        if self._wanted is not None and self._wanted in self.rows:
            self.move_cursor(row=self.get_row_index(self._wanted))
            self._wanted = None
        total = self._matching_rows = self.row_count + self.hidden_rows
        self.hidden_rows = max(0, total - self.SHOWN)
        if self.row_count < min(total, self.SHOWN):
            self.call_after_refresh(self._render_rest, self._drawing)

    def on_unmount(self) -> None:
        """The screen is gone: drop the 10,000 rows now (freed by reference counting), so the
        widgets' own cycles, left to the cycle collector, hold nothing big."""
        self._drawing += 1
        self._rows, self._by_key, self._texts, self._matches = [], {}, [], []
        self._cells_of = {}
        self._matched_for = None

    @property
    def drawn_rows(self) -> int:
        """Rows drawn once the rest after the first frame is in."""
        return min(self.SHOWN, self._matching_rows)

    def _render_rest(self, drawing: int) -> None:
        if drawing != self._drawing:  # typed again since: that drawing is the one wanted
            return
        order = self._in_order(list(self._matches))
        for i in order[self.row_count : self.SHOWN]:
            key, cells, obj = self._rows[i]
            self.add_row(*self._drawn(cells, obj), key=key)
        cursor = self._cursor_key
        if cursor is not None and cursor in self.rows and self.selected_key() != cursor:
            self.move_cursor(row=self.get_row_index(cursor))
        if self._wanted in self.rows:
            self._wanted = None

    def point_at(self, key: str) -> None:
        """A row drawn after the first frame (or after the table is sized) gets the cursor
        when it is drawn."""
        if key in self.rows:
            super().point_at(key)
        else:
            self._wanted = self._cursor_key = key

    def show_fleet(self, rows: Sequence[FleetRow]) -> None:
        """The rows' cells, made again only for the rows whose mark, state or root cause
        changed: verdicts land in batches during the console's sweep, and each batch made
        all 10,000 rows' cells again (60,000 cells sanitised) while keys waited."""
        before, kept = self._cells_of, {}
        table = []
        for r in rows:
            key, shown = r.key, (r.mark, r.state.text, r.cause)
            seen = before.get(key)
            if seen is not None and seen[0] is r.deployment and seen[1] == shown:
                cells = seen[2]
            else:
                cells = fleet_cells(r)
            kept[key] = (r.deployment, shown, cells)
            table.append((key, cells, r))
        self._cells_of = kept
        self.set_rows(table)

    def set_rows(self, rows: Sequence[tuple[str, tuple, Any]]) -> None:
        """As the base table's, for cells that are plain words: each column's widest cell is
        measured once per distinct value (500 projects, a few states), not per row."""
        self._rows = list(rows)
        self._by_key = {key: obj for key, _, obj in self._rows}
        self._texts = [" ".join(cells).lower() for _, cells, _ in self._rows]
        columns = list(zip(*(cells for _, cells, _ in self._rows), strict=True)) or [
            () for _ in self._columns
        ]
        self._natural = [
            max([cell_len(header), *map(cell_len, set(column))])
            for header, column in zip(self._columns, columns, strict=True)
        ]
        self._matched_for = None
        self._widths = self._fitted()
        self._render_rows()

    def _cells(self, cells: tuple, obj: Any) -> list[Any]:
        drawn = super()._cells(cells, obj)
        style = VERDICT_STYLES[obj.verdict] if isinstance(obj, FleetRow) else ""
        return [
            Text(drawn[0]),
            Text(drawn[1]),
            Text(drawn[2], style=style),
            Text(drawn[3], style=style if style != "green" else ""),
            Text(drawn[4]),
            Text(drawn[5], style="dim"),
        ]
