"""The garbage collector paused while the entry point loads its code, and resumed once the
command (or the console's first frame) is up: the entry point pauses it, either face resumes
it, and neither needs the other's module for that."""

from __future__ import annotations

import gc


def pause() -> None:
    gc.disable()


# Container objects allocated (net) between two young collections; Python's default is 700.
# A LIST, a report or a frame builds thousands that live on (snapshots, informers' copies,
# rows), so at 700 the older generations filled and a full pass walked the whole heap every
# few seconds: 30 passes of ~200 ms over 32 diagnoses in a console (8.2 s of CPU in all, against
# 3.5 s at 10,000), ~3 s of `check --all -A` over 1,000 deployments (1 s at 10,000). Cyclic
# garbage waits at most 10,000 allocations longer: kilobytes.
YOUNG_EVERY = 10_000


def start_up_done() -> None:
    """The collector, off while the entry point loads its code (modules and classes live for
    the whole run: there is nothing to collect, and each pass walks every one of them; ~10%
    of the console's start), runs again, leaving what was loaded out of its passes, and
    collects the young generation every YOUNG_EVERY allocations rather than 700."""
    gc.set_threshold(YOUNG_EVERY, *gc.get_threshold()[1:])
    if not gc.isenabled():
        gc.freeze()
        gc.enable()
