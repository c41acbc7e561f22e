"""Opening a capture (`rhoai-doctor --from FILE`) remembers nothing of it: the capture's context
and projects are the capture's, and written into console.toml they chose which context the next
live console opened (a hostile one replayed its escape sequences on every start)."""

from __future__ import annotations

import tomllib
from pathlib import Path

from lab.control import env_vars
from tests.helpers import console, until
from tests.helpers.bundles import BUNDLES
from tests.helpers.hostile import NAME, hostile_bundle
from tests.helpers.screen_text import drive_seen
from tui import prefs

SIZE = (80, 24)


async def on_main(pilot):
    await until(pilot, lambda: type(pilot.app.screen).__name__ == "MainScreen")
    screen = pilot.app.screen
    await until(pilot, lambda: screen.project is not None and screen.snapshot is not None)
    return screen


def test_a_capture_does_not_change_what_the_next_live_console_opens(lab, tmp_path) -> None:
    xdg = {"XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_STATE_HOME": str(tmp_path / "s")}
    file = tmp_path / "config" / "rhoai-doctor" / "console.toml"
    live = console(
        "--kubeconfig", lab["kubeconfig"], "--context", "developer", "-n", "wrong-path",
        environ={**env_vars(lab), **xdg},
    )  # fmt: skip
    drive_seen(live, on_main, size=SIZE)
    before = tomllib.loads(file.read_text())
    assert (before["context"], before["project"]) == ("developer", "wrong-path"), before

    tokens = {"iris": f"iris{NAME}"}
    bundle = hostile_bundle(BUNDLES / "iris-project.tar.gz", tmp_path / "h.tar.gz", tokens)

    async def browse(pilot) -> None:
        screen = await on_main(pilot)
        assert screen.project == f"iris{NAME}-project"
        screen.select_project("auth-denied")
        await until(pilot, lambda: screen.project == "auth-denied")

    drive_seen(console("--from", str(bundle), environ=xdg), browse, size=SIZE)
    after = file.read_text()
    assert "\x1b" not in after and "lab-admin" not in after, after
    assert tomllib.loads(after) == before


def test_a_remembered_name_with_an_escape_sequence_is_ignored(tmp_path: Path) -> None:
    file = tmp_path / "console.toml"
    file.write_text('context = "lab\\u001b]52;c;SGVsbG8=\\u0007"\nproject = "iris-project"\n')
    loaded = prefs.load(file)
    assert loaded.prefs.context is None and loaded.prefs.project == "iris-project"
    assert "ignored context" in loaded.problem
