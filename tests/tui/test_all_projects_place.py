"""The `0` view keeps its place (issue 25 item 5): S/R sort it, opening it again finds the same
row and sort, and escape from a diagnosis opened there comes back to it. At 80x24 through the
real entry point."""

from __future__ import annotations

from tests.helpers import drive, finished, main_screen, make_app, until

SMALL = (80, 24)


def toasts(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def fleet_view(pilot):
    await pilot.press("0")
    await until(pilot, lambda: type(pilot.app.screen).__name__ == "AllProjectsScreen")
    view = pilot.app.screen
    await until(pilot, lambda: view.table.row_count > 5)
    return view


def test_zero_sorts_and_is_where_it_was_left(lab) -> None:
    async def scenario(pilot) -> None:
        await main_screen(pilot, "iris-project")
        view = await fleet_view(pilot)
        await pilot.press("R")  # before S: says what to do
        assert any("Press S first" in t for t in toasts(pilot.app))
        await pilot.press("S")
        assert "PROJECT ▲" in [str(c.label) for c in view.table.ordered_columns]
        projects = [r.deployment.namespace for r in view.table.shown_objects()]
        assert projects == sorted(projects)
        await pilot.press("g", "j", "j", "j")  # the sort kept the cursor on its row: from the top
        left_on = view.table.selected_key()
        assert left_on is not None and view.table.cursor_row == 3
        await pilot.press("0")  # back to the project
        await until(pilot, lambda: type(pilot.app.screen).__name__ == "MainScreen")
        again = await fleet_view(pilot)
        assert again is not view
        await until(pilot, lambda: again.table.selected_key() == left_on)
        assert "PROJECT ▲" in [str(c.label) for c in again.table.ordered_columns]

    drive(make_app(lab), scenario, size=SMALL)


def test_escape_from_a_diagnosis_opened_in_zero_returns_to_zero(lab) -> None:
    async def scenario(pilot) -> None:
        await main_screen(pilot, "iris-project")
        view = await fleet_view(pilot)
        await pilot.press("j", "j")
        chosen = view.table.selected_key()
        await pilot.press("d")
        await finished(pilot)
        await pilot.press("escape")
        await until(pilot, lambda: type(pilot.app.screen).__name__ == "AllProjectsScreen")
        back = pilot.app.screen
        await until(pilot, lambda: back.table.selected_key() == chosen)

    drive(make_app(lab), scenario, size=SMALL)
