"""Facts about Standard (RawDeployment) models and stopped ones, shared by several checks:
whether the model is stopped, the predictor's Kubernetes objects as evidence, and why its pods
were never created (a ResourceQuota refusal in the ReplicaSet's FailedCreate events)."""

from __future__ import annotations

from dataclasses import dataclass

from checks import resources
from checks.engine.context import CheckContext
from checks.resources.modes import STANDARD
from checks.resources.refusals import condition_refusals, event_refusals

STOPPED = "stopped (serving.kserve.io/stop=true): start it to test"
START_FIX = "Start it (set serving.kserve.io/stop to false, or Start in the dashboard)."


def stopped_reason(ctx: CheckContext) -> str:
    """The skip reason of a check that needs a running model; "" when it is not stopped."""
    return STOPPED if ctx.deployment.stop_requested else ""


def mode_line(dep: resources.Deployment) -> str:
    info = dep.mode_info
    source = info.source if info else "annotation"
    return f"mode: {dep.mode_label} (from {source}; status.deploymentMode {dep.status_mode or '-'})"


def predictor_lines(ctx: CheckContext) -> list[str]:
    """The predictor Deployment, ReplicaSets, Service and HPA of a Standard model, or why not."""
    dep, snap = ctx.deployment, ctx.snapshot
    if not isinstance(dep, resources.Deployment) or dep.mode != STANDARD:
        return []
    found = snap.predictor_objects(dep)
    name = f"{dep.name}-predictor"
    lines = []
    for kind, obj in (
        ("deployments", found.deployment),
        ("services", found.service),
        ("horizontalpodautoscalers", found.autoscaler),
    ):
        if kind in snap.errors:
            lines.append(snap.error_line(kind) or f"{kind} not readable")
        elif obj is not None:
            lines.append(obj.line)
        elif not dep.stop_requested:  # deleted on stop: not a fault then (§2)
            lines.append(f"{kind[:-1]} {name}: not found")
    lines += [rs.line for rs in found.replica_sets]
    return lines


@dataclass(frozen=True)
class PodRefusal:
    """Why the predictor has no pods, as the ReplicaSet's FailedCreate events say."""

    summary: str
    remediation: str
    evidence: tuple[str, ...]


def pod_refusal(ctx: CheckContext) -> PodRefusal | None:
    """The first FailedCreate on the predictor's Deployment/ReplicaSets, quota refusals in numbers;
    an LLMInferenceService has no predictor (None)."""
    dep, snap = ctx.deployment, ctx.snapshot
    if not isinstance(dep, resources.Deployment):
        return None
    found = snap.predictor_objects(dep)
    evidence = predictor_lines(ctx)
    replica_sets = found.replica_sets
    messages = event_refusals(dep, replica_sets, snap.events) + condition_refusals(replica_sets)
    if not messages:
        if "events" in snap.errors:
            evidence.append(snap.error_line("events") or "events not readable")
        return None
    where, message = messages[0]
    evidence.append(f"FailedCreate on {where}: {message}")
    refusal = resources.parse_quota_refusal(message)
    if refusal is None:
        return PodRefusal(
            f"the predictor's pods cannot be created: {message}",
            f"Fix what the FailedCreate event names (`oc describe replicaset -n {dep.namespace}`).",
            tuple(evidence),
        )
    quota = next((q for q in found.quotas if q.name == refusal.quota), None)
    if quota is not None:
        evidence += [quota.line(i.resource) for i in refusal.items]
    elif "resourcequotas" in snap.errors:
        evidence.append(snap.error_line("resourcequotas") or "resourcequotas not readable")
    numbers = "; ".join(
        f"{i.resource} requested {i.requested}, used {i.used}, limited {i.limited}"
        for i in refusal.items
    )
    return PodRefusal(
        f"ResourceQuota {refusal.quota} refuses the predictor pod: {numbers}",
        "Lower the model's resources (spec.predictor.model.resources limits/requests) to fit, "
        f"free quota in {dep.namespace} (stop other workloads), or ask an admin to raise "
        f"ResourceQuota {refusal.quota} (`oc describe resourcequota {refusal.quota} -n "
        f"{dep.namespace}`).",
        tuple(evidence),
    )


def foreign_route(ctx: CheckContext, route: resources.Route | None) -> str:
    """A Standard model's Route that another object owns: KServe ignores it ("route not found or
    not ready") and does not refresh status.url (rhoai-3x §1.3). "" when nothing is wrong."""
    dep = ctx.deployment
    if dep.mode != STANDARD or route is None or not route.owner_uids or not dep.uid:
        return ""
    if dep.uid in route.owner_uids:
        return ""
    return (
        f"route {route.name} is not owned by InferenceService {dep.name}: KServe only trusts a "
        "route its InferenceService owns, so it does not use it for status.url"
    )
