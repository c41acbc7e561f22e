"""A project of hundreds of deployments at 80x24 (lab --bulk): one screen of rows is drawn at
once and the rest just after that frame, so what a user sees must not depend on which rows came
first: every matching row is there, the filter counts them all, and the cursor keeps its row
when that row is among the rest."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from textual.widgets import Static

from tests.helpers import drive, main_screen, make_app, text_of, until
from tests.helpers.lab_control import private_lab

DEPLOYMENTS = 300  # model-0000 … model-0299 in bulk-project (lab/seed/bulk.py)
EVENTS = 1500  # more than a table draws (1,000): the rest are found by the filter
SMALL = (80, 24)


@pytest.fixture(scope="module")
def big_lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    with private_lab(tmp_path_factory, "big-lab", bulk=f"{DEPLOYMENTS},{EVENTS}") as info:
        yield info


def names(table) -> list[str]:
    return [str(table.get_row(key)[0]) for key in table.rows]


def test_a_big_project_is_filtered_whole_and_the_cursor_keeps_its_row(big_lab: dict) -> None:
    async def scenario(pilot) -> None:
        screen = await main_screen(pilot, "bulk-project")
        table = screen.tabs.table("deployments")
        await until(pilot, lambda: table.row_count == DEPLOYMENTS)
        assert table.size.height + 2 < DEPLOYMENTS  # most rows come after the first frame
        await pilot.press("G")  # the last row: one of those drawn after the first frame
        last = table.selected_key()
        assert last is not None and last.endswith("model-0299")

        await pilot.press("slash", *"model-02")  # model-0200 … model-0299
        await until(pilot, lambda: table.row_count == 100)
        assert names(table) == [f"model-{i:04d}" for i in range(200, 300)]

        await pilot.press("escape")  # the filter cleared: every row again, the cursor on its row
        await until(pilot, lambda: table.row_count == DEPLOYMENTS and not table.filter_text)
        await until(pilot, lambda: table.selected_key() == last)
        assert names(table) == [f"model-{i:04d}" for i in range(DEPLOYMENTS)]

    drive(make_app(big_lab), scenario, size=SMALL)


def test_a_kind_with_more_rows_than_are_drawn_says_how_many_of_how_many(big_lab: dict) -> None:
    async def scenario(pilot) -> None:
        screen = await main_screen(pilot, "bulk-project")
        await pilot.press("colon", *"ev", "enter")
        table = screen.tabs.table("events")
        await until(pilot, lambda: table.row_count == 1000)
        note = screen.query_one("#error-events", Static)
        assert note.display
        assert text_of(note) == (
            f"showing the first 1,000 of {EVENTS:,}; press / to filter them all"
        )

    drive(make_app(big_lab), scenario, size=SMALL)
