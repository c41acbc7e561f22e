"""A capture as the checks see it: one namespace's Snapshot (forbidden and not-collected kinds
as the errors a live LIST would have given), the recorded facts in their live form, and the
diagnosis re-run on them with no cluster (`checks.capture.offline`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from checks.capture.facts_form import decode_fact
from checks.capture.model import Capture
from checks.capture.offline import diagnose_offline, offline_context
from checks.cluster.snapshot import Snapshot
from checks.engine.runner import Report
from checks.errors import ErrorKind, KubeError

NOT_CAPTURED_WORDS = "not in the capture"


def capture_snapshot(capture: Capture, namespace: str) -> Snapshot:
    """The namespace's kinds as a live `load_snapshot` would have returned them."""
    raw = {kind: list(items) for kind, items in (capture.objects.get(namespace) or {}).items()}
    snapshot = Snapshot(namespace, raw=raw)
    recorded_kinds = (getattr(capture, "error_kinds", None) or {}).get(namespace) or {}
    for kind, reason in (capture.forbidden.get(namespace) or {}).items():
        if raw.get(kind):
            continue
        raw.pop(kind, None)
        word = ErrorKind.UNMET if NOT_CAPTURED_WORDS in reason else ErrorKind.BAD_RESPONSE
        if reason.endswith(": forbidden") or reason == "forbidden":
            word = ErrorKind.FORBIDDEN
        snapshot.errors[kind] = KubeError(recorded_kinds.get(kind) or word, reason)
    for kind, lines in (capture.unreadable.get(namespace) or {}).items():
        snapshot.unreadable.setdefault(kind, []).extend(lines)
    return snapshot


def recorded_facts(capture: Capture, namespace: str, name: str) -> dict[str, Any]:
    """Facts in the form the checks ask for them (JSON forms decoded)."""
    recorded = capture.facts.get(f"{namespace}/{name}") or {}
    return {key: decode_fact(value) for key, value in recorded.items()}


async def diagnose_capture(capture: Capture, namespace: str, name: str) -> Report:
    """Every check re-run on the capture; what it does not hold skips "not in the capture"."""
    snapshot = capture_snapshot(capture, namespace)
    ctx = offline_context(snapshot, name, recorded_facts(capture, namespace, name))
    if hasattr(ctx, "captured_at"):  # "recent" judged as of the capture, where the build can
        ctx.captured_at = _when(capture.meta.captured_at)
    return await diagnose_offline(ctx)


def deployments_in(capture: Capture) -> list[tuple[str, str]]:
    """(namespace, name) of every deployment the capture holds, both kinds, sorted."""
    found = []
    for namespace in capture.namespaces:
        snapshot = capture_snapshot(capture, namespace)
        found += [(d.namespace or namespace, d.name) for d in snapshot.all_deployments]
    return sorted(set(found))


def _when(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")) if text else None
    except ValueError:
        return None
