"""One answer to "which deployments fail" (issue 25 item 1, and item 5's first screen): the 80x24
first screen says how many fail elsewhere and shows `p`; once the console's background sweep
has diagnosed the lab, the status line, the project marks and the `0` view name exactly the
deployments `check --all -A` fails, and so does `get deployments -A --diagnose`; the `0` view's
STATE words are `get deployments -A`'s.

What "failing" means for `get`: its STATE is the deployment's running state (the dashboard's
word plus the pod or quota fault behind it), so it fails when the word is FailedToLoad or a pod
or quota fault stands behind the word. It cannot see what only a probe shows (a route, a
token, the bucket of a model that loaded), so its failing set is part of `check`'s, never more.
Through the real entry points: the console (tests.helpers.console) and `python -m
rhoai_doctor`."""

from __future__ import annotations

import json
import os
import re

from checks.resources.state import POD_FAULTS
from lab.control import env_vars
from tests.helpers import cut_from, drive, loaded, main_screen, make_app, screen_lines, until
from tests.helpers.doctor_cli import run_doctor
from tui.widgets.all_projects import AllProjectsTable

SMALL = (80, 24)
FAULTS = (*POD_FAULTS, "Unschedulable", "Evicted", "FailedCreate")


def _cli(lab: dict, *args: str) -> str:
    done = run_doctor(list(args), timeout=300, env={**os.environ, **env_vars(lab)})
    assert done.returncode in (0, 1), done.stderr
    return done.stdout


def check_failing(lab: dict) -> set[str]:
    reports = json.loads(_cli(lab, "check", "--all", "-A", "-o", "json"))["reports"]
    return {
        f"{r['target']['namespace']}/{r['target']['name']}"
        for r in reports
        if r["verdict"] == "fail"
    }


def get_states(lab: dict) -> dict[str, str]:
    """`get deployments -A`'s STATE by namespace/name, read from its columns."""
    lines = _cli(lab, "get", "deployments", "-A").splitlines()
    header = lines[0]
    state, platform = header.index("STATE"), header.index("PLATFORM")
    return {
        f"{line.split()[0]}/{line.split()[1]}": line[state:platform].strip() for line in lines[1:]
    }


def get_diagnosed_failing(lab: dict) -> set[str]:
    """`get deployments -A --diagnose`: the rows whose VERDICT is fail."""
    lines = _cli(lab, "get", "deployments", "-A", "--diagnose").splitlines()
    verdict = lines[0].index("VERDICT")
    return {
        f"{line.split()[0]}/{line.split()[1]}"
        for line in lines[1:]
        if line[verdict:].split()[0] == "fail"
    }


def failing_state(text: str) -> bool:
    word, _, reason = text.partition(" · ")
    return word == "FailedToLoad" or reason.startswith(FAULTS)


def test_the_first_screen_says_how_many_fail_elsewhere_and_shows_p(lab) -> None:
    async def scenario(pilot) -> None:
        await main_screen(pilot, "iris-project")
        await until(pilot, lambda: "failing elsewhere" in "\n".join(screen_lines(pilot.app)))
        lines = screen_lines(pilot.app)
        assert re.search(r"✗ (\d+) failing elsewhere \(0\)", "\n".join(lines)), lines
        assert "p Projects" in lines[-1], lines[-1]

    drive(make_app(lab, background_diagnosis=True), scenario, size=SMALL)


def test_the_console_get_and_check_name_the_same_failing_deployments(lab) -> None:
    failing = check_failing(lab)
    states = get_states(lab)
    diagnosed_by_get = get_diagnosed_failing(lab)
    seen: dict[str, object] = {}

    async def scenario(pilot) -> None:
        screen = await main_screen(pilot, "iris-project")
        await pilot.press("0")
        await until(pilot, lambda: type(pilot.app.screen).__name__ == "AllProjectsScreen")
        view = pilot.app.screen
        status = view.query_one("#status")

        def diagnosed() -> bool:
            said = str(status.render())
            return "deployment(s) in" in said and "diagnosing" not in said

        await until(pilot, diagnosed, 240)
        await pilot.pause(0.5)  # the last verdicts' redraw
        said = str(status.render())
        table = view.query_one(AllProjectsTable)
        cells = [[str(c) for c in table.get_row(key)] for key in table.rows]
        drawn = dict(zip(table.shown_objects(), cells, strict=True))
        assert len(drawn) == len(states)
        keys = {r: f"{r.deployment.namespace}/{r.deployment.name}" for r in drawn}
        seen["zero"] = {keys[r] for r, cells in drawn.items() if cells[2].startswith("✗ ")}
        seen["zero_said"] = int(re.search(r"✗ (\d+) failed", said)[1])
        # the words behind each drawn STATE cell (cut at 80 columns: `Pending · Cra…`)
        assert all(cut_from(cells[2][2:], r.state.text) for r, cells in drawn.items())
        seen["zero_states"] = {keys[r]: r.state.text for r in drawn}
        seen["legend"] = "\n".join(screen_lines(pilot.app)[:3])
        await pilot.press("0")
        await until(pilot, lambda: type(pilot.app.screen).__name__ == "MainScreen")
        marks = {str(k.value): str(screen.projects.get_row(k)[2]) for k in screen.projects.rows}
        seen["marks"] = {p: int(m[2:]) for p, m in marks.items() if m.startswith("✗ ")}
        await pilot.pause(0.1)
        line = "\n".join(screen_lines(pilot.app))
        seen["elsewhere"] = int(re.search(r"✗ (\d+) failing elsewhere", line)[1])
        screen.select_project("auth-denied")  # Loaded: only its diagnosis says it fails
        await loaded(pilot, screen, "auth-denied")
        await pilot.pause(0.1)
        seen["auth-denied"] = "\n".join(screen_lines(pilot.app))

    drive(make_app(lab, background_diagnosis=True), scenario, size=SMALL)
    zero, marks = seen["zero"], seen["marks"]
    assert isinstance(zero, set) and isinstance(marks, dict)
    print(
        f"failing: 0 view {len(zero)}, project marks {sum(marks.values())}, "
        f"get {sum(map(failing_state, states.values()))}, get --diagnose "
        f"{len(diagnosed_by_get)}, check {len(failing)}"
    )
    assert diagnosed_by_get == failing  # the listing with the diagnosis' columns
    assert zero == failing and seen["zero_said"] == len(failing)
    projects: dict[str, int] = {}
    for key in failing:
        projects[key.split("/")[0]] = projects.get(key.split("/")[0], 0) + 1
    assert marks == projects
    assert "iris-project" not in projects and seen["elsewhere"] == len(failing)
    said = str(seen["auth-denied"])  # the open project's own count is the verdict's too
    assert "✗ 1 deployment(s) failed" in said, said
    assert f"✗ {len(failing) - 1} failing elsewhere" in said, said
    # the same STATE words as `get deployments -A`; what get calls failing, check fails
    assert seen["zero_states"] == states
    assert {key for key, text in states.items() if failing_state(text)} <= failing
    assert "✗ failed" in str(seen["legend"]) and "… not diagnosed yet" in str(seen["legend"])
