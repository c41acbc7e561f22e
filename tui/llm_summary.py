"""The details pane of an LLMInferenceService: what it serves, how it is exposed (HTTPRoute,
Gateway, auth default ON) and its condition tree, the False leaves in red."""

from __future__ import annotations

from rich.text import Text

from checks import resources
from checks.cluster.snapshot import Snapshot
from tui.cells import state_text


def llm_rows(svc: resources.LLMService, snap: Snapshot) -> list[tuple[str, str | Text]]:
    gateways = ", ".join(f"{ns}/{name}" for ns, name in svc.gateways)
    auth = (
        "ON (default for LLMInferenceService; AuthPolicy " + svc.auth_policy + ")"
        if svc.auth_enabled
        else Text('OFF (security.opendatahub.io/enable-auth: "false")', style="yellow")
    )
    rows: list[tuple[str, str | Text]] = [
        ("state", state_text(snap.state_of(svc))),
        ("kind", f"LLMInferenceService {svc.api_version or '?'}"),
        ("model", f"{svc.model_uri or '-'}" + (f" as {svc.model_name}" if svc.model_name else "")),
        ("replicas", "-" if svc.replicas is None else str(svc.replicas)),
        ("route", f"HTTPRoute {svc.http_route} on gateway {gateways}"),
        ("auth", auth),
        ("url", svc.url or (", ".join(svc.addresses) or "-")),
    ]
    for node in svc.tree():
        for line in node.lines():
            bad = "=False" in line.split(" (", 1)[0].split(":", 1)[0]
            rows.append(("condition", Text(line, style="red" if bad else "")))
    pods = snap.pods_for(svc)
    rows.append(("pods", ", ".join(f"{p.name} {p.display_status}" for p in pods) or "none"))
    return rows
