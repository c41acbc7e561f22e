"""WCAG 2 contrast of what the console drew: every cell's foreground against its actual
background, read from the screen's compositor (the same strips the terminal and the SVG get,
after Textual's filters: ANSI to truecolor, and NO_COLOR's monochrome)."""

from __future__ import annotations

from dataclasses import dataclass

from rich.color import Color as RichColor
from rich.style import Style

DIM_BLEND = 0.5  # a terminal draws dim text about halfway to the background


def _linear(channel: int) -> float:
    c = channel / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def luminance(rgb: tuple[int, int, int]) -> float:
    """WCAG 2 relative luminance."""
    r, g, b = (_linear(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def ratio(one: tuple[int, int, int], other: tuple[int, int, int]) -> float:
    high, low = sorted((luminance(one), luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _rgb(color: RichColor | None, fallback: tuple[int, int, int]) -> tuple[int, int, int]:
    if color is None or color.is_default:
        return fallback
    triplet = color.get_truecolor()
    return (triplet.red, triplet.green, triplet.blue)


@dataclass(frozen=True)
class Cell:
    """A run of text on the screen with the colours a reader sees it in."""

    row: int
    text: str
    fg: tuple[int, int, int]
    bg: tuple[int, int, int]
    bold: bool
    reverse: bool

    @property
    def contrast(self) -> float:
        return ratio(self.fg, self.bg)


def cells(app) -> list[Cell]:
    """Every segment of the current screen, colours resolved (reverse swapped, dim blended)."""
    default_fg, default_bg = (255, 255, 255), (0, 0, 0)  # never reached: Textual sets both
    out = []
    for row, strip in enumerate(app.screen._compositor.render_strips()):
        for segment in strip:
            style: Style = segment.style or Style()
            fg = _rgb(style.color, default_fg)
            bg = _rgb(style.bgcolor, default_bg)
            if style.reverse:
                fg, bg = bg, fg
            if style.dim:
                fg = tuple(round(f + (b - f) * DIM_BLEND) for f, b in zip(fg, bg, strict=True))
            out.append(Cell(row, segment.text, fg, bg, bool(style.bold), bool(style.reverse)))
    return out
