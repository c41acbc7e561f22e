"""Why a KServe predictor's pods were never created: the ReplicaSet controller's own word (its
ReplicaFailure condition, reason FailedCreate) and the FailedCreate events on the predictor's
Deployment and ReplicaSets. The STATE every face shows and the deployment-status check ask
this one question here."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from checks.resources.common import MODELMESH

if TYPE_CHECKING:  # the events' and quotas' families load only where a refusal is found
    from checks.resources.deployments import Deployment
    from checks.resources.events import Event
    from checks.resources.workloads import Workload

Refusal = tuple[str, str]  # (the object that said it, its message)


def condition_refusals(replica_sets: Iterable[Workload]) -> list[Refusal]:
    return [
        (rs.name, c.message)
        for rs in replica_sets
        for c in rs.conditions
        if c.type == "ReplicaFailure"
        and c.status == "True"
        and c.reason == "FailedCreate"
        and c.message
    ]


def event_refusals(
    dep: Deployment, replica_sets: Iterable[Workload], events: Iterable[Event]
) -> list[Refusal]:
    owners = {f"{dep.name}-predictor", *(rs.name for rs in replica_sets)}
    return [
        (e.involved_name, e.message)
        for e in events
        if e.namespace == dep.namespace and e.involved_name in owners and e.reason == "FailedCreate"
    ]


def pods_refused(
    dep: Deployment, replica_sets: Iterable[Workload], events: Iterable[Event] | None
) -> str:
    """STATE's few words ("" when nothing refused the pods): the condition first, read with the
    ReplicaSets `get` lists anyway; the events (None: not read, as `get` and the fleet do not
    LIST them across namespaces) only where no condition says it."""
    if dep.platform == MODELMESH:
        return ""
    replica_sets = list(replica_sets)
    found = condition_refusals(replica_sets)
    if not found and events is not None:
        found = event_refusals(dep, replica_sets, events)
    if not found:
        return ""
    from checks.resources.quota import parse_quota_refusal

    refusal = parse_quota_refusal(found[0][1])
    return f"FailedCreate (quota {refusal.quota})" if refusal else "FailedCreate"
