"""Remembered preferences: the theme, the last context and project come back on the next start
(from $XDG_CONFIG_HOME/rhoai-doctor/console.toml); a broken file is one toast, never a crash."""

from __future__ import annotations

import tomllib

from lab.control import env_vars
from tests.helpers import console, loaded, until
from tests.helpers.screen_text import drive_seen, screen_text
from tui import prefs

SIZE = (80, 24)


def started(lab: dict, xdg: dict[str, str], *argv: str):
    """`rhoai-doctor --kubeconfig …` in a shell with the lab's env and these XDG directories."""
    app = console("--kubeconfig", lab["kubeconfig"], *argv, environ={**env_vars(lab), **xdg})
    app.show_clock = False
    return app


async def on_main(pilot):
    await until(pilot, lambda: type(pilot.app.screen).__name__ == "MainScreen")
    screen = pilot.app.screen
    await until(pilot, lambda: screen.project is not None and screen.snapshot is not None)
    return screen


def test_theme_context_and_project_come_back_on_the_next_start(lab, tmp_path) -> None:
    xdg = {"XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_STATE_HOME": str(tmp_path / "s")}
    file = tmp_path / "config" / "rhoai-doctor" / "console.toml"

    async def first(pilot) -> None:
        screen = await on_main(pilot)
        await pilot.press("ctrl+p", *"theme", "enter")  # Textual's own theme picker
        await pilot.pause(0.3)
        await pilot.press(*"nord", "enter")
        await until(pilot, lambda: pilot.app.theme == "nord")
        await pilot.press("ctrl+p", *"project wrong-path")
        await pilot.pause(0.6)
        await pilot.press("enter")
        await loaded(pilot, screen, "wrong-path")
        await pilot.press("ctrl+p", *"context developer")
        await pilot.pause(0.6)
        await pilot.press("enter")
        await until(pilot, lambda: pilot.app.identity and pilot.app.identity.context == "developer")
        await on_main(pilot)

    drive_seen(started(lab, xdg, "--context", "lab-admin"), first, size=SIZE)
    saved = tomllib.loads(file.read_text())
    assert saved["theme"] == "nord" and saved["context"] == "developer", saved

    async def second(pilot) -> None:
        screen = await on_main(pilot)
        assert pilot.app.theme == "nord"
        assert pilot.app.identity.context == "developer"
        # the toast is posted once the first screen stays: it may land a frame after the data
        await until(pilot, lambda: "context developer, remembered" in screen_text(pilot.app))
        await pilot.press("ctrl+p", *"project wrong-path")
        await pilot.pause(0.6)
        await pilot.press("enter")
        await loaded(pilot, screen, "wrong-path")

    drive_seen(started(lab, xdg), second, size=SIZE)  # no --context: the remembered one

    async def third(pilot) -> None:
        screen = await on_main(pilot)
        assert screen.project == "wrong-path"  # the project last looked at, in this context
        assert "context developer" in screen_text(pilot.app)

    drive_seen(started(lab, xdg), third, size=SIZE)

    async def named(pilot) -> None:  # the command line wins over what was remembered
        screen = await on_main(pilot)
        assert pilot.app.identity.context == "lab-admin"
        assert screen.project == "iris-project"

    drive_seen(started(lab, xdg, "--context", "lab-admin", "-n", "iris-project"), named, size=SIZE)


def test_a_broken_preferences_file_is_one_toast_not_a_crash(lab, tmp_path) -> None:
    home = tmp_path / ("a-long-home-folder-" * 4)  # the reason is read before the path
    file = home / "rhoai-doctor" / "console.toml"
    file.parent.mkdir(parents=True)
    file.write_text('theme = "nord\nproject = [1, 2\n')
    xdg = {"XDG_CONFIG_HOME": str(home)}

    async def scenario(pilot) -> None:
        await on_main(pilot)
        # the toast is drawn whole once it has its size (under load a frame may show it cut)
        await until(
            pilot,
            lambda: (
                "Preferences ignored" in (shown := screen_text(pilot.app))
                and "not valid TOML" in shown
            ),
        )
        assert screen_text(pilot.app).count("Preferences ignored") == 1
        assert pilot.app.theme == "textual-dark"

    drive_seen(started(lab, xdg, "--context", "lab-admin"), scenario, size=SIZE)


def test_the_preferences_file_keeps_each_key_and_refuses_wrong_values(tmp_path) -> None:
    """The API the project pane's toggle uses (projects_pane = "shown" / "hidden")."""
    path = tmp_path / "console.toml"
    assert prefs.load(path) == prefs.Loaded(prefs.Prefs())
    wanted = prefs.Prefs(
        theme="nord", context='a "quoted" ctx', project="p", projects_pane="hidden"
    )
    assert prefs.save(path, wanted) == ""
    assert prefs.load(path).prefs == wanted
    path.write_text('projects_pane = "sideways"\ntheme = 3\nproject = "kept"\n')
    loaded = prefs.load(path)
    assert loaded.prefs == prefs.Prefs(project="kept")
    assert "projects_pane" in loaded.problem and "theme" in loaded.problem


def test_the_project_pane_stays_as_p_left_it_on_a_narrow_screen(lab, tmp_path) -> None:
    xdg = {"XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_STATE_HOME": str(tmp_path / "s")}
    file = tmp_path / "config" / "rhoai-doctor" / "console.toml"

    def pane_shown(app) -> bool:
        return bool(app.screen.query_one("#left").display)

    async def first(pilot) -> None:
        await on_main(pilot)
        assert not pane_shown(pilot.app)  # below 100 columns it folds away
        await pilot.press("p")
        await until(pilot, lambda: pane_shown(pilot.app))

    drive_seen(started(lab, xdg, "--context", "lab-admin"), first, size=SIZE)
    assert tomllib.loads(file.read_text())["projects_pane"] == "shown"

    async def second(pilot) -> None:
        await on_main(pilot)
        assert pane_shown(pilot.app)  # as it was left
        await pilot.press("p")
        await until(pilot, lambda: not pane_shown(pilot.app))

    drive_seen(started(lab, xdg, "--context", "lab-admin"), second, size=SIZE)
    assert tomllib.loads(file.read_text())["projects_pane"] == "hidden"

    async def wide(pilot) -> None:  # a wide screen always has room for it
        await on_main(pilot)
        assert pane_shown(pilot.app)

    drive_seen(started(lab, xdg, "--context", "lab-admin"), wide, size=(120, 35))
