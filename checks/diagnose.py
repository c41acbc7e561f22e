"""Diagnose one deployment: load its project, build the context, run the catalogue."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from checks.catalog import CATALOG
from checks.connect import ClusterConfig
from checks.context import CheckContext, CheckOptions
from checks.engine import Report, Result, run_checks
from checks.errors import DoctorError
from checks.kube import KubeClient
from checks.report import Redactor
from checks.snapshot import Snapshot, load_snapshot


def redactor_for(snapshot: Snapshot, options: CheckOptions, cluster: ClusterConfig) -> Redactor:
    """Every secret value this run could have seen."""
    values = [options.token or "", cluster.token or ""]
    for connection in snapshot.connections:
        values += [connection.secret_access_key, connection.access_key_id]
    for raw in snapshot.raw.get("secrets") or []:
        values += list(_decoded_values(raw))
    return Redactor(values)


NOT_SECRET_KEYS = frozenset(
    {
        "namespace",
        "ca.crt",
        "service-ca.crt",
        "AWS_S3_ENDPOINT",
        "AWS_DEFAULT_REGION",
        "AWS_S3_BUCKET",
    }
)


def _decoded_values(raw: dict) -> list[str]:
    import base64

    out = []
    for key, value in (raw.get("data") or {}).items():
        if key in NOT_SECRET_KEYS:
            continue
        try:
            text = base64.b64decode(value or "").decode("utf-8", "replace")
        except ValueError:
            continue
        if len(text) >= 8:
            out.append(text)
    return out


async def diagnose(
    kube: KubeClient,
    cluster: ClusterConfig,
    namespace: str,
    name: str,
    options: CheckOptions,
    *,
    snapshot: Snapshot | None = None,
    on_result: Callable[[Result], Awaitable[None] | None] | None = None,
    timeout_s: float = 30.0,
    sequential: bool = False,
) -> tuple[Report, Redactor]:
    snapshot = snapshot or await load_snapshot(kube, namespace, sequential=sequential)
    snapshot.raise_if_unreachable()
    if "inferenceservices" in snapshot.errors:
        raise DoctorError("forbidden", snapshot.error_line("inferenceservices") or "")
    deployment = snapshot.deployment(name, namespace)
    if deployment is None:
        names = ", ".join(d.name for d in snapshot.deployments) or "none"
        raise DoctorError(
            "not-found",
            f'deployment "{name}" not found in {namespace} (deployments there: {names})',
        )
    ctx = CheckContext(cluster, kube, snapshot, deployment, options)
    results = await run_checks(
        CATALOG,
        ctx,
        timeout_s=timeout_s,
        on_result=on_result,
        max_concurrency=1 if sequential else None,
    )
    report = Report(
        {"namespace": namespace, "name": name, "platform": deployment.platform}, results
    )
    return report, redactor_for(snapshot, options, cluster)
