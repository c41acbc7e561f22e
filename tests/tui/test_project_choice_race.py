"""The project the user picks wins over a choice the list settled on a moment before.

The project list settles on the row the cursor rests on (0.3 s) and posts `Chosen`; on a
busy machine that message is still on its way when the user moves on (a key, the palette,
`:ns`). Fresh-clone CI runs showed what a user would see: the cursor jumping back to the
project opened first, or the project they picked replaced by it. Here the late message is
posted at the worst moment on purpose, so the race is the same on every run.
"""

from __future__ import annotations

from tests.helpers.console import drive, loaded, main_screen, make_app, until

SMALL = (80, 24)


def test_a_late_settled_choice_does_not_replace_the_project_picked_after_it(lab) -> None:
    async def scenario(pilot) -> None:
        screen = await main_screen(pilot, "iris-project")
        projects = screen.projects
        projects.post_message(projects.Chosen("iris-project"))  # settled before the pick
        screen.select_project("pricing-project")  # as the palette and :ns pick one
        await loaded(pilot, screen, "pricing-project")
        await pilot.pause(1.0)  # time for the late choice to land, and any settle after it
        assert screen.project == "pricing-project"
        assert projects.selected_key() == "pricing-project"

    drive(make_app(lab), scenario, size=SMALL)


def test_a_late_settled_choice_does_not_pull_the_cursor_back(lab) -> None:
    async def scenario(pilot) -> None:
        screen = await main_screen(pilot, "iris-project")
        projects = screen.projects
        projects.focus()
        await pilot.press("g")
        projects.post_message(projects.Chosen("iris-project"))  # settled before the key
        await until(pilot, lambda: screen.project == projects.names()[0])
        await pilot.pause(1.0)
        assert projects.cursor_row == 0
        assert screen.project == projects.names()[0]

    drive(make_app(lab), scenario, size=SMALL)
