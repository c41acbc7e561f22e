"""Events, newest first in the panes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from checks.resources.common import (
    Raw,
    _meta,
    parse_time,
)


@dataclass(frozen=True)
class Event:
    namespace: str
    name: str
    involved_kind: str
    involved_name: str
    type: str
    reason: str
    message: str
    count: int
    last_seen: datetime | None
    source: str

    @classmethod
    def parse(cls, raw: Raw) -> Event:
        involved = raw.get("involvedObject") or raw.get("regarding") or {}
        last = (
            raw.get("lastTimestamp")
            or raw.get("eventTime")
            or (raw.get("series") or {}).get("lastObservedTime")
            or _meta(raw).get("creationTimestamp")
        )
        source = (raw.get("source") or {}).get("component") or raw.get("reportingComponent") or ""
        return cls(
            namespace=_meta(raw).get("namespace", ""),
            name=_meta(raw).get("name", ""),
            involved_kind=str(involved.get("kind", "")),
            involved_name=str(involved.get("name", "")),
            type=str(raw.get("type", "Normal")),
            reason=str(raw.get("reason", "")),
            message=str(raw.get("message", "") or raw.get("note", "")),
            count=int(raw.get("count") or (raw.get("series") or {}).get("count") or 1),
            last_seen=parse_time(last),
            source=str(source),
        )

    @property
    def is_warning(self) -> bool:
        return self.type == "Warning"
