"""Helpers shared by the benchmarks: a private lab, peak RSS, timing."""

from __future__ import annotations

import contextlib
import os
import resource
import tempfile
from collections.abc import Iterator
from pathlib import Path

from lab import control
from lab.state import LabState


@contextlib.contextmanager
def private_lab(latency_ms: int = 0, bulk: str = "") -> Iterator[dict]:
    """A lab of the benchmark's own, and preferences of its own: a console run in this process
    neither reads the user's remembered project (which would skip the read being timed) nor
    leaves the benchmark's project behind for the user's next start."""
    with tempfile.TemporaryDirectory(prefix="rhoai-bench-") as root:
        state = LabState(Path(root))
        info = control.up(state, latency_ms, bulk)
        try:
            with _own_places(Path(root)):
                yield info
        finally:
            control.down(state)


@contextlib.contextmanager
def _own_places(root: Path) -> Iterator[None]:
    names = ("XDG_CONFIG_HOME", "XDG_STATE_HOME")
    saved = {name: os.environ.get(name) for name in names}
    for name in names:
        os.environ[name] = str(root / name.lower())
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


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


def children_peak_rss_mb() -> float:
    """The processes this one started and waited for (a sweep's helpers): the biggest one's
    peak times as many helpers as a sweep starts here. An upper bound: ru_maxrss, and Linux
    counts a parent's peak into a child it forks."""
    from checks.sweep_helper import MAX_AUTO, usable_cpus

    biggest = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return biggest * max(1, min(usable_cpus(), MAX_AUTO) - 1)
