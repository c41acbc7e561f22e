"""`make bench`: run every benchmark, each in its own process (peak RSS is per process), print
its table, and end with the targets: ours, the peer's figure from the same run, ratio, goal.

`python -m bench NAME…` runs only the named benchmarks (e.g. `python -m bench tui_console`)."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.targets import ROWS_FILE_VARIABLE, read_rows, summary

BENCHMARKS = (
    "bench.lab_startup",
    "bench.snapshot_latency",
    "bench.diagnosis_latency",
    "bench.infer_vs_curl",
    "bench.onnx_ranged_read",
    "bench.onnx_many_weights",
    "bench.tui_console",
    "bench.live_updates",
    "bench.console_fleet",
    "bench.hostile_answers",
    "bench.bundle_capture",
    "bench.startup",
    "bench.fleet_sweep",
)


def _chosen(argv: list[str]) -> tuple[str, ...]:
    if not argv:
        return BENCHMARKS
    wanted = {name if name.startswith("bench.") else f"bench.{name}" for name in argv}
    unknown = wanted - set(BENCHMARKS)
    if unknown:
        raise SystemExit(f"unknown benchmark(s): {', '.join(sorted(unknown))}")
    return tuple(name for name in BENCHMARKS if name in wanted)


def main(argv: list[str]) -> int:
    failed = 0
    with tempfile.TemporaryDirectory(prefix="rhoai-bench-rows-") as scratch:
        rows_file = Path(scratch) / "targets.jsonl"
        env = {**os.environ, ROWS_FILE_VARIABLE: str(rows_file)}
        for name in _chosen(argv):
            print(f"== {name} ==", flush=True)
            done = subprocess.run(
                [sys.executable, "-m", name], cwd=Path(__file__).parent.parent, env=env
            )
            failed += done.returncode != 0
            print(flush=True)
        targets = read_rows(rows_file)
    if targets:
        print("== targets (issue 14): ours beside the peer measured in the same run ==")
        print(summary(targets))
        missed = sum(not t.met for t in targets)
        print(f"{len(targets) - missed} of {len(targets)} targets met")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
