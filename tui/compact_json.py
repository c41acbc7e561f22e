"""JSON for people at 80 columns: what fits on a line stays on it (an array of numbers, a small
object), what does not is broken one level at a time, and a long array of numbers is filled
line by line instead of one number per line (the iris body is 12 lines, not 26)."""

from __future__ import annotations

import json
from typing import Any

INDENT = 2


def dumps(value: Any, width: int = 72) -> str:
    return _format(value, 0, 0, max(20, width))


def _flat(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def _scalar(value: Any) -> bool:
    return not isinstance(value, dict | list)


def _format(value: Any, level: int, start: int, width: int) -> str:
    """`start`: the column where this value begins (after its key), so lines fit `width`."""
    flat = _flat(value)
    if _scalar(value) or not value or start + len(flat) <= width:
        return flat
    pad, inner = " " * (level * INDENT), " " * ((level + 1) * INDENT)
    if isinstance(value, list) and all(_scalar(v) for v in value):
        lines = [inner + line for line in _fill(value, width - len(inner))]
        return "[\n" + "\n".join(lines) + f"\n{pad}]"
    if isinstance(value, list):
        items = [inner + _format(v, level + 1, len(inner), width) for v in value]
    else:
        items = []
        for key, item in value.items():
            head = f"{inner}{_flat(key)}: "
            items.append(head + _format(item, level + 1, len(head), width))
    opening, closing = ("[", "]") if isinstance(value, list) else ("{", "}")
    return f"{opening}\n" + ",\n".join(items) + f"\n{pad}{closing}"


def _fill(values: list, room: int) -> list[str]:
    """Scalars separated by ", ", as many per line as fit in `room` columns."""
    lines: list[str] = []
    line = ""
    for index, value in enumerate(values):
        piece = _flat(value) + ("," if index < len(values) - 1 else "")
        if line and len(line) + 1 + len(piece) > room:
            lines.append(line)
            line = piece
        else:
            line = f"{line} {piece}" if line else piece
    lines.append(line)
    return lines
