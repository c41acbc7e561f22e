"""The console's speed: cold start to the first frame with data, beside kubectl and a bare
`import kubernetes`; and a project of 1,000 deployments and 5,000 events: first render and one
filter keystroke. Targets (issue 5): <= 1.0 s, <= 1 s, <= 50 ms; peak RSS printed."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bench.common import peak_rss_mb, private_lab
from checks.tables import table

ROOT = Path(__file__).parent.parent
RUNS = 3


def _timed(command: list[str], env: dict) -> float:
    started = time.perf_counter()
    subprocess.run(command, env=env, cwd=ROOT, check=True, capture_output=True)
    return time.perf_counter() - started


def cold_start(lab: dict) -> list[tuple[str, float]]:
    env = {**os.environ, "KUBECONFIG": lab["kubeconfig"], "RHOAI_DOCTOR_EXIT_WHEN_LOADED": "1"}
    ours = min(_timed([sys.executable, "-m", "checks.cli"], env) for _ in range(RUNS))
    rows = [("rhoai-doctor: process start to project list and deployments drawn", ours)]
    if shutil.which("kubectl"):
        kubectl = min(
            _timed(["kubectl", "get", "inferenceservices", "-A"], env) for _ in range(RUNS)
        )
        rows.append(("kubectl get inferenceservices -A", kubectl))
    bare = min(_timed([sys.executable, "-c", "import kubernetes"], env) for _ in range(RUNS))
    rows.append(('python -c "import kubernetes"', bare))
    return rows


async def scale(lab: dict) -> list[tuple[str, float]]:
    from checks.connect import ConnectionOptions
    from tui.app import RhoaiDoctorApp
    from tui.screens.main import MainScreen
    from tui.widgets.resource_table import ResourceTable

    app = RhoaiDoctorApp(ConnectionOptions(kubeconfig=lab["kubeconfig"]), show_clock=False)
    async with app.run_test(size=(120, 36)) as pilot:
        while not isinstance(app.screen, MainScreen) or app.screen.snapshot is None:
            await pilot.pause(0.02)
        screen = app.screen
        started = time.perf_counter()
        screen.select_project("bulk-project")
        while screen.snapshot is None or screen.snapshot.namespace != "bulk-project":
            await pilot.pause(0.005)
        load = screen.last_load_seconds
        deployments = screen.query_one("#table-deployments", ResourceTable)
        assert deployments.row_count == 1000, deployments.row_count
        started = time.perf_counter()
        await pilot.press("4")  # the events tab: its 5,000 rows are drawn when first shown
        events_tab = time.perf_counter() - started
        events = screen.query_one("#table-events", ResourceTable)
        assert events.row_count + events.hidden_rows == 5000
        await pilot.press("1", "slash", "0", "4")
        started = time.perf_counter()
        deployments.apply_filter("042")
        keystroke = time.perf_counter() - started
        assert 0 < deployments.row_count < 1000, deployments.row_count
        started = time.perf_counter()
        await pilot.press("9")
        with_pilot = time.perf_counter() - started
    return [
        ("first render: fetch 1,000 deployments + 5,000 events, parse, draw the tab", load),
        ("events tab first shown (5,000 events, 1,000 drawn), Pilot press to idle", events_tab),
        ("filter keystroke on 1,000 rows (the handler)", keystroke),
        ("filter keystroke, Pilot press to idle (Pilot's own waits included)", with_pilot),
    ]


def main() -> None:
    with private_lab(bulk="1000,5000") as lab:
        rows = cold_start(lab)
        rows += asyncio.run(scale(lab))
    print(table(("WHAT", "SECONDS"), [(what, f"{secs:.3f}") for what, secs in rows]))
    print(f"peak RSS of the benchmark process (console + 6,000 objects): {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
