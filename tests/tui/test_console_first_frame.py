"""Start-up (issue 14): the main screen comes up with the projects and the starting project's
deployments already in it, and start-up ends (the real entry point turns the collector back on
then) only once that frame is out; every project's LIST is asked after it."""

from __future__ import annotations

from tests.helpers import drive, make_app, rows, until
from tui.widgets.resource_table import ResourceTable


def test_start_up_ends_on_the_first_frame_with_projects_and_states(lab) -> None:
    app = make_app(lab)
    seen: dict[str, object] = {}

    def start_up_over() -> None:
        screen = app.screen
        seen["screen"] = type(screen).__name__
        seen["projects"] = {r[1] for r in rows(screen.query_one("#projects", ResourceTable))}
        seen["deployments"] = rows(screen.query_one("#table-deployments", ResourceTable))
        seen["fleet"] = getattr(screen, "fleet_rows", "no fleet")

    app.after_start_up = start_up_over

    async def scenario(pilot) -> None:
        await until(pilot, lambda: "screen" in seen)
        main = pilot.app.screen
        await until(pilot, lambda: main.fleet_rows is not None)  # it joins by itself

    drive(app, scenario)
    assert seen["screen"] == "MainScreen"
    assert {"iris-project", "pricing-project"} <= seen["projects"]  # type: ignore[operator]
    assert seen["deployments"][0][:2] == ["iris-model", "✓ Loaded"]  # type: ignore[index]
    assert seen["fleet"] is None  # every project's LIST: after the first frame
