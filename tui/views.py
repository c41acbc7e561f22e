"""What each tab shows: its columns, a row per object, and a readable summary of one object."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rich.text import Text

from checks import resources as r
from checks.snapshot import Snapshot

STATE_MARKS = {
    "Loaded": ("✓", "green"),
    "Standby": ("✓", "green"),
    "FailedToLoad": ("✗", "red"),
    "Pending": ("…", "yellow"),
    "Loading": ("…", "yellow"),
}


def state_cell(dep: r.Deployment, snapshot: Snapshot) -> Text:
    """The dashboard's word, corrected where it misleads: unschedulable pods are a failure."""
    state = dep.state
    if any(p.unschedulable for p in snapshot.pods_for(dep)):
        state = "FailedToLoad"
    mark, style = STATE_MARKS.get(state, ("?", "yellow"))
    return Text(f"{mark} {state}", style=style)


def _deployment_details(dep: r.Deployment, snap: Snapshot) -> list[str]:
    lines = [
        f"Deployment {dep.namespace}/{dep.name}  ({dep.platform}, {dep.mode})",
        f"  state        {dep.state} (active {dep.active_state or '-'}, target "
        f"{dep.target_state or '-'}, {dep.transition_status or '-'})",
        f"  format       {dep.model_format}:{dep.model_format_version}   runtime "
        f"{dep.runtime or '-'}",
        f"  storage      key {dep.storage_key or '-'}  path {dep.storage_path or '-'}"
        + (f"  uri {dep.storage_uri}" if dep.storage_uri else ""),
        f"  url          {dep.url or '-'}",
    ]
    if dep.failure:
        stale = " (stale: the model is Loaded)" if dep.failure_is_stale else ""
        message = dep.failure.message.strip().splitlines()[-1:] or [""]
        lines.append(f"  last failure {dep.failure.reason}{stale}: {message[0]}")
    pods = snap.pods_for(dep)
    lines.append(
        "  pods         " + (", ".join(f"{p.name} {p.display_status}" for p in pods) or "none")
    )
    if not dep.in_dashboard:
        lines.append(
            "  note         not shown in the dashboard (no opendatahub.io/dashboard label)"
        )
    lines.append("Press d to diagnose, l for logs, y for YAML.")
    return lines


def _server_details(s: r.ModelServer, snap: Snapshot) -> list[str]:
    return [
        f"Model server {s.namespace}/{s.name}  ({s.platform}, template {s.template or '-'})",
        "  formats      "
        + ", ".join(f.label() + ("*" if f.auto_select else "") for f in s.formats),
        f"  image        {', '.join(s.images) or '-'}",
        f"  replicas     {s.replicas if s.replicas is not None else '-'}   memory limit "
        f"{s.memory_limit or '-'}",
        f"  route/auth   {'yes' if s.enable_route else 'no'} / {'yes' if s.enable_auth else 'no'}"
        if s.platform == r.MODELMESH
        else "  route/auth   set on each deployment",
        "  deployments  " + (", ".join(d.name for d in snap.deployments_on(s)) or "none"),
    ]


def _connection_details(c: r.DataConnection, snap: Snapshot) -> list[str]:
    missing = c.missing_keys()
    return [
        f"Data connection {c.namespace}/{c.name}  ({c.display_name or '-'}, "
        f"type {c.connection_type or '-'})",
        f"  endpoint     {c.endpoint or '<empty>'}",
        f"  bucket       {c.bucket or '<empty>'}   region {c.region or '<empty>'}",
        f"  access key   {r.masked(c.access_key_id)}   secret key {r.masked(c.secret_access_key)}",
        "  missing      " + (", ".join(missing) if missing else "nothing"),
        "Press v to reveal the values (asks first).",
    ]


def _event_details(e: r.Event, snap: Snapshot) -> list[str]:
    return [
        f"{e.type} {e.reason} on {e.involved_kind.lower()}/{e.involved_name} "
        f"({e.count}x, last {r.age(e.last_seen)} ago, from {e.source or '-'})",
        e.message,
    ]


def _secret_details(s: r.SecretInfo, snap: Snapshot) -> list[str]:
    lines = [
        f"Secret {s.namespace}/{s.name}  ({s.type})",
        "  keys         " + ", ".join(f"{k}={r.masked('x')}" for k in s.keys),
    ]
    if s.service_account:
        lines.append(f"  token of     service account {s.service_account}")
    lines.append("Press v to reveal the values (asks first).")
    return lines


def _pod_details(p: r.Pod, snap: Snapshot) -> list[str]:
    lines = [
        f"Pod {p.namespace}/{p.name}  {p.display_status}  ready {p.ready_count()}  "
        f"restarts {p.restarts}  node {p.node or '-'}"
    ]
    if p.unschedulable:
        lines.append(f"  unschedulable: {p.unschedulable.message}")
    for c in p.containers:
        last = (
            f"; last terminated {c.last_reason} (exit {c.last_exit_code})" if c.last_reason else ""
        )
        kind = "init " if c.init else ""
        lines.append(
            f"  {kind}{c.name:<20} {c.state} {c.reason}".rstrip() + f"  restarts {c.restarts}{last}"
        )
    lines.append("Press l for logs.")
    return lines


def _route_details(t: r.Route, snap: Snapshot) -> list[str]:
    return [
        f"Route {t.namespace}/{t.name}",
        f"  url          {t.url}",
        f"  service      {t.service}:{t.port}  tls {t.termination}",
        f"  admitted     {'-' if t.admitted is None else t.admitted} {t.admitted_message}",
    ]


def _event_type(e: r.Event) -> Text:
    return Text(e.type, style="bold red" if e.is_warning else "")


@dataclass(frozen=True)
class Tab:
    id: str
    title: str
    error_kind: str
    columns: tuple[str, ...]
    objects: Callable[[Snapshot], list[Any]]
    row: Callable[[Any, Snapshot], tuple]
    details: Callable[[Any, Snapshot], list[str]]
    key: Callable[[Any], str] = lambda o: o.name


TABS: tuple[Tab, ...] = (
    Tab(
        "deployments",
        "Deployments",
        "inferenceservices",
        ("NAME", "PLATFORM", "FORMAT", "RUNTIME", "STATE"),
        lambda s: s.deployments,
        lambda d, s: (
            d.name,
            d.platform,
            f"{d.model_format}:{d.model_format_version}".rstrip(":"),
            d.runtime or "-",
            state_cell(d, s),
        ),
        _deployment_details,
    ),
    Tab(
        "servers",
        "Model servers",
        "servingruntimes",
        ("NAME", "PLATFORM", "FORMATS", "ROUTE", "AUTH"),
        lambda s: s.servers,
        lambda m, s: (
            m.name,
            m.platform,
            ",".join(f.label() for f in m.formats),
            ("yes" if m.enable_route else "no") if m.platform == r.MODELMESH else "-",
            ("yes" if m.enable_auth else "no") if m.platform == r.MODELMESH else "-",
        ),
        _server_details,
    ),
    Tab(
        "connections",
        "Data connections",
        "secrets",
        ("NAME", "ENDPOINT", "BUCKET", "SECRET KEY"),
        lambda s: s.connections,
        lambda c, s: (
            c.name,
            c.endpoint or "<empty>",
            c.bucket or "<empty>",
            r.masked(c.secret_access_key),
        ),
        _connection_details,
    ),
    Tab(
        "events",
        "Events",
        "events",
        ("AGE", "TYPE", "REASON", "OBJECT", "MESSAGE"),
        lambda s: s.events,
        lambda e, s: (
            r.age(e.last_seen),
            _event_type(e),
            e.reason,
            f"{e.involved_kind.lower()}/{e.involved_name}",
            e.message.replace("\n", " ")[:90],
        ),
        _event_details,
        key=lambda e: e.name,
    ),
    Tab(
        "secrets",
        "Secrets",
        "secrets",
        ("NAME", "TYPE", "KEYS"),
        lambda s: s.secrets,
        lambda x, s: (x.name, x.type, ",".join(x.keys)),
        _secret_details,
    ),
    Tab(
        "pods",
        "Pods",
        "pods",
        ("NAME", "READY", "STATUS", "RESTARTS"),
        lambda s: s.pods,
        lambda p, s: (
            p.name,
            p.ready_count(),
            Text(p.display_status, style="" if p.ready else "yellow"),
            p.restarts,
        ),
        _pod_details,
    ),
    Tab(
        "routes",
        "Routes",
        "routes",
        ("NAME", "HOST", "PATH", "ADMITTED"),
        lambda s: s.routes,
        lambda t, s: (
            t.name,
            t.host,
            t.path or "/",
            "-" if t.admitted is None else ("yes" if t.admitted else "no"),
        ),
        _route_details,
        key=lambda t: f"{t.namespace}/{t.name}",
    ),
)


def tab(tab_id: str) -> Tab:
    return next(t for t in TABS if t.id == tab_id)
