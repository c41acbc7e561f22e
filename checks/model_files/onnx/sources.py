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


SWEEP_GAP = 512 * 1024  # skipped payloads this small are cheaper read through than jumped
SWEEP_BLOCK = 2 * 1024 * 1024  # one ranged GET of a sweep


class RangeReaderSource:
    """Ranged reads (one S3 GET with a Range header each) behind a read-ahead cache.

    A fetch that continues where the previous one ended reads further ahead each time (up to
    `block`), so walking a graph's many small fields costs few requests. A fetch after a jump
    (past a skipped initializer) starts small again, so a model with hundreds of large
    initializers costs one small GET per initializer, not a block of weights each.

    Each initializer's header says where the next one starts, so one after another they cost a
    round trip each (143 weights at 80 ms: 11 s). With `concurrency` > 1, once two fetches in a
    row continued at most SWEEP_GAP bytes after the previous one, the source sweeps instead: the
    next `concurrency` blocks of SWEEP_BLOCK bytes are fetched at once, and the walk finds the
    following headers in them; a larger jump (a big weight stepped over) ends the sweep. The
    bytes the walk reads are the same either way.
    `read_range(start, end_inclusive)` returns those bytes and may be called from several
    threads; `requests` and `bytes_read` count what it was asked for and what it returned."""

    def __init__(
        self,
        size: int,
        read_range: Callable[[int, int], bytes],
        block: int = 256 * 1024,
        cache_bytes: int = 4 * 1024 * 1024,
        concurrency: int = 1,
    ) -> None:
        self._size = size
        self._read_range = read_range
        self._block = max(1, block)
        self._after_jump = max(1, block // 16)
        # a sweep's blocks, and the one the walk is in, stay cached while it walks them
        sweeping = (concurrency + 1) * SWEEP_BLOCK if concurrency > 1 else 0
        self._cache_bytes = max(cache_bytes, sweeping)
        self._concurrency = max(1, concurrency)
        self._forward = 0  # fetches in a row that continued at most SWEEP_GAP further on
        self._spans: list[tuple[int, bytes]] = []  # (offset, data), most recent last
        self._cached_bytes = 0
        self._ahead = self._block
        self._last = (0, 0)
        self.requests = 0
        self.bytes_read = 0
        self.sweeps = 0
        self.rounds = 0  # round trips one after another: a sweep's GETs count once

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
        gap = offset - last_end
        if self.requests and last_start <= offset <= last_end + self._after_jump:
            self._ahead = min(self._block, self._ahead * 4)
        elif self.requests:
            self._ahead = self._after_jump
        forward = bool(self.requests) and 0 <= gap <= SWEEP_GAP
        self._forward = self._forward + 1 if forward else 0
        if self._concurrency > 1 and self._forward >= 2:
            return self._sweep(offset, end)
        stop = min(self._size, max(end, offset + self._ahead))
        return self._get(offset, stop)

    def _get(self, offset: int, stop: int) -> bytes:
        data = self._trim(offset, stop, bytes(self._read_range(offset, stop - 1)))
        self.rounds += 1
        self._last = (offset, offset + len(data))
        self._remember(offset, data)
        return data

    def _trim(self, offset: int, stop: int, data: bytes) -> bytes:
        """Count one answer, and keep only the asked bytes of it."""
        self.requests += 1
        self.bytes_read += len(data)
        if offset and len(data) == self._size > stop - offset:
            data = data[offset:stop]  # the server ignored Range and sent the whole object
        return data[: stop - offset]

    def _sweep(self, offset: int, end: int) -> bytes:
        """The next `concurrency` blocks at once; the first holds what was asked for."""
        from concurrent.futures import ThreadPoolExecutor

        stop = min(self._size, max(end, offset + self._concurrency * SWEEP_BLOCK))
        starts = [offset, *range(max(end, offset + SWEEP_BLOCK), stop, SWEEP_BLOCK)]
        bounds = list(zip(starts, [*starts[1:], stop], strict=True))

        def get(span: tuple[int, int]) -> bytes:
            return bytes(self._read_range(span[0], span[1] - 1))

        with ThreadPoolExecutor(len(bounds), thread_name_prefix="onnx-sweep") as pool:
            answers = list(pool.map(get, bounds))
        self.sweeps += 1
        self.rounds += 1
        blocks = [self._trim(a, b, data) for (a, b), data in zip(bounds, answers, strict=True)]
        for (a, _), data in zip(bounds, blocks, strict=True):
            self._remember(a, data)
        self._last = (offset, bounds[-1][0] + len(blocks[-1]))
        return blocks[0]

    def _remember(self, offset: int, data: bytes) -> None:
        self._spans.append((offset, data))
        self._cached_bytes += len(data)
        while len(self._spans) > 1 and self._cached_bytes > self._cache_bytes:
            self._cached_bytes -= len(self._spans.pop(0)[1])
