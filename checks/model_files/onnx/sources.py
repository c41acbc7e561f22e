"""Random-access byte sources the walker reads through: bytes in memory, a local file, and ranged
reads (S3) with a block cache and a read-ahead that grows on sequential reads."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Protocol


class ByteSource(Protocol):
    """Random access to a model's bytes; read may return fewer bytes only past the end."""

    def size(self) -> int: ...

    def read(self, offset: int, length: int) -> bytes: ...


class BytesSource:
    """A model already in memory."""

    def __init__(self, data: bytes | bytearray | memoryview) -> None:
        self._data = bytes(data)

    def size(self) -> int:
        return len(self._data)

    def read(self, offset: int, length: int) -> bytes:
        return self._data[offset : offset + length]


class FileSource:
    """A local file, read with seek + read so the weights are never paged in."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self._file = open(path, "rb", buffering=0)  # noqa: SIM115 - closed by close()/with
        self._size = os.fstat(self._file.fileno()).st_size

    def size(self) -> int:
        return self._size

    def read(self, offset: int, length: int) -> bytes:
        self._file.seek(offset)
        parts, wanted = [], length
        while wanted > 0:
            part = self._file.read(wanted)
            if not part:
                break
            parts.append(part)
            wanted -= len(part)
        return b"".join(parts)

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> FileSource:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


class RangeReaderSource:
    """Ranged reads (one S3 GET with a Range header each) behind a read-ahead cache.

    A fetch that continues where the previous one ended reads further ahead each time (up to
    `block`), so walking a graph's many small fields costs few requests. A fetch after a jump
    (past a skipped initializer) starts small again, so a model with hundreds of large
    initializers costs one small GET per initializer, not a block of weights each.
    `read_range(start, end_inclusive)` returns those bytes; `requests` and `bytes_read` count
    what it was asked for and what it returned."""

    def __init__(
        self,
        size: int,
        read_range: Callable[[int, int], bytes],
        block: int = 256 * 1024,
        cache_bytes: int = 4 * 1024 * 1024,
    ) -> None:
        self._size = size
        self._read_range = read_range
        self._block = max(1, block)
        self._after_jump = max(1, block // 16)
        self._cache_bytes = cache_bytes
        self._spans: list[tuple[int, bytes]] = []  # (offset, data), most recent last
        self._cached_bytes = 0
        self._ahead = self._block
        self._last = (0, 0)
        self.requests = 0
        self.bytes_read = 0

    def size(self) -> int:
        return self._size

    def read(self, offset: int, length: int) -> bytes:
        end = min(offset + length, self._size)
        parts = []
        while offset < end:
            part = self._cached(offset, end)
            if not part:
                part = self._fetch(offset, end)[: end - offset]
                if not part:
                    break
            parts.append(part)
            offset += len(part)
        return b"".join(parts)

    def _cached(self, offset: int, end: int) -> bytes:
        """What the cache holds from offset on (up to end): only the missing rest is fetched."""
        for start, data in reversed(self._spans):
            if start <= offset < start + len(data):
                return data[offset - start : end - start]
        return b""

    def _fetch(self, offset: int, end: int) -> bytes:
        last_start, last_end = self._last
        if self.requests and last_start <= offset <= last_end + self._after_jump:
            self._ahead = min(self._block, self._ahead * 4)
        elif self.requests:
            self._ahead = self._after_jump
        stop = min(self._size, max(end, offset + self._ahead))
        data = bytes(self._read_range(offset, stop - 1))
        self.requests += 1
        self.bytes_read += len(data)
        if offset and len(data) == self._size > stop - offset:
            data = data[offset:stop]  # the server ignored Range and sent the whole object
        data = data[: stop - offset]
        self._last = (offset, offset + len(data))
        self._remember(offset, data)
        return data

    def _remember(self, offset: int, data: bytes) -> None:
        self._spans.append((offset, data))
        self._cached_bytes += len(data)
        while len(self._spans) > 1 and self._cached_bytes > self._cache_bytes:
            self._cached_bytes -= len(self._spans.pop(0)[1])
