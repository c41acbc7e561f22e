"""The console follows the cluster through watches (issue 25 item 2): a restart in the lab shows
in the Pods tab without a key press and without a LIST, and while the watches are healthy the
console makes no periodic LIST at all (counted at the lab's API server)."""

from __future__ import annotations

import copy

from tests.helpers import (
    drive,
    finished,
    main_screen,
    make_app,
    open_diagnosis,
    rows,
    screen_lines,
    swept,
    until,
)
from tests.helpers.lab_control import crash_looping, lab_get, lab_post, lab_requests

PROJECT = "iris-project"
PODS = f"/api/v1/namespaces/{PROJECT}/pods"


def test_a_restart_in_the_lab_shows_in_the_pods_tab_without_a_key_press(own_lab: dict) -> None:
    async def scenario(pilot) -> None:
        screen = await main_screen(pilot, PROJECT)
        await pilot.press("6")
        table = screen.tabs.table("pods")
        await until(pilot, lambda: table.row_count > 0)
        await until(pilot, lambda: screen.watches_healthy, 60)
        name, restarts = rows(table)[0][0], int(rows(table)[0][3])
        lists_before = lab_requests(own_lab)["lists"].count(PODS)
        lab_post(own_lab, "restart", {"namespace": PROJECT, "name": name, "reason": "OOMKilled"})

        def shown() -> bool:
            row = next(line for line in screen_lines(pilot.app) if name[:20] in line)
            return f" {restarts + 1} " in f"{row} "

        await until(pilot, shown, 60)
        # it came through the watch: the pods were not listed again to show it
        assert lab_requests(own_lab)["lists"].count(PODS) == lists_before

    drive(make_app(own_lab), scenario, size=(80, 24))


def test_opening_a_project_lists_each_kind_once_and_then_only_watches(own_lab: dict) -> None:
    """The project's first read and its watches share the LISTs: each watch goes on from the
    resourceVersion of the LIST the first frame showed (before, every kind was listed twice);
    so do the fleet's LISTs across projects (the marks, `0`) and the fleet's watches."""
    before = len(lab_requests(own_lab)["lists"])

    async def scenario(pilot) -> None:
        screen = await main_screen(pilot, PROJECT)
        await until(pilot, lambda: screen.watches_healthy, 60)
        await until(pilot, lambda: screen.fleet_watched, 60)
        lists = lab_requests(own_lab)["lists"][before:]
        here = [path for path in lists if f"/namespaces/{PROJECT}/" in path]
        assert PODS in here, lists
        assert sorted({path for path in here if here.count(path) > 1}) == [], here
        fleet = [path for path in lists if "/namespaces/" not in path and "/projects" not in path]
        assert "/api/v1/pods" in fleet, lists
        assert sorted({path for path in fleet if fleet.count(path) > 1}) == [], fleet

    drive(make_app(own_lab), scenario, size=(80, 24))


def test_no_periodic_list_while_the_watches_are_healthy(own_lab: dict) -> None:
    async def scenario(pilot) -> None:
        screen = await main_screen(pilot, PROJECT)
        await until(pilot, lambda: screen.watches_healthy, 60)
        await swept(pilot, screen)  # the background diagnosis lists the cluster once
        await until(pilot, lambda: screen.fleet_watched, 60)
        await pilot.pause(1.0)  # the first reads' stragglers (projects, the fleet) land
        before = list(lab_requests(own_lab)["lists"])
        await pilot.pause(20.0)  # longer than the 15 s poll it replaces
        after = lab_requests(own_lab)["lists"]
        assert after[len(before) :] == [], after[len(before) :]
        assert screen.watches_healthy and screen.fleet_watched

    drive(make_app(own_lab, background_diagnosis=True), scenario, size=(80, 24))


def test_the_diagnosis_offers_a_rerun_when_its_pod_changes(own_lab: dict) -> None:
    async def scenario(pilot) -> None:
        diagnosis = await open_diagnosis(pilot, PROJECT)
        pod = diagnosis.snapshot.pods_for(diagnosis.deployment)[0].name
        await until(pilot, lambda: diagnosis._watch is not None and diagnosis._watch.synced, 60)
        assert not any("r re-runs" in line for line in screen_lines(pilot.app))
        lab_post(own_lab, "restart", {"namespace": PROJECT, "name": pod, "reason": "OOMKilled"})
        offer = f"pod {pod}"

        def offered() -> bool:
            return any(
                "r re-runs" in line and offer[:30] in line for line in screen_lines(pilot.app)
            )

        await until(pilot, offered, 60)
        await pilot.press("r")
        await finished(pilot)
        await until(pilot, lambda: not any("r re-runs" in x for x in screen_lines(pilot.app)))

    drive(make_app(own_lab), scenario, size=(80, 24))


def test_w_follows_the_deployment_until_it_passes(own_lab: dict) -> None:
    project, name = "std-healthy", "iris"
    selector = f"serving.kserve.io/inferenceservice={name}"
    original = lab_get(own_lab, f"/api/v1/namespaces/{project}/pods?labelSelector={selector}")[
        "items"
    ][0]
    pod = original["metadata"]["name"]
    lab_post(own_lab, "put", crash_looping(original))

    async def scenario(pilot) -> None:
        def lines() -> list[str]:
            return screen_lines(pilot.app)

        diagnosis = await open_diagnosis(pilot, project)
        assert any("root cause" in line for line in lines())
        await pilot.press("w")
        await until(pilot, lambda: any("watching" in x for x in lines()), 60)
        # one more restart first (the lab's own tick does it when the wait runs long): the
        # newest moments still show, each on one row, however long the ones before them are
        lab_post(own_lab, "restart", {"namespace": project, "name": pod, "reason": "OOMKilled"})
        await until(pilot, lambda: any(f"pod {pod} restarts" in x for x in lines()), 60)
        await until(pilot, lambda: any("verdict still fail" in x for x in lines()), 60)
        lab_post(own_lab, "put", copy.deepcopy(original))
        await until(
            pilot,
            lambda: any("verdict fail → pass" in x for x in lines()),
            90,
            seen=lambda: "\n".join(lines()),
        )
        shown = lines()
        assert any(f"pod {pod} CrashLoopBackOff → Running" in x for x in shown), shown
        assert any("nothing failed" in x for x in shown), shown
        assert not diagnosis.following

    try:
        drive(make_app(own_lab), scenario, size=(80, 24))
    finally:
        lab_post(own_lab, "put", copy.deepcopy(original))
