"""A readable summary of one object per kind: what the details pane shows under the tables.

Pure functions of the typed objects; every string from the cluster goes in as Text, never as
markup.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from rich.text import Text

from checks import resources
from checks.cluster.snapshot import Snapshot
from checks.knowledge.vllm_runtime import generative_setup
from checks.text import visible
from tui.cells import container_line, pod_status, state_text
from tui.llm_summary import llm_rows

LABEL_WIDTH = 10


def facts(
    title: str, rows: Iterable[tuple[str, str | Text]], hint: str = "", note: Text | None = None
) -> Text:
    """A title line, then `label  value` lines, then a dim hint of the keys that apply."""
    out = Text(visible(title), style="bold")
    for label, value in rows:
        out.append("\n")
        out.append(label.ljust(LABEL_WIDTH - 1) + " ", style="dim")
        shown = value if isinstance(value, Text) else Text(value)
        out.append(Text(visible(shown.plain), style=shown.style))  # spans are one style here
    if note is not None:
        out.append("\n")
        out.append(note)
    if hint:
        out.append("\n")
        out.append(hint, style="dim italic")
    return out


def _deployment_details(dep: resources.AnyDeployment, snap: Snapshot) -> Text:
    if isinstance(dep, resources.LLMService):
        return facts(
            f"{dep.namespace}/{dep.name}", llm_rows(dep, snap), "d diagnose · l logs · y YAML"
        )
    rows: list[tuple[str, str | Text]] = [
        ("state", state_text(snap.state_of(dep)) + Text(f"  {dep.transition_status}".rstrip())),
        ("model", f"{dep.model_format}:{dep.model_format_version}".rstrip(":")),
        ("runtime", f"{dep.runtime or '-'} ({dep.platform}, {dep.mode})"),
        ("mode", f"{dep.mode_label}; status.deploymentMode {dep.status_mode or '-'}"),
        ("dashboard", snap.state_of(dep).dashboard.removeprefix("dashboard shows ")),
        (
            "storage",
            f"{dep.storage_key or '-'} : {dep.storage_path or '-'}"
            if not dep.storage_uri
            else dep.storage_uri,
        ),
        ("url", dep.url or "-"),
    ]
    setup = generative_setup(snap, dep)
    if setup is not None:
        rows[3:3] = [
            ("engine", f"vLLM (generative; {setup.why})"),
            ("args", " ".join(setup.model_args) or "-"),
            ("gpus", setup.gpus or "none requested"),
        ]
        if setup.hardware_profile:
            rows.insert(6, ("hardware", setup.hardware_profile))
    if dep.failure:
        message = (dep.failure.message.strip().splitlines() or [""])[-1]
        if dep.failure_is_stale:
            rows.append(("failure", Text(f"stale, the model is Loaded: {message}", style="dim")))
        else:
            rows.append(("failure", Text(f"{dep.failure.reason}: {message}", style="red")))
    pods = snap.pods_for(dep)
    rows.append(("pods", ", ".join(f"{p.name} {p.display_status}" for p in pods) or "none"))
    note = (
        None
        if dep.in_dashboard
        else Text("not shown in the dashboard (no opendatahub.io/dashboard label)", style="dim")
    )
    return facts(
        f"{dep.namespace}/{dep.name}", rows, "d diagnose · l logs · i infer · y YAML", note
    )


def _server_details(s: resources.ModelServer, snap: Snapshot) -> Text:
    rows: list[tuple[str, str | Text]] = [
        ("platform", f"{s.platform}, template {s.template or '-'}"),
        ("formats", ", ".join(f.label() + ("*" if f.auto_select else "") for f in s.formats)),
        ("image", ", ".join(s.images) or "-"),
        (
            "replicas",
            f"{'-' if s.replicas is None else s.replicas}, memory {s.memory_limit or '-'}",
        ),
    ]
    if s.platform == resources.MODELMESH:
        rows.append(
            (
                "route",
                f"{'yes' if s.enable_route else 'no'}, auth {'yes' if s.enable_auth else 'no'}",
            )
        )
    if s.disabled:
        rows.append(("disabled", Text("yes", style="bold red")))
    rows.append(("serves", ", ".join(d.name for d in snap.deployments_on(s)) or "nothing"))
    return facts(f"model server {s.namespace}/{s.name}", rows, "y YAML")


def _connection_details(c: resources.DataConnection, snap: Snapshot) -> Text:
    missing = c.missing_keys()
    return facts(
        f"data connection {c.namespace}/{c.name}  ({c.display_name or '-'})",
        [
            ("endpoint", c.endpoint or Text("<empty>", style="red")),
            ("bucket", c.bucket or Text("<empty>", style="red")),
            ("region", c.region or "<empty>"),
            (
                "keys",
                f"access {resources.masked(c.access_key_id)}  secret {resources.masked(c.secret_access_key)}",
            ),
            ("missing", Text(", ".join(missing), style="red") if missing else "nothing"),
        ],
        "v reveal the values (asks first) · y YAML",
    )


def _event_details(e: resources.Event, snap: Snapshot) -> Text:
    return facts(
        f"{e.type} {e.reason} on {e.involved_kind.lower()}/{e.involved_name}",
        [
            ("seen", f"{e.count}x, last {resources.age(e.last_seen)} ago"),
            ("from", e.source or "-"),
            ("message", Text(e.message, style="red" if e.is_warning else "")),
        ],
    )


def _secret_details(s: resources.SecretInfo, snap: Snapshot) -> Text:
    rows: list[tuple[str, str | Text]] = [
        ("type", s.type),
        ("keys", ", ".join(f"{k}={resources.masked('x')}" for k in s.keys) or "none"),
    ]
    if s.service_account:
        rows.append(("token of", f"service account {s.service_account}"))
    return facts(
        f"secret {s.namespace}/{s.name}", rows, "v reveal the values (asks first) · y YAML"
    )


def _pod_details(p: resources.Pod, snap: Snapshot) -> Text:
    rows: list[tuple[str, str | Text]] = [
        ("status", pod_status(p) + Text(f"  ready {p.ready_count()}  restarts {p.restarts}")),
        ("node", p.node or "-"),
    ]
    if p.unschedulable:
        rows.append(("scheduler", Text(p.unschedulable.message, style="red")))
    for c in p.containers:
        troubled = c.restarts or c.state == "waiting" or c.reason not in ("", "Completed")
        rows.append(("container", Text(container_line(c), style="yellow" if troubled else "")))
    return facts(f"pod {p.namespace}/{p.name}", rows, "l logs (p previous, / search) · y YAML")


def _route_details(t: resources.Route, snap: Snapshot) -> Text:
    admitted = "-" if t.admitted is None else ("yes" if t.admitted else "no")
    return facts(
        f"route {t.namespace}/{t.name}",
        [
            ("url", t.url),
            ("service", f"{t.service}:{t.port}, tls {t.termination or '-'}"),
            ("admitted", f"{admitted} {t.admitted_message}".rstrip()),
            ("serves", t.deployment or "-"),
        ],
        "y YAML",
    )


DETAILS: dict[str, Callable[[Any, Snapshot], Text]] = {
    "deployments": _deployment_details,
    "servers": _server_details,
    "connections": _connection_details,
    "events": _event_details,
    "secrets": _secret_details,
    "pods": _pod_details,
    "routes": _route_details,
}
