"""`lab up` to ready, and `lab down` to nothing left, measured as a user runs them."""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from checks.resources.tables import table

RUNS = 3
TARGET_S = 5.0


def _timed(*args: str) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "rhoai_doctor", *args],
        check=True,
        capture_output=True,
        cwd=Path(__file__).parent.parent,
    )
    return time.perf_counter() - started


def main() -> None:
    rows = []
    for run in range(1, RUNS + 1):
        with tempfile.TemporaryDirectory() as state:
            up = _timed("lab", "up", "--state", state)
            down = _timed("lab", "down", "--state", state)
        rows.append((run, f"{up:.2f}", f"{down:.2f}", "yes" if up <= TARGET_S else "NO"))
    print(table(("RUN", "LAB UP TO READY (S)", "LAB DOWN (S)", f"<= {TARGET_S:.0f} S"), rows))


if __name__ == "__main__":
    main()
