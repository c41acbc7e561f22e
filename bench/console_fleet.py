"""The console at fleet size (issue 14, item 6): a lab of 10,000 deployments over 500 projects;
the All projects view (`0`) to its first screen of rows, and each filter keystroke there
(handler + repaint), beside `kubectl get inferenceservices -A` on the same lab in the same run.

What the clocks cover:
- `0` cold: the fleet the console read at start-up is dropped first, so pressing `0` really
  reads it again: the all-namespaces LISTs from the lab (paged, limit 500, over TLS), parsing,
  the fleet rows and their order, the screen pushed, the table filled and its visible rows
  rendered. The clock stops when the first screen of rows is drawn.
- `0` warm: the same with the fleet the console already holds (read at start-up, refreshed
  every 15 s): the screen and its table only.
- a filter keystroke: `apply_filter` on 10,000 rows and the repaint of the visible lines (one
  screen of rows is drawn at once; the rest of the 200 drawn rows follow that frame, timed too).
- kubectl: process start to exit, its 10,000-row table written to a pipe.

Goals: first screen <= 1 s, a filter keystroke <= 50 ms.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import statistics
import subprocess
import time

from bench.common import peak_rss_mb, private_lab
from bench.targets import Target, record
from checks.resources.tables import table

DEPLOYMENTS, PROJECTS = 10_000, 500
BULK = f"{DEPLOYMENTS},0,{PROJECTS}"
RUNS = 5
# typing a project, then a deployment's name, backspacing to the whole fleet between them
KEYSTROKES = ("b", "bu", "bulk-4", "bulk-42", "bulk-421", "bulk-42", "bulk-4", "", "m")
KEYSTROKES += ("mo", "model-001", "model-0017", "model-001", "model", "")
SIZE = (120, 36)
FIRST_GOAL_S, KEY_GOAL_S = 1.0, 0.050


def _paint(widget) -> None:
    """Render the widget's visible lines now, as the next frame would."""
    widget.render_lines(widget.size.region)


async def _console_times(lab: dict) -> dict[str, list[float]]:
    from rhoai_doctor.cli import build_parser
    from rhoai_doctor.commands.console import console_app
    from rhoai_doctor.flags import session_options
    from tui.screens.all_projects import AllProjectsScreen
    from tui.screens.main import MainScreen
    from tui.widgets.all_projects import AllProjectsTable

    args = build_parser().parse_args(["--kubeconfig", lab["kubeconfig"]])
    app = console_app(session_options(args))
    app.animation_level = "none"
    times: dict[str, list[float]] = {"cold": [], "warm": [], "keys": [], "rest": []}
    async with app.run_test(size=SIZE) as pilot:
        while not isinstance(app.screen, MainScreen) or app.screen.fleet_rows is None:
            await pilot.pause(0.02)
        main = app.screen

        async def open_all(cold: bool) -> float:
            await pilot.pause(0.05)
            if cold:
                main.fleet_rows = None  # the next `0` reads every project again
            started = time.perf_counter()
            await pilot.press("0")
            while not isinstance(app.screen, AllProjectsScreen):
                await asyncio.sleep(0.001)
            view = app.screen
            fleet = view.query_one(AllProjectsTable)
            while fleet.row_count == 0:
                await asyncio.sleep(0.001)
            _paint(fleet)
            elapsed = time.perf_counter() - started
            total = fleet.drawn_rows + fleet.hidden_rows
            assert total >= DEPLOYMENTS, total
            return elapsed

        for _ in range(RUNS):
            times["cold"].append(await open_all(cold=True))
            if len(times["cold"]) < RUNS:
                await pilot.press("0")  # back to the project
        await pilot.press("0")
        for _ in range(RUNS):
            times["warm"].append(await open_all(cold=False))
            if len(times["warm"]) < RUNS:
                await pilot.press("0")
        fleet = app.screen.query_one(AllProjectsTable)
        assert fleet.drawn_rows + fleet.hidden_rows >= DEPLOYMENTS
        for text in KEYSTROKES * 2:
            started = time.perf_counter()
            fleet.apply_filter(text)
            _paint(fleet)
            times["keys"].append(time.perf_counter() - started)
            await _rest_added(pilot, fleet)  # the rows past the first screen, after its frame
            times["rest"].append(time.perf_counter() - started)
        fleet.apply_filter("bulk-421")
        assert fleet.row_count == DEPLOYMENTS // PROJECTS, fleet.row_count
    return times


async def _rest_added(pilot, fleet, most_s: float = 10.0) -> None:
    """The rows past the first screen are added in a later turn of the loop; on a busy machine
    one pause is not always enough, so wait for them (bounded)."""
    deadline = time.perf_counter() + most_s
    await pilot.pause()
    while fleet.row_count != fleet.drawn_rows:
        assert time.perf_counter() < deadline, (fleet.row_count, fleet.drawn_rows)
        await asyncio.sleep(0.005)


def _kubectl(lab: dict) -> list[float]:
    kubectl = shutil.which("kubectl")
    if not kubectl:
        return []
    env = {**os.environ, "KUBECONFIG": lab["kubeconfig"]}
    command = [kubectl, "get", "inferenceservices", "-A"]
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        done = subprocess.run(command, env=env, capture_output=True, check=True)
        times.append(time.perf_counter() - started)
        lines = done.stdout.count(b"\n")
    assert lines >= DEPLOYMENTS, lines
    return times


def main() -> None:
    with private_lab(bulk=BULK) as lab:
        times = asyncio.run(_console_times(lab))
        peer = _kubectl(lab)
    cold, warm, keys = times["cold"], times["warm"], times["keys"]
    peer_median = statistics.median(peer) if peer else None
    rows = [
        (f"`0` cold: LIST {DEPLOYMENTS:,} from the lab to first screen", cold, "<= 1 s"),
        ("`0` warm: fleet held, screen + table to first screen", warm, ""),
        (f"filter keystroke on {DEPLOYMENTS:,} rows: handler + repaint", keys, "<= 50 ms"),
        (
            "  … and the rest of the 200 rows after that frame (Pilot's idle wait in)",
            times["rest"],
            "",
        ),
    ]
    if peer:
        rows.append((f"kubectl get inferenceservices -A ({DEPLOYMENTS:,} rows)", peer, ""))
    print(f"The console at fleet size: {DEPLOYMENTS:,} deployments in {PROJECTS} projects")
    print(
        table(
            ("WHAT", "BEST S", "MEDIAN S", "WORST S", "N", "GOAL"),
            [
                (
                    what,
                    f"{min(t):.3f}",
                    f"{statistics.median(t):.3f}",
                    f"{max(t):.3f}",
                    len(t),
                    goal or "-",
                )
                for what, t, goal in rows
            ],
        )
    )
    print(f"peak RSS of the benchmark process (console + {DEPLOYMENTS:,}): {peak_rss_mb():.0f} MB")
    first = statistics.median(cold)
    record(
        Target(
            row=f"6. all-projects first screen, {DEPLOYMENTS:,} deployments (median)",
            ours=first,
            unit="s",
            goal="<= 1 s",
            met=first <= FIRST_GOAL_S,
            peer=peer_median,
            peer_name="kubectl get isvc -A",
        )
    )
    worst, median = max(keys), statistics.median(keys)
    record(
        Target(
            row=f"6. filter keystroke, {DEPLOYMENTS:,} rows (worst; median {median * 1000:.0f} ms)",
            ours=worst * 1000,
            unit="ms",
            goal="<= 50 ms",
            met=worst <= KEY_GOAL_S,
        )
    )


if __name__ == "__main__":
    main()
