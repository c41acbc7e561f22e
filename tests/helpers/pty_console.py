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
    last_write: float = 0.0  # when the console last wrote (time.monotonic)

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
                self.last_write = time.monotonic()

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

    def wait_for(self, words: str, longest: float = 30.0, since: int = 0) -> bool:
        """Until `words` appear in what the console wrote from byte `since` on."""
        deadline = time.monotonic() + longest
        while time.monotonic() < deadline and self.alive():
            if words in self.text_since(since):
                return True
            time.sleep(0.05)
        return words in self.text_since(since)

    def text_since(self, offset: int) -> str:
        with self._lock:
            return bytes(self.output[offset:]).decode("utf-8", "replace")

    def settle_quietly(self, since: int, quiet: float = 0.3, longest: float = 1.5) -> None:
        """Until the console answered (wrote past `since`) and then wrote nothing for `quiet`
        seconds, or `longest` passed: a redraw is done, without a fixed wait per key."""
        deadline = time.monotonic() + longest
        while time.monotonic() < deadline and self.alive():
            with self._lock:
                answered = len(self.output) > since
                still = time.monotonic() - self.last_write
            if answered and still >= quiet:
                return
            time.sleep(0.03)

    def press(self, *keys: bytes | str, wait: float = 1.5, until: str = "") -> None:
        """Type `keys` one by one, each after the console drew its answer to the one before
        (`until`: words the last key's screen shows once it is whole)."""
        for key in keys:
            assert self.alive(), f"the console ended before {key!r}: {self.text[-2000:]!r}"
            with self._lock:
                since = len(self.output)
            os.write(self.fd, key.encode() if isinstance(key, str) else key)
            self.settle_quietly(since, longest=wait)
        if until:
            assert self.wait_for(until, 30, since), f"{until!r} never shown: {self.text[-2000:]!r}"
            self.settle_quietly(len(self.output) - 1, longest=wait)

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
