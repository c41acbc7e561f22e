"""Failures readable at a glance (issue 25 item 5): in the default dark theme, the light theme
and with NO_COLOR, every word and mark the console draws at 80x24 — the STATE words, the status
line's counts, the diagnosis' root-cause banner, the checks' ✗ ✓ and titles, the tabs' ⚠N — is
at least 4.5:1 (WCAG) against the background it is drawn on, read from the screen's compositor
after Textual's filters. With NO_COLOR Textual draws every colour as a grey of its brightness:
contrast there is that grey against the grey background (the issue measured 1.5:1), and a
failure is told apart by its mark and bold, which the test finds on the screen."""

from __future__ import annotations

import pytest

from tests.helpers import drive, finished, main_screen, make_app, swept
from tests.helpers.contrast import Cell, cells

AA = 4.5
SMALL = (80, 24)


def _is_text(cell: Cell) -> bool:
    """Letters and marks, not borders, scrollbars or the tabs' underline (U+2500 to U+259F)."""
    return any(not ch.isspace() and not 0x2500 <= ord(ch) <= 0x259F for ch in cell.text)


def _unreadable(app) -> list[str]:
    return [
        f"{c.contrast:.2f}:1 {c.text.strip()!r} fg={c.fg} bg={c.bg}"
        for c in cells(app)
        if _is_text(c) and c.contrast < AA
    ]


def _unmarked_failures(app) -> list[str]:
    """A failure says so without colour: its ✗ is drawn bold (so are the words beside it)."""
    return [c.text.strip() for c in cells(app) if "✗" in c.text and not c.bold]


def _drawn(app) -> str:
    return "\n".join("".join(c.text for c in cells(app) if c.row == row) for row in range(24))


@pytest.mark.parametrize("look", ["dark", "light", "no-colour"])
def test_failures_keep_their_contrast(lab, look, monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    if look == "light":  # the theme a user chose last time (ctrl+p), remembered
        (tmp_path / "config" / "rhoai-doctor").mkdir(parents=True)
        (tmp_path / "config" / "rhoai-doctor" / "console.toml").write_text(
            'theme = "textual-light"\n'
        )
    if look == "no-colour":
        monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(lab, background_diagnosis=True)

    async def scenario(pilot) -> None:
        screen = await main_screen(pilot, "wrong-path")
        await swept(pilot, screen)  # the status line counts the diagnosis' failures elsewhere
        assert app.current_theme.dark is (look != "light")
        await pilot.press("1")
        await pilot.pause(0.3)
        drawn = _drawn(app)
        for words in ("✗ FailedToLoad", "failing elsewhere", "Events ⚠"):
            assert words in drawn, words
        assert _unreadable(app) == [], "main screen"
        assert _unmarked_failures(app) == [], "main screen"
        await pilot.press("d")
        await finished(pilot)
        await pilot.pause(0.3)
        drawn = _drawn(app)
        for words in ("✗ root cause: Model files in the bucket", "✗ Model files", "✓"):
            assert words in drawn, words
        assert _unreadable(app) == [], "diagnosis"
        assert _unmarked_failures(app) == [], "diagnosis"

    drive(app, scenario, size=SMALL)
