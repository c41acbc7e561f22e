"""The ANSI colours the console's words are drawn in (`red` for a failure, `yellow` a warning,
`green` a pass, `magenta` an error), per dark and light theme, chosen so that each stays at
least 4.5:1 (WCAG) against the backgrounds it lands on: the panes, zebra stripes, status line
and footer. With NO_COLOR Textual draws them in grey of the same brightness (its monochrome
filter), so a failure keeps its contrast there too; its mark (✗ ⚠) and bold tell it apart.

Textual's own palettes (MONOKAI's red on black is 4.5:1 at best, 1.5:1 in grey; ALABASTER's
red on the light panes 3:1) are replaced, not the styles: every `Text(..., style="bold red")`
of the console stays as it is written."""

from __future__ import annotations

from rich.terminal_theme import TerminalTheme

# Light enough for the dark theme's lightest panel (#2d2d2d), in colour and in grey.
_DARK_RED, _DARK_GREEN, _DARK_YELLOW = (255, 128, 128), (110, 220, 90), (240, 200, 80)
_DARK_BLUE, _DARK_MAGENTA, _DARK_CYAN = (130, 170, 255), (240, 130, 240), (100, 215, 235)

DARK = TerminalTheme(
    (12, 12, 12),
    (217, 217, 217),
    [
        (26, 26, 26),
        _DARK_RED,
        _DARK_GREEN,
        _DARK_YELLOW,
        _DARK_BLUE,
        _DARK_MAGENTA,
        _DARK_CYAN,
        (196, 197, 181),
    ],
    [
        (150, 150, 150),
        _DARK_RED,
        _DARK_GREEN,
        _DARK_YELLOW,
        _DARK_BLUE,
        _DARK_MAGENTA,
        _DARK_CYAN,
        (246, 246, 239),
    ],
)

# Dark enough for the light theme's darkest panel (#cecece, a zebra stripe).
_LIGHT_RED, _LIGHT_GREEN, _LIGHT_YELLOW = (150, 0, 0), (0, 90, 0), (100, 66, 0)
_LIGHT_BLUE, _LIGHT_MAGENTA, _LIGHT_CYAN = (20, 60, 150), (120, 0, 120), (0, 80, 100)

LIGHT = TerminalTheme(
    (247, 247, 247),
    (0, 0, 0),
    [
        (0, 0, 0),
        _LIGHT_RED,
        _LIGHT_GREEN,
        _LIGHT_YELLOW,
        _LIGHT_BLUE,
        _LIGHT_MAGENTA,
        _LIGHT_CYAN,
        (247, 247, 247),
    ],
    [
        (80, 80, 80),
        _LIGHT_RED,
        _LIGHT_GREEN,
        _LIGHT_YELLOW,
        _LIGHT_BLUE,
        _LIGHT_MAGENTA,
        _LIGHT_CYAN,
        (255, 255, 255),
    ],
)
