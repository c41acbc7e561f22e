"""kubectl-style tables, and JSON/YAML of the typed objects with every secret value masked."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from checks.resources import masked
from checks.text import one_line


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """Columns padded to the widest cell, three spaces apart, as `kubectl get` prints them."""
    cells = [[str(h) for h in headers]] + [[_cell(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = [
        "   ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip() for row in cells
    ]
    return "\n".join(lines)


def _cell(value: Any) -> str:
    if value is None or value == "":
        return "<none>"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return one_line(str(value))  # names and messages come from others: shown, never obeyed


def to_plain(obj: Any) -> Any:
    """Dataclasses to dicts; fields hidden from repr hold secrets and come out masked."""
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        out = {}
        for f in dataclasses.fields(obj):
            value = getattr(obj, f.name)
            out[f.name] = masked(value) if not f.repr else to_plain(value)
        return out
    if isinstance(obj, dict):
        return {str(k): to_plain(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple | set | frozenset):
        return [to_plain(v) for v in obj]
    if isinstance(obj, datetime):
        return obj.isoformat().replace("+00:00", "Z")
    return obj


def as_json(obj: Any) -> str:
    return json.dumps(to_plain(obj), indent=2, sort_keys=False)


def as_yaml(obj: Any) -> str:
    import yaml

    return yaml.safe_dump(to_plain(obj), sort_keys=False, allow_unicode=True).rstrip()
