"""`/` in `y` (issue 25 item 5): a word typed at once after `/` is found, the line holding it is
scrolled to, n and N go to the next and previous line with it, escape leaves the box and then
the manifest. At 80x24 through the real entry point."""

from __future__ import annotations

from tests.helpers import drive, main_screen, make_app, until
from tests.tui.test_manifest_screen import picture
from tests.tui.test_type_ahead import typed_at_once
from tui.screens.main import MainScreen
from tui.screens.manifest import ManifestScreen

SMALL = (80, 24)


def test_slash_finds_a_word_and_n_moves_between_its_lines(lab) -> None:
    async def scenario(pilot) -> None:
        await main_screen(pilot, "std-healthy")
        await pilot.press("1", "y")
        await until(pilot, lambda: isinstance(pilot.app.screen, ManifestScreen))
        screen = pilot.app.screen
        lines = screen.text.splitlines()
        shown = "\n".join(screen.visible_lines())
        word = next(  # a key only found below the first screen
            key
            for line in lines[25:]
            if (key := line.strip().split(":")[0]) and len(key) > 3 and key not in shown
        )
        typed_at_once(pilot.app, f"/{word}\r")  # no one-letter key fires on the way
        await until(pilot, lambda: "match 1 of" in picture(pilot))
        assert isinstance(pilot.app.screen, ManifestScreen)
        assert word in screen.visible_lines()[0]
        typed_at_once(pilot.app, "/name\r")
        await until(pilot, lambda: "'name': line" in picture(pilot))
        first = screen.visible_lines()[0]
        await pilot.press("n")
        await until(pilot, lambda: screen.visible_lines()[0] != first)
        assert "name" in screen.visible_lines()[0].lower()
        await pilot.press("N")
        await until(pilot, lambda: screen.visible_lines()[0] == first)
        typed_at_once(pilot.app, "/nowhere-in-it\r")
        await until(pilot, lambda: "is not in the manifest" in picture(pilot))
        await pilot.press("slash", "escape")  # the box closes; the manifest stays
        assert isinstance(pilot.app.screen, ManifestScreen)
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(pilot.app.screen, MainScreen))

    drive(make_app(lab), scenario, size=SMALL)
