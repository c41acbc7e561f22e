"""The `:` line as a k9s user expects it (issue 25 item 4), at 80x24 through the real entry point:
`-A` and `:ns all` open every project's deployments, `:` works from any screen (the command runs
on the main screen), ↑ recalls what was run, and ctrl+c quits. Keys arrive as one chunk, as a
paste or a fast typist sends them."""

from __future__ import annotations

from tests.helpers.console import drive, main_screen, make_app, until
from tests.tui.test_type_ahead import typed_at_once

SMALL = (80, 24)


def screen_name(pilot) -> str:
    return type(pilot.app.screen).__name__


def test_dash_a_and_ns_all_open_every_projects_deployments(lab) -> None:
    async def scenario(pilot) -> None:
        await main_screen(pilot, "iris-project")
        for line in (":pods -A\r", ":isvc --all-namespaces\r", ":ns all\r"):
            typed_at_once(pilot.app, line)
            await until(pilot, lambda: screen_name(pilot) == "AllProjectsScreen")
            await pilot.press("0")  # back to the project
            await until(pilot, lambda: screen_name(pilot) == "MainScreen")

    drive(make_app(lab), scenario, size=SMALL)


def test_colon_on_the_diagnosis_runs_the_command_on_the_main_screen(lab) -> None:
    async def scenario(pilot) -> None:
        screen = await main_screen(pilot, "iris-project")
        await pilot.press("1", "d")
        await until(pilot, lambda: screen_name(pilot) == "DiagnosisScreen")
        typed_at_once(pilot.app, ":pods\r")
        await until(pilot, lambda: screen_name(pilot) == "MainScreen")
        await until(pilot, lambda: screen.tabs.current_view().name == "pods")
        typed_at_once(pilot.app, ":nosuchthing\r")  # on main: the same words for a bad word
        await until(
            pilot,
            lambda: any(
                "Unknown command :nosuchthing" in str(n.message) for n in pilot.app._notifications
            ),
        )

    drive(make_app(lab), scenario, size=SMALL)


def test_up_recalls_the_commands_run_before(lab) -> None:
    async def scenario(pilot) -> None:
        screen = await main_screen(pilot, "iris-project")
        typed_at_once(pilot.app, ":events\r")
        await until(pilot, lambda: screen.tabs.current_view().name == "events")
        typed_at_once(pilot.app, ":secrets\r")
        await until(pilot, lambda: screen.tabs.current_view().name == "secrets")
        await pilot.press("colon", "up", "up")  # the one before the last
        await pilot.press("enter")
        await until(pilot, lambda: screen.tabs.current_view().name == "events")

    drive(make_app(lab), scenario, size=SMALL)


def test_ctrl_c_quits(lab) -> None:
    async def scenario(pilot) -> None:
        await main_screen(pilot, "iris-project")
        await pilot.press("ctrl+c")
        await until(pilot, lambda: pilot.app.return_code is not None)

    drive(make_app(lab), scenario, size=SMALL)
