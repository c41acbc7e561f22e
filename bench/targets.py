"""The issue targets `make bench` ends with: one row per target, our figure beside the peer's
figure from the same run, the ratio, the goal and whether it is met.

Each benchmark runs in its own process, so rows travel through a file: `record()` appends one
JSON line to the file named by RHOAI_BENCH_TARGETS (set by `python -m bench`); run alone, a
benchmark prints its rows itself.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from checks.resources.tables import table

ROWS_FILE_VARIABLE = "RHOAI_BENCH_TARGETS"


@dataclass(frozen=True)
class Target:
    """One measured target. `peer` is what a user would otherwise run (kubectl, the same work
    one request after another, …), measured in the same run; `goal` is the issue's words."""

    row: str
    ours: float
    unit: str
    goal: str
    met: bool
    peer: float | None = None
    peer_name: str = ""

    @property
    def ratio(self) -> str:
        if self.peer is None or self.peer <= 0:
            return "-"
        return f"{self.ours / self.peer:.2f}x"


def _figure(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    if unit == "s":
        return f"{value:.3f} s"
    if unit == "ms":
        return f"{value:.1f} ms"
    return f"{value:.0f} {unit}"


def record(target: Target) -> None:
    """Hand the row to `python -m bench`'s summary, or print it when run alone."""
    path = os.environ.get(ROWS_FILE_VARIABLE)
    if not path:
        print(summary([target]))
        return
    with Path(path).open("a", encoding="utf-8") as rows:
        rows.write(json.dumps(asdict(target)) + "\n")


def read_rows(path: Path) -> list[Target]:
    if not path.exists():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()
    return [Target(**json.loads(line)) for line in lines if line.strip()]


def summary(targets: list[Target]) -> str:
    rows = [
        (
            t.row,
            _figure(t.ours, t.unit),
            f"{_figure(t.peer, t.unit)} ({t.peer_name})" if t.peer_name else "-",
            t.ratio,
            t.goal,
            "yes" if t.met else "NO",
        )
        for t in targets
    ]
    return table(("TARGET", "OURS", "PEER, SAME RUN", "RATIO", "GOAL", "MET"), rows)
