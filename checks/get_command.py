"""`rhoai-doctor get KIND [NAME]`: the RHOAI serving objects as kubectl users expect to see them."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from checks import resources as r
from checks.snapshot import Snapshot, load_projects, load_snapshot
from checks.tables import as_json, as_yaml, table

NOT_IN_DASHBOARD = "not shown in the dashboard"


@dataclass(frozen=True)
class View:
    """How one kind is fetched and shown: snapshot kinds, objects, columns (normal and wide)."""

    kinds: tuple[str, ...]
    objects: Callable[[Snapshot], list[Any]]
    headers: tuple[str, ...]
    row: Callable[[Any], tuple]
    wide_headers: tuple[str, ...] = ()
    wide_row: Callable[[Any], tuple] = lambda _: ()


def _dashboard_note(obj: Any) -> str:
    return "" if getattr(obj, "in_dashboard", True) else NOT_IN_DASHBOARD


def _event_object(e: r.Event) -> str:
    return f"{e.involved_kind.lower()}/{e.involved_name}"


VIEWS: dict[str, View] = {
    "connections": View(
        ("secrets",),
        lambda s: s.connections,
        (
            "NAME",
            "DISPLAY NAME",
            "TYPE",
            "ENDPOINT",
            "BUCKET",
            "REGION",
            "ACCESS KEY",
            "SECRET KEY",
        ),
        lambda c: (
            c.name,
            c.display_name,
            c.connection_type,
            c.endpoint,
            c.bucket,
            c.region,
            r.masked(c.access_key_id),
            r.masked(c.secret_access_key),
        ),
        ("MANAGED", "NOTES"),
        lambda c: (c.managed, _dashboard_note(c)),
    ),
    "servers": View(
        ("servingruntimes", "inferenceservices"),
        lambda s: s.servers,
        ("NAME", "PLATFORM", "FORMATS", "REPLICAS", "ROUTE", "AUTH"),
        lambda m: (
            m.name,
            m.platform,
            ",".join(f.label() for f in m.formats),
            m.replicas if m.replicas is not None else "-",
            m.enable_route if m.platform == r.MODELMESH else "-",
            m.enable_auth if m.platform == r.MODELMESH else "-",
        ),
        ("TEMPLATE", "IMAGE", "NOTES"),
        lambda m: (m.template, ",".join(m.images), _dashboard_note(m)),
    ),
    "deployments": View(
        ("inferenceservices",),
        lambda s: s.deployments,
        ("NAME", "PLATFORM", "FORMAT", "RUNTIME", "STATE", "AGE"),
        lambda d: (
            d.name,
            d.platform,
            f"{d.model_format}:{d.model_format_version}".rstrip(":"),
            d.runtime,
            d.state,
            r.age(d.created),
        ),
        ("STORAGE", "PATH", "URL", "NOTES"),
        lambda d: (d.storage_key or d.storage_uri, d.storage_path, d.url, _dashboard_note(d)),
    ),
    "events": View(
        ("events",),
        lambda s: s.events,
        ("LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"),
        lambda e: (
            r.age(e.last_seen),
            e.type,
            e.reason,
            _event_object(e),
            e.message.replace("\n", " ")[:160],
        ),
        ("COUNT", "SOURCE"),
        lambda e: (e.count, e.source),
    ),
    "secrets": View(
        ("secrets",),
        lambda s: s.secrets,
        ("NAME", "TYPE", "DATA", "AGE"),
        lambda x: (x.name, x.type, len(x.keys), r.age(x.created)),
        ("KEYS", "SERVICE ACCOUNT"),
        lambda x: (",".join(x.keys), x.service_account),
    ),
    "pods": View(
        ("pods",),
        lambda s: s.pods,
        ("NAME", "READY", "STATUS", "RESTARTS", "AGE"),
        lambda p: (p.name, p.ready_count(), p.display_status, p.restarts, r.age(p.created)),
        ("NODE",),
        lambda p: (p.node,),
    ),
    "routes": View(
        ("routes", "inferenceservices"),
        lambda s: s.routes,
        ("NAME", "HOST/PORT", "PATH", "SERVICES", "PORT", "TERMINATION", "ADMITTED"),
        lambda t: (
            t.name,
            t.host,
            t.path,
            t.service,
            t.port,
            t.termination,
            "-" if t.admitted is None else t.admitted,
        ),
    ),
}
KINDS = ("projects", *VIEWS)
ALIASES = {
    "project": "projects",
    "connection": "connections",
    "dataconnections": "connections",
    "server": "servers",
    "servingruntimes": "servers",
    "deployment": "deployments",
    "models": "deployments",
    "inferenceservices": "deployments",
    "isvc": "deployments",
    "event": "events",
    "ev": "events",
    "secret": "secrets",
    "pod": "pods",
    "po": "pods",
    "route": "routes",
}


def normalise_kind(kind: str) -> str:
    return ALIASES.get(kind, kind)


def render(objects: Sequence[Any], view: View, output: str, all_namespaces: bool) -> str:
    if output == "json":
        return as_json(list(objects))
    if output == "yaml":
        return as_yaml(list(objects))
    headers = view.headers + (view.wide_headers if output == "wide" else ())
    rows = []
    for obj in objects:
        row = view.row(obj) + (view.wide_row(obj) if output == "wide" else ())
        rows.append(((obj.namespace,) if all_namespaces else ()) + row)
    return table((("NAMESPACE",) if all_namespaces else ()) + headers, rows)


def render_projects(projects: Sequence[r.Project], output: str) -> str:
    if output in ("json", "yaml"):
        return as_json(list(projects)) if output == "json" else as_yaml(list(projects))
    headers = ("NAME", "DISPLAY NAME", "PLATFORM", "STATUS")
    rows = [(p.name, p.display_name, p.platform or "-", p.phase) for p in projects]
    if output == "wide":
        headers += ("DASHBOARD", "REQUESTER")
        rows = [(*row, p.in_dashboard, p.requester) for row, p in zip(rows, projects, strict=True)]
    return table(headers, rows)


async def run_get(
    kube: Any, kind: str, name: str | None, namespace: str | None, output: str
) -> int:
    """Print the objects; 1 when the kind could not be listed or NAME is not there."""
    if kind == "projects":
        projects = await load_projects(kube)
        if name:
            projects = [p for p in projects if p.name == name]
            if not projects:
                print(f'error: project "{name}" not found', file=sys.stderr)
                return 1
        print(render_projects(projects, output))
        return 0
    view = VIEWS[kind]
    snapshot = await load_snapshot(kube, namespace, view.kinds)
    snapshot.raise_if_unreachable()
    if (error := snapshot.error_line(view.kinds[0])) is not None:
        print(f"error: {error}", file=sys.stderr)
        return 1
    objects = view.objects(snapshot)
    if name:
        objects = [o for o in objects if getattr(o, "name", "") == name]
        if not objects:
            where = f" in {namespace}" if namespace else ""
            print(f'error: {kind} "{name}" not found{where}', file=sys.stderr)
            return 1
    if not objects and output in ("table", "wide"):
        where = f"in {namespace} namespace" if namespace else "in any namespace"
        print(f"No {kind} found {where}.", file=sys.stderr)
        return 0
    print(render(objects, view, output, namespace is None))
    return 0


def get(
    kube_factory: Callable[[], Any], kind: str, name: str | None, namespace: str | None, output: str
) -> int:
    async def main() -> int:
        async with kube_factory() as kube:
            return await run_get(kube, kind, name, namespace, output)

    return asyncio.run(main())
