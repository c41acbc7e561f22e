"""Sorting a table by one of its columns (S picks the column, R reverses): numbers as numbers,
kubectl ages (45s, 12m, 3h, 5d) as durations, the rest as text. The header shows ▲ or ▼."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from rich.text import Text

UP, DOWN = "▲", "▼"
NO_SORT_YET = "Press S first to choose the column to sort by; R then reverses it."
_AGE = re.compile(r"^(\d+)([smhd])$")
_UNIT = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
_READY = re.compile(r"^(\d+)/(\d+)$")


def plain(cell: Any) -> str:
    return cell.plain if isinstance(cell, Text) else str(cell)


def cell_key(cell: Any) -> tuple[int, float, str]:
    """Numbers and ages before words, each in its own order; `1/2` sorts as 0.5."""
    text = plain(cell).strip()
    if _NUMBER.match(text):
        return (0, float(text), "")
    if match := _AGE.match(text):
        return (0, float(match[1]) * _UNIT[match[2]], "")
    if (match := _READY.match(text)) and int(match[2]):
        return (0, int(match[1]) / int(match[2]), "")
    return (1, 0.0, text.lower())


def ordered(rows: Sequence[tuple[str, tuple, Any]], column: int | None, reverse: bool) -> list[int]:
    """The indexes of `rows` in display order (stable: equal cells keep the API's order)."""
    indexes = list(range(len(rows)))
    if column is None:
        return indexes[::-1] if reverse else indexes
    return sorted(indexes, key=lambda i: cell_key(rows[i][1][column]), reverse=reverse)


def header(label: str, index: int, column: int | None, reverse: bool) -> str:
    if index != column:
        return label
    return f"{label} {DOWN if reverse else UP}"


def sort_next(table: Any) -> str:
    """S: sort `table` (a tui ResourceTable) by its next headed column, past the last back to
    the API's order; returns what the toast says."""
    names = table.column_names()
    current = table.sort_column
    following = 0 if current is None else current + 1
    while following < len(names) and not names[following]:
        following += 1  # a column without a header (the project's platform tag, its mark)
    if following >= len(names):
        table.sort_by(None, False)
        return "Sorted as the API lists them (S again sorts by the first column)."
    table.sort_by(following, table.sort_reverse)
    mark = DOWN if table.sort_reverse else UP
    return f"Sorted by {names[following]} {mark} (S: next column, R: reverse)."


def sort_reversed(table: Any) -> str | None:
    """R: the other order; None (nothing done) before S chose a column."""
    if table.sort_column is None:
        return None
    table.sort_by(table.sort_column, not table.sort_reverse)
    mark = DOWN if table.sort_reverse else UP
    return f"Sorted by {table.column_names()[table.sort_column]} {mark}."
