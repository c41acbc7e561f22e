"""The one door for text others wrote (the cluster, a model server, a registry, a capture, a
local file) into a widget: control characters, escape sequences and bidi overrides are shown
(checks.text), and the text is never read as markup. Every title, header, toast, palette entry,
table cell and Static that can hold such text goes through here, so the rule lives in one place."""

from __future__ import annotations

import re
from typing import Any

from rich.text import Span, Text
from textual.content import Content
from textual.fuzzy import Matcher
from textual.markup import escape
from textual.widgets import Static

from checks.text import BIDI, one_line, visible

_CONTROLS = "\x00-\x08\x0b-\x1f\x7f-\x9f" + "".join(sorted(BIDI))
_UNSAFE_LINES = re.compile(f"[{_CONTROLS}]")  # what `visible` changes
_UNSAFE_LINE = re.compile(f"[{_CONTROLS}\t\n]")  # what `one_line` changes


def _clean_text(value: Text, show: Any, unsafe: re.Pattern[str]) -> Text:
    """`value` with every piece sanitised, its styles kept on the pieces they covered."""
    if not unsafe.search(value.plain):  # the common case, cheap for 10,000s of cells
        return value
    cuts = sorted({s.start for s in value.spans} | {s.end for s in value.spans})
    out = Text(style=value.style, justify=value.justify, overflow=value.overflow, end=value.end)
    out.no_wrap = value.no_wrap
    for piece in value.divide(cuts):
        shown = show(piece.plain)
        out.append_text(Text(shown, spans=[Span(0, len(shown), s.style) for s in piece.spans]))
    return out


def text(value: object, style: str = "") -> Any:
    """Lines of others' text as a Text (never markup); Content and other renderables pass."""
    if isinstance(value, Text):
        return _clean_text(value, visible, _UNSAFE_LINES)
    if isinstance(value, str):
        return Text(visible(value), style=style)
    return value


def line(value: object, style: str = "") -> Any:
    """One line (a title, a cell, a label): newlines and tabs become spaces."""
    if isinstance(value, Text):
        return _clean_text(value, one_line, _UNSAFE_LINE)
    if isinstance(value, str):
        return Text(one_line(value), style=style)
    return value


def markup(value: object) -> str:
    """Where Textual insists on a markup string (a palette hit's help): one line, escaped."""
    return escape(one_line(str(value)))


def highlight(matcher: Matcher, candidate: str) -> Content:
    """Matcher.highlight without its markup parsing (a name `[@click=…]` stays words)."""
    shown = one_line(candidate)
    content = Content(shown)
    score, offsets = matcher.fuzzy_search.match(matcher.query, shown)
    if score:
        for offset in offsets:
            if not shown[offset].isspace():
                content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


def _static(value: object) -> Any:
    """A str as literal Content (what Static(str, markup=False) draws), a Text cleaned."""
    if isinstance(value, str):
        return Content(visible(value))
    return _spanned(text(value))


def _spanned(value: Any) -> Any:
    """A Text's own style as a span under the others: Textual reads a Text's base style as CSS,
    where `red` is #ff0000 (1.5:1 in grey with NO_COLOR), and its spans as the ANSI colours of
    tui.palette, chosen to be readable on every pane."""
    if not isinstance(value, Text) or not value.style:
        return value
    out = value.copy()
    out.style = ""
    out.spans = [Span(0, len(out.plain), value.style), *value.spans]
    return out


def _same_as(value: object) -> tuple[Any, ...] | None:
    """What makes two texts draw alike (rich's Text == ignores the base style); None for other
    renderables, which are never taken as unchanged."""
    if isinstance(value, str):
        return (value,)
    if isinstance(value, Text):
        spans = tuple((s.start, s.end, str(s.style)) for s in value.spans)
        return (value.plain, str(value.style), spans, value.justify, value.overflow, value.no_wrap)
    return None


class SafeStatic(Static):
    """A Static whose text, given at birth or in `update`, is always shown, never obeyed.
    An update to the text already shown is dropped, and new text that fits the box the last
    layout gave is only repainted: a layout costs the whole screen ~20-30 ms here (more over
    SSH), and most updates are a status or a verdict line of the same height."""

    def __init__(self, content: object = "", **kwargs: Any) -> None:
        kwargs["markup"] = False
        super().__init__(_static(content), **kwargs)
        self._safe_shown = _same_as(content)

    def update(self, content: Any = "", *, layout: bool = True) -> None:
        same = _same_as(content)
        if same is not None and same == self._safe_shown:
            return
        self._safe_shown = same
        super().update(_static(content), layout=False)
        if layout and not self._keeps_its_size():
            self.refresh(layout=True)

    def _keeps_its_size(self) -> bool:
        """Whether the text now shown takes the box it was laid out in: a width that does not
        follow the text, and (for `height: auto`) as many lines at that width as before."""
        size = self.content_size
        if not self.is_mounted or not size.area or self._layout_required:
            return False
        width, height = self.styles.width, self.styles.height
        if width is not None and width.is_auto:
            return False
        if height is None or not height.is_auto:
            return True
        return (
            self.get_content_height(self.container_size, self.app.size, size.width) == size.height
        )
