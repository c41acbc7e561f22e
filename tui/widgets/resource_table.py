"""A DataTable of resources that keeps the objects behind its rows, filters as you type, and
fits its columns to the room there is: names cut in the middle, other cells at their end, every
cut marked with `…`, no column narrower than its header."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual.events import Resize
from textual.widgets import DataTable

from checks.text import one_line
from tui import safe, sorting
from tui.truncate import cut_text, fit_widths

MAX_SHOWN = 1000
NAME_HEADERS = frozenset({"NAME", "OBJECT", "PROJECT", "DEPLOYMENT"})  # cut in the middle
CUT_LAST = frozenset({"NAME", "STATE", "STATUS"})  # cut after KIND, FORMAT, PLATFORM… (issue 25)
SCROLLBAR = 2  # columns kept for the vertical scrollbar
ROOMY = {"MESSAGE": 3}  # a message keeps three times the width of the other cut columns


def _shown(cell: Any) -> Any:
    """A cell as it may be shown: one line, control characters made visible."""
    if type(cell) is str:
        return one_line(cell)
    return safe.line(cell)


def _plain(cell: Any) -> str:
    if type(cell) is str:
        return cell
    return cell.plain if isinstance(cell, Text) else str(cell)


def _looks(
    rows: list[tuple[str, tuple, Any]], widths: list[int], headers: list[str]
) -> tuple | None:
    """What makes two renderings of the table alike, from the rows as kept (words, or Text
    whose `==` would ignore the base style) and the fitted widths they are cut to; None when a
    cell is another renderable, never taken as unchanged."""
    shown: list[object] = []
    for key, cells, _ in rows:
        for cell in cells:
            if type(cell) is str:
                shown.append(cell)
                continue
            if not isinstance(cell, Text):
                return None
            spans = tuple((s.start, s.end, str(s.style)) for s in cell.spans)
            shown.append((cell.plain, str(cell.style), spans, cell.justify, cell.overflow))
        shown.append(key)
    return (tuple(widths), tuple(headers), tuple(shown))


class ResourceTable(DataTable):
    """Rows are (key, cells, object); `filter_text` hides rows whose cells do not contain it.

    At most MAX_SHOWN rows are drawn (the first ones, newest first for events): a table of
    5,000 rows costs a second to draw and nobody reads it; the filter searches them all, and a
    longer filter only searches the rows the shorter one kept.
    `roomy` headers (a message) keep that many times the others' width when all are cut.
    """

    SHOWN = MAX_SHOWN  # rows drawn at most; a subclass may draw fewer
    STAGED = True  # one screen of rows at once, the rest after that frame (`_render_rows`)
    CUT_LAST = CUT_LAST  # headers cut only once the others are at their floors

    def __init__(
        self, columns: Sequence[str], *, roomy: Mapping[str, int] = ROOMY, **kwargs: Any
    ) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self._columns = tuple(columns)
        self._roomy = dict(roomy)
        self._rows: list[tuple[str, tuple, Any]] = []
        self._by_key: dict[str, Any] = {}
        self.filter_text = ""
        self.hidden_rows = 0
        self._texts: list[str] = []
        self.sort_column: int | None = None  # S / R on the screen (tui/sorting.py)
        self.sort_reverse = False
        self._natural = [cell_len(c) for c in self._columns]
        self._widths: list[int] = list(self._natural)
        self._matches: list[int] = []
        self._matched_for: str | None = None
        self._looks: tuple | None = None  # what the rows drawn last look like (`_looks`)
        self._generation = 0  # which drawing the rows added after its first frame belong to
        self._pending_cursor: str | None = None  # the cursor's row, among those still to add
        self._rest_pending = False  # rows past the first screen wait for the next frame
        self._to_draw = 0  # rows this drawing shows once the rest is in

    def on_mount(self) -> None:
        self.add_columns(*self._columns)

    def set_rows(self, rows: Sequence[tuple[str, tuple, Any]]) -> None:
        """Every text cell is sanitised here (a name from a capture may hold an escape sequence),
        so widths and the filter see what is drawn; words stay str (cheap for 5,000 events),
        and only the rows drawn become Text (`_drawn`: a str cell would be read as markup)."""
        self._rows = [(key, tuple(_shown(c) for c in cells), obj) for key, cells, obj in rows]
        self._by_key = {key: obj for key, _, obj in self._rows}
        self._texts = [" ".join(_plain(c) for c in cells).lower() for _, cells, _ in self._rows]
        natural = [cell_len(c) for c in self._columns]
        for _, cells, _ in self._rows:
            for i, c in enumerate(cells):
                width = cell_len(_plain(c))
                if width > natural[i]:
                    natural[i] = width
        self._natural = natural
        self._matched_for = None
        self._widths = self._fitted()
        self._render_rows()

    def apply_filter(self, text: str) -> None:
        self.filter_text = text
        self._render_rows()

    def _fitted(self) -> list[int]:
        width = self.size.width
        if width <= 0:
            return list(self._natural)
        room = width - SCROLLBAR - 2 * self.cell_padding * len(self._columns)
        floors = [cell_len(h) for h in self._columns]
        weights = [self._roomy.get(h, 1) for h in self._columns]
        last = frozenset(i for i, h in enumerate(self._columns) if h in self.CUT_LAST)
        return fit_widths(self._natural, floors, max(room, len(self._columns)), weights, last)

    def on_resize(self, event: Resize) -> None:
        widths = self._fitted()
        if widths != self._widths:
            self._widths = widths
            self._render_rows()

    def _matching(self, needle: str) -> list[int]:
        """Indices of the rows that contain `needle`, narrowing the last answer when it can."""
        previous = self._matched_for
        if previous and needle.startswith(previous):
            candidates: Sequence[int] = self._matches
        else:
            candidates = range(len(self._rows))
        texts = self._texts
        self._matches = (
            [i for i in candidates if needle in texts[i]] if needle else list(candidates)
        )
        self._matched_for = needle
        return self._matches

    def _cells(self, cells: tuple, obj: Any) -> list[Any]:
        """The cells as drawn: cut to the fitted widths (a subclass may style them here, for
        the few rows drawn rather than the thousands kept)."""
        return [
            cut_text(c, w, middle=h in NAME_HEADERS) if isinstance(c, Text | str) else c
            for c, w, h in zip(cells, self._widths, self._columns, strict=False)
        ]

    def _drawn(self, cells: tuple, obj: Any) -> list[Any]:
        """The cells handed to the table: words as Text, never read as markup (`[/x]`)."""
        return [Text(c) if type(c) is str else c for c in self._cells(cells, obj)]

    def _render_rows(self) -> None:
        needle = self.filter_text.strip().lower()
        self._sort_headers()
        matches = self._in_order(self._matching(needle))
        self.hidden_rows = max(0, len(matches) - self.SHOWN)
        shown = [self._rows[i] for i in matches[: self.SHOWN]]
        self._to_draw = len(shown)
        looks = _looks(shown, self._widths, [str(c.label) for c in self.columns.values()])
        if looks is not None and looks == self._looks:
            return  # the same table again (a watch event elsewhere): no clear, no layout
        self._looks = looks
        self._generation += 1
        selected = self._pending_cursor or self.selected_key()
        self.clear()
        for column, width in zip(self.columns.values(), self._widths, strict=False):
            column.auto_width, column.width = False, width  # fitted: no measuring per cell
        # one screen of rows now (the next frame's), the rest of them just after that frame:
        # a keystroke in the filter of a 1,000-row table waits for 40 rows, not 1,000
        first = max(self.size.height, 1) + 2 if self._staged() else len(shown)
        self._add(shown[:first])
        self._pending_cursor, self._rest_pending = None, len(shown) > first
        if selected is not None and selected in self.rows:
            self.move_cursor(row=self.get_row_index(selected))
        elif self._rest_pending:
            self._pending_cursor = selected  # its row may be among the rest
        if self._rest_pending:
            self.call_after_refresh(self._add_rest, self._generation, shown[first:])

    def _staged(self) -> bool:
        """Rows past the first screen wait for the next frame only where a frame is coming:
        on the screen in front (a screen underneath is not refreshed, so its rest would wait
        until it is shown again)."""
        if not self.STAGED:
            return False
        try:
            return self.screen.is_current
        except Exception:  # not mounted on a screen yet
            return False

    def _add(self, rows: list[tuple[str, tuple, Any]]) -> None:
        for key, cells, obj in rows:
            self.add_row(*self._drawn(cells, obj), key=key)

    def _add_rest(self, generation: int, rows: list[tuple[str, tuple, Any]]) -> None:
        if generation != self._generation:
            return  # drawn again since (a keystroke, a new snapshot): that drawing stands
        self._add(rows)
        self._rest_pending = False
        selected, self._pending_cursor = self._pending_cursor, None
        if selected is not None and selected in self.rows and self.selected_key() != selected:
            self.move_cursor(row=self.get_row_index(selected))

    def _in_order(self, matches: list[int]) -> list[int]:
        """The matching rows in the chosen sort order (the API's order when none)."""
        if self.sort_column is None and not self.sort_reverse:
            return matches
        order = sorting.ordered(self._rows, self.sort_column, self.sort_reverse)
        wanted = set(matches)
        return [i for i in order if i in wanted]

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

    @property
    def drawn_rows(self) -> int:
        """Rows drawn once those after the first frame are in (`row_count` may still be
        one screen's)."""
        return self._to_draw

    def point_at(self, key: str) -> None:
        """The cursor on the row of `key`, when that row is drawn (a row among those added
        after the first frame gets it then)."""
        if key in self.rows:
            if self.selected_key() != key:
                self.move_cursor(row=self.get_row_index(key))
        elif self._rest_pending:
            self._pending_cursor = key

    def selected_object(self) -> Any:
        key = self.selected_key()
        return self._by_key.get(key) if key is not None else None

    def shown_objects(self) -> list[Any]:
        """The objects of the rows drawn, in their order (what the filter and sort left)."""
        return [self._by_key.get(key.value or "") for key in self.rows]

    def objects(self, keep: Callable[[Any], bool] = lambda _: True) -> list[Any]:
        return [obj for _, _, obj in self._rows if keep(obj)]
