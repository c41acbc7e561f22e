"""Helpers shared by the benchmarks: a private lab, peak RSS, timing."""

from __future__ import annotations

import contextlib
import resource
import tempfile
from collections.abc import Iterator
from pathlib import Path

from lab import control
from lab.state import LabState


@contextlib.contextmanager
def private_lab(latency_ms: int = 0, bulk: str = "") -> Iterator[dict]:
    with tempfile.TemporaryDirectory(prefix="rhoai-bench-") as root:
        state = LabState(Path(root))
        info = control.up(state, latency_ms, bulk)
        try:
            yield info
        finally:
            control.down(state)


def peak_rss_mb() -> float:
    """This process image's peak resident set size (VmHWM). Not ru_maxrss: Linux carries a
    parent's peak into children across fork and exec."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
