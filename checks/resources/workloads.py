"""The Kubernetes objects KServe creates for a Standard (RawDeployment) model (rhoai-3x §1.2):
the predictor Deployment, its ReplicaSets, Service and HPA, and the project's ResourceQuotas."""

from __future__ import annotations

from dataclasses import dataclass

from checks.resources.common import Condition, Raw, _conditions, _labels, _meta


def _owner_names(raw: Raw, kind: str) -> tuple[str, ...]:
    return tuple(
        str(o.get("name", ""))
        for o in _meta(raw).get("ownerReferences") or []
        if isinstance(o, dict) and o.get("kind") == kind
    )


def _int(value: object) -> int:
    try:
        return int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return 0


@dataclass(frozen=True)
class Workload:
    """A Deployment or ReplicaSet: how many pods it wants and how many are there."""

    kind: str
    name: str
    namespace: str
    labels: dict[str, str]
    owners: tuple[str, ...]
    desired: int
    ready: int
    available: int
    conditions: tuple[Condition, ...]

    @classmethod
    def parse(cls, raw: Raw, kind: str, owner_kind: str) -> Workload:
        spec, status = raw.get("spec") or {}, raw.get("status") or {}
        return cls(
            kind=kind,
            name=str(_meta(raw).get("name", "")),
            namespace=str(_meta(raw).get("namespace", "")),
            labels=dict(_labels(raw)),
            owners=_owner_names(raw, owner_kind),
            desired=_int(spec.get("replicas", 1)),
            ready=_int(status.get("readyReplicas")),
            available=_int(status.get("availableReplicas")),
            conditions=_conditions(raw),
        )

    @classmethod
    def deployment(cls, raw: Raw) -> Workload:
        return cls.parse(raw, "Deployment", "InferenceService")

    @classmethod
    def replica_set(cls, raw: Raw) -> Workload:
        return cls.parse(raw, "ReplicaSet", "Deployment")

    @property
    def line(self) -> str:
        return f"{self.kind.lower()} {self.name}: {self.ready}/{self.desired} ready, {self.available} available"


@dataclass(frozen=True)
class ServicePort:
    name: str
    port: int
    target: str


@dataclass(frozen=True)
class Service:
    name: str
    namespace: str
    ports: tuple[ServicePort, ...]

    @classmethod
    def parse(cls, raw: Raw) -> Service:
        ports = tuple(
            ServicePort(str(p.get("name", "")), _int(p.get("port")), str(p.get("targetPort", "")))
            for p in (raw.get("spec") or {}).get("ports") or []
            if isinstance(p, dict)
        )
        meta = _meta(raw)
        return cls(str(meta.get("name", "")), str(meta.get("namespace", "")), ports)

    @property
    def line(self) -> str:
        shown = ", ".join(f"{p.port}/{p.name or '-'}->{p.target}" for p in self.ports) or "no ports"
        return f"service {self.name}: {shown}"


@dataclass(frozen=True)
class Autoscaler:
    name: str
    namespace: str
    target: str
    min_replicas: int
    max_replicas: int
    current: int

    @classmethod
    def parse(cls, raw: Raw) -> Autoscaler:
        spec, status, meta = raw.get("spec") or {}, raw.get("status") or {}, _meta(raw)
        return cls(
            name=str(meta.get("name", "")),
            namespace=str(meta.get("namespace", "")),
            target=str((spec.get("scaleTargetRef") or {}).get("name", "")),
            min_replicas=_int(spec.get("minReplicas", 1)),
            max_replicas=_int(spec.get("maxReplicas")),
            current=_int(status.get("currentReplicas")),
        )

    @property
    def line(self) -> str:
        return (
            f"hpa {self.name}: {self.min_replicas}-{self.max_replicas} replicas, {self.current} now"
        )


@dataclass(frozen=True)
class ResourceQuota:
    """hard / used per resource, as the quota controller keeps them in status."""

    name: str
    namespace: str
    hard: dict[str, str]
    used: dict[str, str]

    @classmethod
    def parse(cls, raw: Raw) -> ResourceQuota:
        status, spec, meta = raw.get("status") or {}, raw.get("spec") or {}, _meta(raw)
        hard = status.get("hard") or spec.get("hard") or {}
        return cls(
            name=str(meta.get("name", "")),
            namespace=str(meta.get("namespace", "")),
            hard={str(k): str(v) for k, v in hard.items()},
            used={str(k): str(v) for k, v in (status.get("used") or {}).items()},
        )

    def line(self, resource: str) -> str:
        return (
            f"resourcequota {self.name}: {resource} used {self.used.get(resource, '?')} "
            f"of {self.hard.get(resource, '?')}"
        )


@dataclass(frozen=True)
class PredictorObjects:
    """The predictor's Deployment, ReplicaSets, Service and HPA, and the project's quotas."""

    deployment: Workload | None
    replica_sets: tuple[Workload, ...]
    service: Service | None
    autoscaler: Autoscaler | None
    quotas: tuple[ResourceQuota, ...]
