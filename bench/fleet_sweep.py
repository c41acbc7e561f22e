"""`rhoai-doctor check --all -A` over fleets of 10, 100 and 1,000 deployments (lab --fleet, one
project per five deployments, 2.x and 3.x kinds mixed, a fifth broken) with 100 ms injected on
every API, S3 and route request: wall time and peak RSS of the real entry point, per-deployment
cost (the curve must be flat: linear growth), beside the one-after-another estimate.

The estimate: the same command with --sweep-concurrency 1 (projects and deployments one after
another, as `check --all` did before the sweep) on the 10-deployment fleet, per deployment,
times the fleet's size. Targets (issue 14 item 4): 1,000 deployments in <= 20 s, <= 400 MB.
"""

from __future__ import annotations

import contextlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from bench.targets import Target, record
from checks.resources.tables import table
from lab import control
from lab.control import env_vars
from lab.state import LabState

LATENCY_MS = 100
SIZES = (10, 100, 1000)
REPEATS = {10: 3, 100: 3, 1000: 1}
ROOT = Path(__file__).resolve().parent.parent


@contextlib.contextmanager
def fleet_lab(deployments: int) -> Iterator[dict]:
    with tempfile.TemporaryDirectory(prefix="rhoai-bench-fleet-") as root:
        state = LabState(Path(root))
        projects = max(1, deployments // 5)
        info = control.up(state, LATENCY_MS, fleet=f"{projects},{deployments}")
        try:
            yield info
        finally:
            control.down(state)


def sweep_once(lab: dict, *extra: str) -> tuple[float, float, int]:
    """(seconds, peak RSS MiB, reports) of one `check --all -A -o json` in its own process."""
    with tempfile.TemporaryDirectory(prefix="rhoai-bench-rss-") as scratch:
        rss_file = Path(scratch) / "rss"
        out_file = Path(scratch) / "out.json"
        command = [sys.executable, "-m", "bench.peak_rss", str(rss_file), "--"]
        command += ["check", "--all", "-A", "-o", "json", *extra]
        started = time.perf_counter()
        with out_file.open("wb") as out:
            done = subprocess.run(
                command,
                stdout=out,
                stderr=subprocess.PIPE,
                cwd=ROOT,
                env={**os.environ, **env_vars(lab)},
                timeout=900,
            )
        seconds = time.perf_counter() - started
        if done.returncode not in (0, 1):
            raise SystemExit(f"check --all -A failed: {done.stderr.decode()[-500:]}")
        reports = out_file.read_text().count('"target": {')
        return seconds, float(rss_file.read_text()), reports


def main() -> None:
    rows = []
    sequential_per_deployment = 0.0
    for size in SIZES:
        with fleet_lab(size) as lab:
            runs = [sweep_once(lab) for _ in range(REPEATS[size])]
            if size == SIZES[0]:
                alone = [sweep_once(lab, "--sweep-concurrency", "1") for _ in range(REPEATS[size])]
                sequential_per_deployment = statistics.median(r[0] for r in alone) / size
        seconds = statistics.median(r[0] for r in runs)
        rss = max(r[1] for r in runs)
        assert all(r[2] == size for r in runs), [r[2] for r in runs]
        rows.append((size, seconds, rss, sequential_per_deployment * size))
    print(f"{LATENCY_MS} ms injected on every API, S3 and route request; load: {_load()}")
    print(
        table(
            (
                "DEPLOYMENTS",
                "SWEEP (S)",
                "PER DEPLOYMENT (MS)",
                "PEAK RSS (MB)",
                "ONE AFTER ANOTHER, EST. (S)",
                "SPEED-UP",
            ),
            [
                (
                    f"{size:,}",
                    f"{seconds:.2f}",
                    f"{seconds / size * 1000:.1f}",
                    f"{rss:.0f}",
                    f"{estimate:.1f}",
                    f"{estimate / seconds:.1f}x",
                )
                for size, seconds, rss, estimate in rows
            ],
        )
    )
    print(
        "one after another, est.: `check --all -A --sweep-concurrency 1` on the 10-deployment "
        f"fleet ({sequential_per_deployment * 1000:.0f} ms per deployment, median of "
        f"{REPEATS[SIZES[0]]}) times the fleet's size"
    )
    mid, big = rows[1], rows[2]
    growth = (big[1] / big[0]) / (mid[1] / mid[0])
    print(
        f"per-deployment cost at 1,000 vs 100: {growth:.2f}x "
        f"({'linear' if growth <= 1.5 else 'WORSE THAN LINEAR'})"
    )
    size, seconds, rss, estimate = big
    record(
        Target(
            row="fleet sweep: check --all -A, 1,000 deployments, 100 ms latency",
            ours=seconds,
            unit="s",
            goal="<= 20 s",
            met=seconds <= 20,
            peer=estimate,
            peer_name="one after another (est.)",
        )
    )
    record(
        Target(
            row="fleet sweep: peak RSS, 1,000 deployments",
            ours=rss,
            unit="MB",
            goal="<= 400 MB",
            met=rss <= 400,
        )
    )


def _load() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


if __name__ == "__main__":
    main()
