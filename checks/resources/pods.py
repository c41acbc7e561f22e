"""Runtime pods and their containers, with kubectl's STATUS word."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from checks.resources.common import (
    Condition,
    Raw,
    _conditions,
    _labels,
    _meta,
    parse_time,
)


@dataclass(frozen=True)
class ContainerState:
    name: str
    init: bool
    image: str
    ready: bool
    restarts: int
    state: str  # running, waiting, terminated, unknown
    reason: str
    message: str
    last_reason: str
    last_exit_code: int | None
    last_message: str


def _container(raw: Raw, init: bool) -> ContainerState:
    state = raw.get("state") or {}
    current = next(iter(state), "unknown")
    detail = state.get(current) or {}
    last = (raw.get("lastState") or {}).get("terminated") or {}
    return ContainerState(
        name=str(raw.get("name", "")),
        init=init,
        image=str(raw.get("image", "")),
        ready=bool(raw.get("ready")),
        restarts=int(raw.get("restartCount") or 0),
        state=current,
        reason=str(detail.get("reason", "")),
        message=str(detail.get("message", "")),
        last_reason=str(last.get("reason", "")),
        last_exit_code=last.get("exitCode"),
        last_message=str(last.get("message", "")),
    )


@dataclass(frozen=True)
class Pod:
    name: str
    namespace: str
    phase: str
    reason: str  # status.reason, e.g. Evicted
    message: str
    labels: dict[str, str]
    conditions: tuple[Condition, ...]
    containers: tuple[ContainerState, ...]
    container_names: tuple[str, ...]
    init_container_names: tuple[str, ...]
    node: str
    created: datetime | None

    @classmethod
    def parse(cls, raw: Raw) -> Pod:
        status, spec = raw.get("status") or {}, raw.get("spec") or {}
        containers = tuple(_container(c, True) for c in status.get("initContainerStatuses") or [])
        containers += tuple(_container(c, False) for c in status.get("containerStatuses") or [])
        return cls(
            name=_meta(raw).get("name", ""),
            namespace=_meta(raw).get("namespace", ""),
            phase=str(status.get("phase", "Unknown")),
            reason=str(status.get("reason", "") or ""),
            message=str(status.get("message", "") or ""),
            labels=dict(_labels(raw)),
            conditions=_conditions(raw),
            containers=containers,
            container_names=tuple(c.get("name", "") for c in spec.get("containers") or []),
            init_container_names=tuple(c.get("name", "") for c in spec.get("initContainers") or []),
            node=str(spec.get("nodeName", "") or ""),
            created=parse_time(_meta(raw).get("creationTimestamp")),
        )

    @property
    def ready(self) -> bool:
        return any(c.type == "Ready" and c.status == "True" for c in self.conditions)

    @property
    def restarts(self) -> int:
        return sum(c.restarts for c in self.containers)

    @property
    def unschedulable(self) -> Condition | None:
        return next(
            (
                c
                for c in self.conditions
                if c.type == "PodScheduled" and c.reason == "Unschedulable"
            ),
            None,
        )

    @property
    def display_status(self) -> str:
        """The STATUS column of `kubectl get pods`."""
        if self.reason:
            return self.reason
        for c in self.containers:
            if c.init and c.state == "waiting" and c.reason:
                return f"Init:{c.reason}"
            if c.init and c.state == "terminated" and c.reason not in ("Completed", ""):
                return f"Init:{c.reason}"
        for c in self.containers:
            if not c.init and c.state == "waiting" and c.reason:
                return c.reason
            if not c.init and c.state == "terminated" and c.reason:
                return c.reason
        return self.phase

    def ready_count(self) -> str:
        main = [c for c in self.containers if not c.init]
        total = len(self.container_names) or len(main)
        return f"{sum(c.ready for c in main)}/{total}"
