"""`make bench`: run every benchmark, each in its own process (peak RSS is per process), and
print its table."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCHMARKS = (
    "bench.lab_startup",
    "bench.snapshot_latency",
    "bench.diagnosis_latency",
    "bench.infer_vs_curl",
    "bench.onnx_ranged_read",
    "bench.tui_console",
    "bench.hostile_answers",
    "bench.bundle_capture",
)


def main() -> int:
    failed = 0
    for name in BENCHMARKS:
        print(f"== {name} ==", flush=True)
        done = subprocess.run([sys.executable, "-m", name], cwd=Path(__file__).parent.parent)
        failed += done.returncode != 0
        print(flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
