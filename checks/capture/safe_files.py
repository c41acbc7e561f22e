"""Files of a capture directory are untrusted: a must-gather can hold a symlink to
/proc/self/environ, a FIFO, or /dev/zero. Only regular files and real directories inside the
capture root are opened (never through a symlink), each read is capped in bytes and time, and all
reads together share one byte budget, so a hostile directory is one line, never a leak or a hang."""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path
from typing import BinaryIO

from checks.errors import DoctorError, ErrorKind

FILE_CAP = 64 * 1024 * 1024  # one file (the LIST ceiling of the live reader)
TOTAL_CAP = 1024 * 1024 * 1024  # everything read from one capture
CHUNK = 1024 * 1024


class RefusedFile(ValueError):
    """A file the capture reader will not open or finish reading; its text is one line."""


class CaptureFiles:
    """The one way the must-gather reader touches the disk under `root`."""

    def __init__(self, root: Path, *, timeout: float = 10.0, total_cap: int = TOTAL_CAP) -> None:
        self.root = Path(os.path.abspath(root))
        self._real_root = self.root.resolve()
        self.timeout = timeout
        self.total_cap = total_cap
        self.used = 0

    def _inside(self, path: Path) -> bool:
        try:
            path.resolve().relative_to(self._real_root)
        except (ValueError, OSError, RuntimeError):
            return False
        return True

    def _mode(self, path: Path) -> int | None:
        try:
            return os.lstat(path).st_mode
        except OSError:
            return None

    def is_dir(self, path: Path) -> bool:
        """A real directory (not a symlink to one) inside the root."""
        mode = self._mode(path)
        return mode is not None and stat.S_ISDIR(mode) and self._inside(path)

    def is_file(self, path: Path) -> bool:
        """A regular file (not a symlink, device, FIFO or socket) inside the root."""
        mode = self._mode(path)
        return mode is not None and stat.S_ISREG(mode) and self._inside(path)

    def entries(self, directory: Path) -> list[Path]:
        """What a real directory holds, sorted; nothing when it cannot be listed."""
        if not self.is_dir(directory):
            return []
        try:
            return sorted(directory.iterdir())
        except OSError:
            return []

    def dirs(self, directory: Path) -> list[Path]:
        return [p for p in self.entries(directory) if self.is_dir(p)]

    def files(self, directory: Path, suffix: str) -> list[Path]:
        return [p for p in self.entries(directory) if p.name.endswith(suffix) and self.is_file(p)]

    def read(self, path: Path, cap: int = FILE_CAP) -> bytes:
        """The file's bytes; RefusedFile when it is no regular file inside the root, is larger
        than `cap`, or takes longer than the timeout to read."""
        with self._open(path) as handle:
            if os.fstat(handle.fileno()).st_size > cap:
                raise RefusedFile(f"{path.name} is larger than {_size(cap)}")
            return self._chunks(path, handle, cap)

    def tail(self, path: Path, cap: int) -> tuple[bytes, bool]:
        """The last `cap` bytes of the file, and whether the start was cut off."""
        with self._open(path) as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > cap:
                handle.seek(size - cap)
            return self._chunks(path, handle, cap), size > cap

    def _open(self, path: Path) -> BinaryIO:
        if not self.is_file(path):
            raise RefusedFile(f"{path.name} is not a regular file inside the capture")
        flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
        try:
            fd = os.open(path, flags)
        except OSError as error:
            raise RefusedFile(f"{path.name} could not be opened ({error.strerror})") from error
        handle = os.fdopen(fd, "rb")
        if not stat.S_ISREG(os.fstat(fd).st_mode):  # swapped between the lstat and the open
            handle.close()
            raise RefusedFile(f"{path.name} is not a regular file inside the capture")
        return handle

    def _chunks(self, path: Path, handle: BinaryIO, cap: int) -> bytes:
        """Read in chunks, each checked against the cap, the budget and the deadline: a file
        that grows while read (or lies in stat, as /proc does) stops at the cap."""
        deadline = time.monotonic() + self.timeout
        parts: list[bytes] = []
        size = 0
        while True:
            chunk = handle.read(min(CHUNK, cap + 1 - size))
            if not chunk:
                return b"".join(parts)
            size += len(chunk)
            self.used += len(chunk)
            if size > cap:
                raise RefusedFile(f"{path.name} is larger than {_size(cap)}")
            if self.used > self.total_cap:
                raise DoctorError(
                    ErrorKind.TOO_LARGE,
                    f"{self.root}: the capture holds more than {_size(self.total_cap)} to read",
                    finding=False,
                )
            if time.monotonic() > deadline:
                raise RefusedFile(f"{path.name} took longer than {self.timeout:g} s to read")
            parts.append(chunk)


def _size(count: int) -> str:
    return f"{count // (1024 * 1024)} MiB" if count >= 1024 * 1024 else f"{count} bytes"
