"""Cutting text to a width so that every cut shows `…`: names lose their middle (the unique
suffix of a pod name is at its end), other words lose their end. Column widths are fitted to the
room there is, widest column first, never below its header."""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from rich.text import Text

ELLIPSIS = "…"


def cut_middle(text: str, width: int) -> str:
    """`kserve-iris-predictor-…-7d9f8` : the start and the end both survive."""
    if cell_len(text) <= width:
        return text
    if width <= 1:
        return ELLIPSIS[:width]
    keep = width - 1
    head = (keep + 1) // 2
    tail = keep - head
    return text[:head] + ELLIPSIS + (text[-tail:] if tail else "")


def cut_end(text: str, width: int) -> str:
    if cell_len(text) <= width:
        return text
    if width <= 1:
        return ELLIPSIS[:width]
    cut = text[: width - 1]
    while cell_len(cut) > width - 1:  # wide characters
        cut = cut[:-1]
    return cut + ELLIPSIS


def cut_text(text: Text | str, width: int, middle: bool = False) -> Text | str:
    """A cell cut to `width`, keeping its style; the same object when it fits."""
    plain = text.plain if isinstance(text, Text) else text
    if cell_len(plain) <= width:
        return text
    cut = (cut_middle if middle else cut_end)(plain, width)
    if isinstance(text, Text):
        return Text(cut, style=text.style, justify=text.justify)
    return cut


def fit_widths(
    natural: Sequence[int],
    floors: Sequence[int],
    room: int,
    weights: Sequence[int] | None = None,
    last: frozenset[int] = frozenset(),
) -> list[int]:
    """Each column its natural width when they all fit; otherwise the widest are cut down
    together (water-filling: a column of weight 3 keeps three times the others' cap), none
    below its floor (its header, so it never reads `R`). The columns in `last` (a name, a
    state) are cut only once the others are down to their floors."""
    if sum(natural) <= room:
        return list(natural)
    weights = weights or [1] * len(natural)
    if not last:
        return _water_filled(natural, floors, room, weights)
    first = [i for i in range(len(natural)) if i not in last]
    kept = [i for i in range(len(natural)) if i in last]
    least = sum(min(floors[i], natural[i]) for i in first)
    widths = list(natural)
    if least + sum(natural[i] for i in kept) <= room:  # cutting the others is enough
        n, f, w = _pick(first, natural, floors, weights)
        cut = _water_filled(n, f, room - sum(natural[i] for i in kept), w)
    else:  # the others at their floors; the kept ones share what is left
        cut = [min(floors[i], natural[i]) for i in first]
        n, f, w = _pick(kept, natural, floors, weights)
        shared = _water_filled(n, f, room - least, w)
        for i, width in zip(kept, shared, strict=True):
            widths[i] = width
    for i, width in zip(first, cut, strict=True):
        widths[i] = width
    return widths


def _pick(
    indexes: Sequence[int], *columns: Sequence[int]
) -> tuple[list[int], list[int], list[int]]:
    natural, floors, weights = ([column[i] for i in indexes] for column in columns)
    return natural, floors, weights


def _water_filled(
    natural: Sequence[int], floors: Sequence[int], room: int, weights: Sequence[int]
) -> list[int]:
    widths = list(natural)
    if sum(widths) <= room:
        return widths

    def capped(cap: int) -> list[int]:
        return [
            max(min(w, cap * k), min(f, w)) for w, f, k in zip(widths, floors, weights, strict=True)
        ]

    low, high = 1, max(widths)
    while low < high:  # the largest cap that still fits
        cap = (low + high + 1) // 2
        if sum(capped(cap)) <= room:
            low = cap
        else:
            high = cap - 1
    return capped(low)
