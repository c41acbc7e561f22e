"""The 80x24 first screen shows one healthy project; it must say that others fail, and how many
(issue 25 item 5): the status line counts the failing deployments outside the open project, the
same number the `0` view counts, and the footer shows `p` (the project list, hidden at 80
columns). Through the real entry point."""

from __future__ import annotations

import re

from tests.helpers import drive, main_screen, make_app, screen_lines, until

SMALL = (80, 24)


def test_the_first_screen_says_how_many_fail_elsewhere_and_shows_p(lab) -> None:
    async def scenario(pilot) -> None:
        await main_screen(pilot, "iris-project")
        await until(pilot, lambda: "failing elsewhere" in "\n".join(screen_lines(pilot.app)))
        lines = screen_lines(pilot.app)
        said = re.search(r"✗ (\d+) failing elsewhere \(0\)", "\n".join(lines))
        assert said, lines
        assert "p Projects" in lines[-1], lines[-1]
        await pilot.press("0")
        await until(pilot, lambda: type(pilot.app.screen).__name__ == "AllProjectsScreen")
        status = pilot.app.screen.query_one("#status")
        await until(pilot, lambda: "failed" in str(status.render()))
        failed = re.search(r"✗ (\d+) failed", str(status.render()))
        assert failed and failed[1] == said[1]  # iris-project itself has none failing

    drive(make_app(lab), scenario, size=SMALL)
