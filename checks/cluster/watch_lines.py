"""A WATCH answer cut into its events: one JSON object a line, each line at most MAX_LINE bytes.

What a hostile or broken server sends cannot crash the reader or fill memory: a line over the cap
or a line that is not a watch event is a WatchLineError (one line, for a person); at most one
line (plus one read's chunk) is ever buffered."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

MAX_LINE = 16 * 1024 * 1024  # a Pod with large annotations is ~100 KiB; a ConfigMap ≤ 1 MiB
EVENT_TYPES = frozenset({"ADDED", "MODIFIED", "DELETED", "BOOKMARK", "ERROR"})


class WatchLineError(Exception):
    """The stream said something that is not a watch event."""


@dataclass(frozen=True)
class WatchEvent:
    type: str  # ADDED, MODIFIED, DELETED, BOOKMARK, ERROR
    object: dict[str, Any]

    @property
    def resource_version(self) -> str:
        return str((self.object.get("metadata") or {}).get("resourceVersion") or "")


def parse_line(line: bytes) -> WatchEvent:
    try:
        data = json.loads(line)
    except ValueError as error:
        raise WatchLineError(f"a watch line that is not JSON ({str(error)[:60]})") from error
    if not isinstance(data, dict) or not isinstance(data.get("object"), dict):
        raise WatchLineError("a watch line without an object")
    kind = data.get("type")
    if kind not in EVENT_TYPES:
        raise WatchLineError(f"a watch event of unknown type {str(kind)[:40]!r}")
    obj = data["object"]
    if kind != "ERROR" and not isinstance(obj.get("metadata"), dict):
        raise WatchLineError(f"a {kind} watch event whose object has no metadata")
    return WatchEvent(kind, obj)


async def events(
    chunks: AsyncIterator[bytes], max_line: int = MAX_LINE
) -> AsyncIterator[WatchEvent]:
    """The events of a stream of bytes, as each line completes."""
    pending = bytearray()
    async for chunk in chunks:
        pending += chunk
        while (end := pending.find(b"\n")) >= 0:
            line = bytes(pending[:end])
            del pending[: end + 1]
            if len(line) > max_line:
                raise WatchLineError(f"a watch line over {max_line // (1024 * 1024)} MiB")
            if line.strip():
                yield parse_line(line)
        if len(pending) > max_line:
            raise WatchLineError(f"a watch line over {max_line // (1024 * 1024)} MiB")
    if pending.strip():
        yield parse_line(bytes(pending))
