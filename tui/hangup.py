"""The console ends when its terminal is gone. An SSH session that dies without a SIGHUP (or a
terminal window closed under a process that does not own it) leaves the console on a terminal
whose other end is closed: Textual's input thread then reads end-of-file in a loop, a core at
100 % for ever (Textualize/textual#6690, open), on a shared bastion host. Polled, never read:
a key pressed meanwhile stays for the input thread."""

from __future__ import annotations

import select
import sys

EVERY_S = 1.0  # how often the terminal is looked at


def terminal_gone(fd: int | None = None) -> bool:
    """Whether the terminal's input has hung up (its other end closed): poll, no read. Not
    asked on macOS, whose poll() does not take terminals (it answers POLLNVAL for a live one)."""
    if sys.platform == "darwin":
        return False
    try:
        fd = sys.__stdin__.fileno() if fd is None and sys.__stdin__ is not None else fd
        if fd is None:
            return False
        poller = select.poll()
        poller.register(fd, select.POLLIN)
        return any(mask & select.POLLHUP for _, mask in poller.poll(0))
    except (OSError, ValueError):  # no stdin at all: nothing to watch
        return False
