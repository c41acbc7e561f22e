"""The garbage collector paused while the entry point loads its code, and resumed once the
command (or the console's first frame) is up: the entry point pauses it, either face resumes
it, and neither needs the other's module for that."""

from __future__ import annotations

import gc


def pause() -> None:
    gc.disable()


def start_up_done() -> None:
    """The collector, off while the entry point loads its code (modules and classes live for
    the whole run: there is nothing to collect, and each pass walks every one of them; ~10%
    of the console's start), runs again, leaving what was loaded out of its passes."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()
