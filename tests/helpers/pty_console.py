"""`python -m rhoai_doctor ARGV` in a real pseudo-terminal at 80x24 (TERM=xterm-256color), driven
by the bytes a keyboard sends, with every byte the app writes kept: what a terminal would obey."""

from __future__ import annotations

import fcntl
import os
import pty
import signal
import struct
import sys
import termios
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ESCAPE, CTRL_P, CTRL_Q = b"\x1b", b"\x10", b"\x11"


@dataclass
class PtyConsole:
    argv: Sequence[str]
    environ: dict[str, str]
    size: tuple[int, int] = (80, 24)
    root: Path = ROOT  # the source tree run (another checkout shows the code before a fix)
    output: bytearray = field(default_factory=bytearray)
    pid: int = 0
    fd: int = -1
    status: int | None = None

    def __enter__(self) -> PtyConsole:
        env = {**os.environ, **self.environ, "TERM": "xterm-256color", "PYTHONPATH": str(self.root)}
        env.pop("NO_COLOR", None)
        pid, fd = pty.fork()
        if pid == 0:  # the child: the console on the pty's other end
            columns, rows = self.size
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
            os.chdir(self.root)
            os.execve(sys.executable, [sys.executable, "-m", "rhoai_doctor", *self.argv], env)
        self.pid, self.fd = pid, fd
        self._lock = threading.Lock()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        return self

    def _read(self) -> None:
        while True:
            try:
                chunk = os.read(self.fd, 65536)
            except OSError:  # EIO: the console closed the terminal
                return
            if not chunk:
                return
            with self._lock:
                self.output += chunk

    @property
    def text(self) -> str:
        with self._lock:
            return bytes(self.output).decode("utf-8", "replace")

    def alive(self) -> bool:
        if self.status is None:
            done, status = os.waitpid(self.pid, os.WNOHANG)
            if done:
                self.status = status
        return self.status is None

    def settle(self, seconds: float) -> None:
        """Let the console draw for `seconds` (its clock redraws every second: never quiet)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and self.alive():
            time.sleep(0.05)

    def wait_for(self, words: str, longest: float = 30.0) -> bool:
        deadline = time.monotonic() + longest
        while time.monotonic() < deadline and self.alive():
            if words in self.text:
                return True
            time.sleep(0.05)
        return words in self.text

    def press(self, *keys: bytes | str, wait: float = 0.8) -> None:
        for key in keys:
            assert self.alive(), f"the console ended before {key!r}: {self.text[-2000:]!r}"
            os.write(self.fd, key.encode() if isinstance(key, str) else key)
            self.settle(wait)

    def __exit__(self, *exc: object) -> None:
        deadline = time.monotonic() + 10
        while self.alive() and time.monotonic() < deadline:
            time.sleep(0.05)
        if self.alive():
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        self._reader.join(2)
        os.close(self.fd)

    def exit_code(self) -> int | None:
        return os.waitstatus_to_exitcode(self.status) if self.status is not None else None
