"""At 80 columns the deployments' STATE is what a person reads first: it keeps its words while
PLATFORM, FORMAT, RUNTIME and KIND give up room (issue 25 item 5). Through the real entry point."""

from __future__ import annotations

from tests.helpers import drive, main_screen, make_app, rows

SMALL = (80, 24)


def test_state_is_drawn_whole_while_the_platform_is_cut(lab) -> None:
    async def scenario(pilot) -> None:
        for project, state in (
            ("cause-init-crash", "✗ Pending · CrashLoopBackOff (Error)"),
            ("unschedulable", "✗ FailedToLoad · Unschedulable"),
        ):
            screen = await main_screen(pilot, project)
            await pilot.pause(0.2)
            (row,) = rows(screen.tabs.table("deployments"))
            assert row[1] == state, row
            assert row[2].endswith("…"), row  # the platform gave up its room first

    drive(make_app(lab), scenario, size=SMALL)
