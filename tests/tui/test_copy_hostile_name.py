"""Issue 22 (minor): `c` copied a name with control characters to the clipboard as it was (a
paste into a shell then runs the escape sequence); now nothing is copied and the toast says why.
Driven through the real entry point on a bundle whose deployment name carries the payload."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import console, until
from tests.helpers.bundles import BUNDLES
from tests.helpers.hostile import NAME, hostile_bundle
from tests.helpers.screen_text import drive_seen, screen_text


def test_c_on_a_name_with_controls_copies_nothing_and_says_why(tmp_path: Path) -> None:
    bundle = hostile_bundle(
        BUNDLES / "iris-project.tar.gz", tmp_path / "b.tar.gz", {"model-server": "ms" + NAME}
    )

    async def scenario(pilot) -> None:
        await until(pilot, lambda: type(pilot.app.screen).__name__ == "MainScreen")
        screen = pilot.app.screen
        await until(pilot, lambda: screen.snapshot is not None)
        await pilot.press("2")  # model servers: the runtime's name carries the payload
        await until(pilot, lambda: "\x1b" in getattr(screen.selected_row(), "name", ""))
        await pilot.press("c")
        await until(pilot, lambda: "Not copied" in screen_text(pilot.app))
        assert "\x1b" not in (pilot.app.clipboard or "")
        await pilot.press("1", "c")  # a clean name is copied
        await until(pilot, lambda: pilot.app.clipboard == "iris-model")

    drive_seen(console("--from", str(bundle)), scenario, size=(120, 30))
