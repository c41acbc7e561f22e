"""A Data Science Project (an OpenShift project, or a namespace on plain Kubernetes)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from checks.resources.common import (
    KSERVE,
    MODELMESH,
    Raw,
    _annotations,
    _in_dashboard,
    _labels,
    _meta,
    parse_time,
)


@dataclass(frozen=True)
class Project:
    name: str
    display_name: str
    description: str
    in_dashboard: bool
    platform: str | None  # from modelmesh-enabled; None when the label is absent
    phase: str
    requester: str
    created: datetime | None

    @classmethod
    def parse(cls, raw: Raw) -> Project:
        labels, annotations = _labels(raw), _annotations(raw)
        flag = labels.get("modelmesh-enabled")
        platform = MODELMESH if flag == "true" else KSERVE if flag == "false" else None
        return cls(
            name=_meta(raw).get("name", ""),
            display_name=annotations.get("openshift.io/display-name", ""),
            description=annotations.get("openshift.io/description", ""),
            in_dashboard=_in_dashboard(raw),
            platform=platform,
            phase=(raw.get("status") or {}).get("phase", ""),
            requester=annotations.get("openshift.io/requester", ""),
            created=parse_time(_meta(raw).get("creationTimestamp")),
        )
