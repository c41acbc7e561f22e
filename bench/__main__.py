"""`make bench`: run every benchmark and print its table."""

from __future__ import annotations

import importlib
import sys

BENCHMARKS = (
    "bench.lab_startup",
    "bench.snapshot_latency",
    "bench.diagnosis_latency",
    "bench.infer_vs_curl",
    "bench.onnx_ranged_read",
    "bench.tui_console",
)


def main() -> int:
    for name in BENCHMARKS:
        module = importlib.import_module(name)
        print(f"== {name} ==")
        module.main()
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
