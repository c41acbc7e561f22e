"""A capture as the checks see it: one namespace's Snapshot (forbidden and not-collected kinds
as the errors a live LIST would have given), the recorded facts in their live form, and the
diagnosis re-run on them with no cluster (`checks.offline`)."""

from __future__ import annotations

from typing import Any

from checks import resources
from checks.capture.model import Capture
from checks.engine import Report
from checks.errors import ErrorKind, KubeError
from checks.gateway import SINGULAR, Lookup
from checks.offline import diagnose_offline, offline_context
from checks.snapshot import MESH_NAMESPACE, Snapshot, _add_mesh_routes

NOT_CAPTURED_WORDS = "not in the capture"


def capture_snapshot(capture: Capture, namespace: str) -> Snapshot:
    """The namespace's kinds as a live `load_snapshot` would have returned them."""
    raw = {kind: list(items) for kind, items in (capture.objects.get(namespace) or {}).items()}
    snapshot = Snapshot(namespace, raw=raw)
    for kind, reason in (capture.forbidden.get(namespace) or {}).items():
        if raw.get(kind):
            continue
        raw.pop(kind, None)
        word = ErrorKind.UNMET if NOT_CAPTURED_WORDS in reason else ErrorKind.BAD_RESPONSE
        if reason.endswith(": forbidden") or reason == "forbidden":
            word = ErrorKind.FORBIDDEN
        snapshot.errors[kind] = KubeError(word, reason)
    for kind, lines in (capture.unreadable.get(namespace) or {}).items():
        snapshot.unreadable.setdefault(kind, []).extend(lines)
    mesh = (capture.objects.get(MESH_NAMESPACE) or {}).get("routes") or []
    if namespace != MESH_NAMESPACE and mesh and "routes" in raw:
        _add_mesh_routes(snapshot, [dict(r) for r in mesh])
    return snapshot


def recorded_facts(capture: Capture, namespace: str, name: str) -> dict[str, Any]:
    """Facts in the form the checks ask for them (JSON forms decoded)."""
    facts = dict(capture.facts.get(f"{namespace}/{name}") or {})
    project = facts.get("project")
    if isinstance(project, dict):
        facts["project"] = resources.Project.parse(project)
    for key, value in list(facts.items()):
        plural, _, where = key.partition(":")
        if plural in SINGULAR and isinstance(value, dict) and "/" in where:
            facts[key] = Lookup(f"{SINGULAR[plural]} {where}", raw=value)
    return facts


async def diagnose_capture(capture: Capture, namespace: str, name: str) -> Report:
    """Every check re-run on the capture; what it does not hold skips "not in the capture"."""
    snapshot = capture_snapshot(capture, namespace)
    ctx = offline_context(snapshot, name, recorded_facts(capture, namespace, name))
    return await diagnose_offline(ctx)


def deployments_in(capture: Capture) -> list[tuple[str, str]]:
    """(namespace, name) of every deployment the capture holds, both kinds, sorted."""
    found = []
    for namespace in capture.namespaces:
        snapshot = capture_snapshot(capture, namespace)
        found += [(d.namespace or namespace, d.name) for d in snapshot.all_deployments]
    return sorted(set(found))
