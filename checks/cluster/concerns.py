"""Which objects are a deployment's (its own, its runtime's, its pods, what KServe made for it,
its data connection), so a change to one of them can offer a re-diagnosis, and how to name
that change in a timeline line (`pod iris-predictor-…-x2x9q Running → OOMKilled`)."""

from __future__ import annotations

from typing import Any

from checks.resources import MODELMESH, AnyDeployment, Deployment
from checks.text import one_line

# the kinds whose change can change a diagnosis (events follow the others: they only repeat them)
WATCHED = (
    "inferenceservices",
    "llminferenceservices",
    "pods",
    "servingruntimes",
    "deployments",
    "replicasets",
    "services",
    "secrets",
    "routes",
)
SINGULAR = {
    "inferenceservices": "inferenceservice",
    "llminferenceservices": "llminferenceservice",
    "servingruntimes": "servingruntime",
    "replicasets": "replicaset",
    "horizontalpodautoscalers": "hpa",
}


def concerns(dep: AnyDeployment, kind: str, obj: dict[str, Any]) -> bool:
    meta = obj.get("metadata") or {}
    if meta.get("namespace") not in (None, "", dep.namespace):
        return False
    name, labels = str(meta.get("name") or ""), meta.get("labels") or {}
    mesh = isinstance(dep, Deployment) and dep.platform == MODELMESH
    workload = f"modelmesh-serving-{dep.runtime}" if mesh else f"{dep.name}-predictor"
    if kind in ("inferenceservices", "llminferenceservices"):
        return name == dep.name
    if kind == "pods":
        if mesh:
            return labels.get("name") == workload
        return dep.name in (
            labels.get("serving.kserve.io/inferenceservice"),
            labels.get("app.kubernetes.io/name"),
        )
    if kind in ("deployments", "replicasets", "services", "horizontalpodautoscalers"):
        return name == workload or name.startswith(f"{workload}-")
    if kind == "servingruntimes":
        return name == dep.runtime
    if kind == "secrets":
        connection = dep.connection_name if isinstance(dep, Deployment) else ""
        return name in (connection, "storage-config")
    if kind == "routes":
        return name == dep.name or labels.get("inferenceservice-name") == dep.name
    return False


def state_word(kind: str, obj: dict[str, Any] | None) -> str:
    """A pod's state as `kubectl get` words it (the waiting or last terminated reason first);
    other kinds: their Ready condition."""
    if obj is None:
        return "absent"
    status = obj.get("status") or {}
    if kind == "pods":
        for container in status.get("containerStatuses") or []:
            state = container.get("state") or {}
            for phase in ("waiting", "terminated"):
                if reason := (state.get(phase) or {}).get("reason"):
                    return str(reason)
            last = (container.get("lastState") or {}).get("terminated") or {}
            if last.get("reason") and container.get("restartCount"):
                return f"{status.get('phase') or '?'} (last {last['reason']})"
        return str(status.get("phase") or "?")
    for condition in status.get("conditions") or []:
        if condition.get("type") == "Ready":
            return "Ready" if condition.get("status") == "True" else "NotReady"
    return ""


def subject(kind: str, obj: dict[str, Any]) -> str:
    """`pod NAME`: the kind in the singular and the object's name."""
    name = (obj.get("metadata") or {}).get("name", "?")
    return one_line(f"{SINGULAR.get(kind, kind.rstrip('s'))} {name}")


def describe(kind: str, obj: dict[str, Any], before: dict[str, Any] | None, deleted: bool) -> str:
    """`pod NAME Running → OOMKilled`, `pod NAME restarts 3 → 4`, `inferenceservice NAME changed`."""
    what = subject(kind, obj)
    if deleted:
        return one_line(f"{what} deleted")
    if before is None:
        return one_line(f"{what} created")
    old, new = state_word(kind, before), state_word(kind, obj)
    if old != new:
        return one_line(f"{what} {old} → {new}")
    if kind == "pods" and (then := _restarts(before)) != (now := _restarts(obj)):
        return one_line(f"{what} restarts {then} → {now}")
    return one_line(f"{what} changed")


def _restarts(pod: dict[str, Any]) -> int:
    statuses = (pod.get("status") or {}).get("containerStatuses") or []
    return sum(int(s.get("restartCount") or 0) for s in statuses)
