"""The fleet follows the cluster (issue 25 items 1 and 2): a deployment that breaks in another
project turns to ✗ in the `0` view without a key press, diagnosed again when its state changed,
and back to ✓ once it is fixed; the fleet is not listed again while its watches are healthy."""

from __future__ import annotations

import copy

from tests.helpers import (
    drive,
    main_screen,
    make_app,
    rows,
    screen_lines,
    sweep_processes,
    swept,
    until,
)
from tests.helpers.lab_control import crash_looping, lab_get, lab_post, lab_requests
from tui.screens.all_projects import AllProjectsScreen
from tui.widgets.all_projects import AllProjectsTable

PROJECT, OTHER, NAME = "iris-project", "std-healthy", "iris"
FLEET_LISTS = ("/apis/serving.kserve.io/v1beta1/inferenceservices", "/api/v1/pods")


def test_a_deployment_breaking_elsewhere_turns_to_a_failure_without_a_key_press(
    own_lab: dict,
) -> None:
    selector = f"serving.kserve.io/inferenceservice={NAME}"
    original = lab_get(own_lab, f"/api/v1/namespaces/{OTHER}/pods?labelSelector={selector}")
    pod = original["items"][0]
    sweepers: list[set[int]] = []

    async def scenario(pilot) -> None:
        screen = await main_screen(pilot, PROJECT)
        await swept(pilot, screen)
        sweepers.append(sweep_processes())
        await until(pilot, lambda: screen.fleet_watched, 60)
        await pilot.press("0")
        await until(pilot, lambda: isinstance(pilot.app.screen, AllProjectsScreen))
        table = pilot.app.screen.query_one(AllProjectsTable)
        await pilot.press("slash", *OTHER)
        await until(pilot, lambda: [r[:2] for r in rows(table)] == [[OTHER, NAME]])

        def shown(mark: str) -> bool:
            return any(OTHER in line and f"{mark} " in line for line in screen_lines(pilot.app))

        await until(pilot, lambda: shown("✓"), 60)
        fleet_lists = [p for p in lab_requests(own_lab)["lists"] if p in FLEET_LISTS]
        lab_post(own_lab, "put", crash_looping(pod))
        try:
            await until(pilot, lambda: shown("✗"), 120)  # no key pressed since the filter
            state = next(r for r in rows(table) if r[0] == OTHER)
            assert any("CrashLoopB" in cell for cell in state), state  # cut at 80 columns
            # diagnosed again by the process of the first sweep: its code is loaded once
            assert sweep_processes() == sweepers[0] and len(sweepers[0]) == 1, sweepers
        finally:
            lab_post(own_lab, "put", copy.deepcopy(pod))
        await until(pilot, lambda: shown("✓"), 120)
        # it came through the watches: the fleet was not listed again to show either change
        assert [p for p in lab_requests(own_lab)["lists"] if p in FLEET_LISTS] == fleet_lists

    drive(make_app(own_lab, background_diagnosis=True), scenario, size=(80, 24))
    assert not sweep_processes()  # gone with the console
