"""Judge a deployment from recorded objects and facts, with no cluster: what unit tests (and, later,
an offline replay of a capture) use. Every fact not in the recording is a precondition that
cannot be met, so the checks that need it skip with "not in the capture"."""

from __future__ import annotations

from typing import Any

from checks.cluster.connect import ClusterConfig
from checks.cluster.kube import Raw
from checks.cluster.snapshot import Snapshot
from checks.endpoints.routes import RouteAccess
from checks.engine.context import CheckContext
from checks.engine.redaction import Redactor, redact_report
from checks.engine.runner import Report, run_checks
from checks.errors import DoctorError, ErrorKind, Unmet
from checks.options import SessionOptions

NOT_CAPTURED = "not in the capture"


class Recorded(dict):
    """Recorded facts; asking for one that is missing is an unmet precondition."""

    def __contains__(self, key: object) -> bool:  # every key "is recorded": missing ones say so
        return True

    def __getitem__(self, key: str) -> Any:
        if dict.__contains__(self, key):
            return dict.__getitem__(self, key)
        return Unmet(f"{key.split(':', 1)[0]}: {NOT_CAPTURED}")


class OfflineKube:
    """Stands in for the API client: a capture answers no live request."""

    async def review(self, *_: Any, **__: Any) -> Raw:
        raise Unmet(f"access review: {NOT_CAPTURED}")


def snapshot_of(namespace: str, raw: dict[str, list[Raw]]) -> Snapshot:
    return Snapshot(namespace, raw={kind: list(items) for kind, items in raw.items()})


def offline_context(
    snapshot: Snapshot,
    name: str,
    facts: dict[str, Any] | None = None,
    options: SessionOptions | None = None,
) -> CheckContext:
    """The context a live session would build, with recorded facts in place of I/O."""
    namespace = snapshot.namespace or ""
    deployment = snapshot.any_deployment(name, namespace)
    if deployment is None:
        raise DoctorError(ErrorKind.NOT_FOUND, f'deployment "{name}" not in the capture')
    return CheckContext(
        cluster=ClusterConfig(server="offline", namespace=namespace),
        kube=OfflineKube(),  # type: ignore[arg-type]
        snapshot=snapshot,
        deployment=deployment,
        options=options or SessionOptions(),
        routes=RouteAccess(),
        recorded=Recorded(facts or {}),
    )


async def diagnose_offline(ctx: CheckContext, checks: Any = None) -> Report:
    from checks.catalog import CATALOG

    results = await run_checks(checks or CATALOG, ctx)
    dep = ctx.deployment
    target = {
        "namespace": dep.namespace,
        "name": dep.name,
        "platform": dep.platform,
        "state": ctx.snapshot.state_of(dep).text,
        "mode": dep.mode_label,
    }
    return redact_report(Report(target, results), Redactor())
