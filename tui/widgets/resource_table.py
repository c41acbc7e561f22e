"""A DataTable of resources that keeps the objects behind its rows and filters as you type."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from rich.text import Text
from textual.widgets import DataTable

from tui import sorting

MAX_SHOWN = 1000


class ResourceTable(DataTable):
    """Rows are (key, cells, object); `filter_text` hides rows whose cells do not contain it.

    At most MAX_SHOWN rows are drawn (the first ones, newest first for events): a table of
    5,000 rows costs a second to draw and nobody reads it; the filter searches them all.
    """

    def __init__(self, columns: Sequence[str], **kwargs: Any) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self._columns = tuple(columns)
        self._rows: list[tuple[str, tuple, Any]] = []
        self.filter_text = ""
        self.hidden_rows = 0
        self._texts: list[str] = []
        self.sort_column: int | None = None  # S / R on the screen (tui/sorting.py)
        self.sort_reverse = False

    def on_mount(self) -> None:
        self.add_columns(*self._columns)

    def set_rows(self, rows: Sequence[tuple[str, tuple, Any]]) -> None:
        self._rows = list(rows)
        self._texts = [
            " ".join(c.plain if isinstance(c, Text) else str(c) for c in cells).lower()
            for _, cells, _ in self._rows
        ]
        self._render_rows()

    def apply_filter(self, text: str) -> None:
        self.filter_text = text
        self._render_rows()

    def _render_rows(self) -> None:
        selected = self.selected_key()
        self.clear()
        self.hidden_rows = 0
        needle = self.filter_text.strip().lower()
        self._sort_headers()
        for i in sorting.ordered(self._rows, self.sort_column, self.sort_reverse):
            (key, cells, _), plain = self._rows[i], self._texts[i]
            if needle and needle not in plain:
                continue
            if self.row_count >= MAX_SHOWN:
                self.hidden_rows += 1
                continue
            self.add_row(*cells, key=key)
        if selected is not None and selected in self.rows:
            self.move_cursor(row=self.get_row_index(selected))

    def sort_by(self, column: int | None, reverse: bool) -> None:
        self.sort_column, self.sort_reverse = column, reverse
        self._render_rows()

    def column_names(self) -> tuple[str, ...]:
        return self._columns

    def _sort_headers(self) -> None:
        for i, column in enumerate(self.ordered_columns):
            if i < len(self._columns):
                label = sorting.header(self._columns[i], i, self.sort_column, self.sort_reverse)
                column.label = Text(label)

    def selected_key(self) -> str | None:
        if not self.row_count:
            return None
        try:
            return self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
        except Exception:  # the cursor may sit past the rows while they are replaced
            return None

    def selected_object(self) -> Any:
        key = self.selected_key()
        return next((obj for k, _, obj in self._rows if k == key), None)

    def objects(self, keep: Callable[[Any], bool] = lambda _: True) -> list[Any]:
        return [obj for _, _, obj in self._rows if keep(obj)]
