"""What each pane shows: its columns, a row per object, and a readable summary of one object.

Pure functions of the typed objects in checks.resources; no widget here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from rich.text import Text

from checks import resources as r
from checks.snapshot import Snapshot

# The mark carries the meaning on its own, so NO_COLOR terminals lose nothing.
STATE_MARKS = {
    "Loaded": ("✓", "green"),
    "Standby": ("✓", "green"),
    "FailedToLoad": ("✗", "bold red"),
    "Pending": ("…", "yellow"),
    "Loading": ("…", "yellow"),
}
LABEL_WIDTH = 10


def deployment_state(dep: r.Deployment, snapshot: Snapshot) -> str:
    """The dashboard's word, corrected where it misleads: unschedulable pods are a failure."""
    if any(p.unschedulable for p in snapshot.pods_for(dep)):
        return "FailedToLoad"
    return dep.state


def state_cell(dep: r.Deployment, snapshot: Snapshot) -> Text:
    state = deployment_state(dep, snapshot)
    mark, style = STATE_MARKS.get(state, ("?", "yellow"))
    return Text(f"{mark} {state}", style=style)


def platform_tag(project: r.Project) -> Text:
    if project.platform is None:
        return Text("--", style="dim")
    return Text("MM" if project.platform == r.MODELMESH else "KS")


def event_type(e: r.Event) -> Text:
    return Text("⚠ Warning", style="bold red") if e.is_warning else Text(e.type, style="dim")


def pod_status(p: r.Pod) -> Text:
    return Text(p.display_status, style="" if p.ready else "bold yellow")


def container_line(c: r.ContainerState) -> str:
    """`init storage-initializer  terminated Error (exit 1)  restarts 0`, for lists and pickers."""
    state = f"{c.state} {c.reason}".strip()
    last = f"; last {c.last_reason} (exit {c.last_exit_code})" if c.last_reason else ""
    return f"{'init ' if c.init else ''}{c.name}  {state}  restarts {c.restarts}{last}"


# -- readable summaries --------------------------------------------------------------------
def facts(
    title: str, rows: Iterable[tuple[str, str | Text]], hint: str = "", note: Text | None = None
) -> Text:
    """A title line, then `label  value` lines, then a dim hint of the keys that apply."""
    out = Text(title, style="bold")
    for label, value in rows:
        out.append("\n")
        out.append(label.ljust(LABEL_WIDTH - 1) + " ", style="dim")
        out.append(value if isinstance(value, Text) else Text(value))
    if note is not None:
        out.append("\n")
        out.append(note)
    if hint:
        out.append("\n")
        out.append(hint, style="dim italic")
    return out


def _deployment_details(dep: r.Deployment, snap: Snapshot) -> Text:
    rows: list[tuple[str, str | Text]] = [
        ("state", state_cell(dep, snap) + Text(f"  {dep.transition_status}".rstrip())),
        ("model", f"{dep.model_format}:{dep.model_format_version}".rstrip(":")),
        ("runtime", f"{dep.runtime or '-'} ({dep.platform}, {dep.mode})"),
        (
            "storage",
            f"{dep.storage_key or '-'} : {dep.storage_path or '-'}"
            if not dep.storage_uri
            else dep.storage_uri,
        ),
        ("url", dep.url or "-"),
    ]
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
        f"{dep.namespace}/{dep.name}", rows, "d diagnose · l logs · c compose · y YAML", note
    )


def _server_details(s: r.ModelServer, snap: Snapshot) -> Text:
    rows: list[tuple[str, str | Text]] = [
        ("platform", f"{s.platform}, template {s.template or '-'}"),
        ("formats", ", ".join(f.label() + ("*" if f.auto_select else "") for f in s.formats)),
        ("image", ", ".join(s.images) or "-"),
        (
            "replicas",
            f"{'-' if s.replicas is None else s.replicas}, memory {s.memory_limit or '-'}",
        ),
    ]
    if s.platform == r.MODELMESH:
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


def _connection_details(c: r.DataConnection, snap: Snapshot) -> Text:
    missing = c.missing_keys()
    return facts(
        f"data connection {c.namespace}/{c.name}  ({c.display_name or '-'})",
        [
            ("endpoint", c.endpoint or Text("<empty>", style="red")),
            ("bucket", c.bucket or Text("<empty>", style="red")),
            ("region", c.region or "<empty>"),
            ("keys", f"access {r.masked(c.access_key_id)}  secret {r.masked(c.secret_access_key)}"),
            ("missing", Text(", ".join(missing), style="red") if missing else "nothing"),
        ],
        "v reveal the values (asks first) · y YAML",
    )


def _event_details(e: r.Event, snap: Snapshot) -> Text:
    return facts(
        f"{e.type} {e.reason} on {e.involved_kind.lower()}/{e.involved_name}",
        [
            ("seen", f"{e.count}x, last {r.age(e.last_seen)} ago"),
            ("from", e.source or "-"),
            ("message", Text(e.message, style="red" if e.is_warning else "")),
        ],
    )


def _secret_details(s: r.SecretInfo, snap: Snapshot) -> Text:
    rows: list[tuple[str, str | Text]] = [
        ("type", s.type),
        ("keys", ", ".join(f"{k}={r.masked('x')}" for k in s.keys) or "none"),
    ]
    if s.service_account:
        rows.append(("token of", f"service account {s.service_account}"))
    return facts(
        f"secret {s.namespace}/{s.name}", rows, "v reveal the values (asks first) · y YAML"
    )


def _pod_details(p: r.Pod, snap: Snapshot) -> Text:
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


def _route_details(t: r.Route, snap: Snapshot) -> Text:
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


@dataclass(frozen=True)
class Tab:
    id: str
    title: str
    short: str  # the label when the terminal is narrow (80 columns)
    error_kind: str
    columns: tuple[str, ...]
    objects: Callable[[Snapshot], list[Any]]
    row: Callable[[Any, Snapshot], tuple]
    details: Callable[[Any, Snapshot], Text]
    key: Callable[[Any], str] = lambda o: o.name


TABS: tuple[Tab, ...] = (
    Tab(
        "deployments",
        "Deployments",
        "Deploy",
        "inferenceservices",
        ("NAME", "STATE", "PLATFORM", "FORMAT", "RUNTIME"),
        lambda s: s.deployments,
        lambda d, s: (
            d.name,
            state_cell(d, s),
            d.platform,
            f"{d.model_format}:{d.model_format_version}".rstrip(":"),
            d.runtime or "-",
        ),
        _deployment_details,
    ),
    Tab(
        "servers",
        "Model servers",
        "Servers",
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
        "Conns",
        "secrets",
        ("NAME", "ENDPOINT", "BUCKET", "SECRET KEY"),
        lambda s: s.connections,
        lambda c, s: (
            c.name,
            c.endpoint or Text("<empty>", style="red"),
            c.bucket or Text("<empty>", style="red"),
            r.masked(c.secret_access_key),
        ),
        _connection_details,
    ),
    Tab(
        "events",
        "Events",
        "Events",
        "events",
        ("AGE", "TYPE", "REASON", "OBJECT", "MESSAGE"),
        lambda s: s.events,
        lambda e, s: (
            r.age(e.last_seen),
            event_type(e),
            Text(e.reason, style="bold" if e.is_warning else ""),
            f"{e.involved_kind.lower()}/{e.involved_name}",
            e.message.replace("\n", " ")[:120],
        ),
        _event_details,
    ),
    Tab(
        "secrets",
        "Secrets",
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
        "Pods",
        "pods",
        ("NAME", "READY", "STATUS", "RESTARTS"),
        lambda s: s.pods,
        lambda p, s: (p.name, p.ready_count(), pod_status(p), p.restarts),
        _pod_details,
    ),
    Tab(
        "routes",
        "Routes",
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


def tab_label(t: Tab, snapshot: Snapshot | None, narrow: bool) -> str:
    """The tab's name, with ✗ when its kind could not be read and ⚠N for warning events."""
    label = t.short if narrow else t.title
    if snapshot is None:
        return label
    if snapshot.error_line(t.error_kind):
        return f"{label} ✗"
    if t.id == "events":
        warnings = sum(e.is_warning for e in snapshot.events)
        if warnings:
            return f"{label} ⚠{warnings}"
    return label
