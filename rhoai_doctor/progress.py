"""The sweep's progress line on stderr, `[412/1000] fraud-detection/fraud: fail`, drawn over
itself and cleared at the end; only when stderr is a terminal (scripts and CI see nothing).
The names in it were written by others: shown, never obeyed."""

from __future__ import annotations

import sys
from typing import TextIO

from checks.sweep import Swept
from checks.text import one_line


class ProgressLine:
    """One line redrawn in place; `clear()` before anything else is printed to the terminal."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.shown = False
        try:
            self.enabled = self.stream.isatty()
        except (AttributeError, ValueError):
            self.enabled = False

    def show(self, swept: Swept) -> None:
        if not self.enabled:
            return
        target = swept.report.target
        total = f"/{swept.total}" if swept.total else ""
        line = one_line(
            f"[{swept.index}{total}] {target.get('namespace', '')}/{target.get('name', '')}: "
            f"{swept.report.verdict}"
        )
        import shutil  # here: with bz2 and lzma it is not on every command's start

        width = max(20, shutil.get_terminal_size((80, 24)).columns - 1)
        self.stream.write("\r\x1b[2K" + line[:width])
        self.stream.flush()
        self.shown = True

    def clear(self) -> None:
        if self.shown:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()
            self.shown = False
