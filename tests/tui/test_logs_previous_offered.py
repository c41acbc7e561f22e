"""A container that crashed says its last words in the previous instance's log; the logs screen
offers it (issue 25 item 5) instead of leaving the user with the new instance's empty start.
At 80x24 through the real entry point."""

from __future__ import annotations

from tests.helpers import drive, main_screen, make_app, text_of, until

SMALL = (80, 24)


def test_a_crashed_container_offers_its_previous_instance(lab) -> None:
    async def scenario(pilot) -> None:
        await main_screen(pilot, "wrong-path")
        await pilot.press("6", "l")
        await until(pilot, lambda: type(pilot.app.screen).__name__ == "LogsScreen")
        status = pilot.app.screen.query_one("#status")
        await until(pilot, lambda: "p shows the instance before" in text_of(status))
        assert "CrashLoopBackOff · restarted" in text_of(status)
        await pilot.press("p")
        await until(pilot, lambda: "previous instance" in text_of(status))
        assert "p shows the instance before" not in text_of(status)

    drive(make_app(lab), scenario, size=SMALL)
