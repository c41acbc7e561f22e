"""What the selected row is related to, for `o` (jump) and `e` (its events): a deployment's
runtime, route, connection, pods and events; a pod's deployment; a server's or connection's
deployments; an event's object. Pure: objects and a snapshot in, places out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from checks import resources
from checks.cluster.kinds import view
from checks.cluster.snapshot import Snapshot


@dataclass(frozen=True)
class Place:
    """A row to jump to: `tab` and row `key`, or the tab filtered by `filter` (events)."""

    letter: str  # the chooser's key
    label: str
    tab: str
    key: str = ""
    filter: str = ""


def events_filter(obj: Any) -> str:
    """Events about an object show its name in OBJECT (a deployment's also match its pods)."""
    return getattr(obj, "name", "") if not isinstance(obj, resources.Event) else ""


def deployment_of(pod: resources.Pod, snapshot: Snapshot) -> resources.AnyDeployment | None:
    return next(
        (
            d
            for d in snapshot.all_deployments
            if any(p.name == pod.name for p in snapshot.pods_for(d))
        ),
        None,
    )


def _row(tab: str, obj: Any) -> str:
    return view(tab).key(obj)


def places(obj: Any, snapshot: Snapshot) -> list[Place]:
    """Where `o` can go from `obj`, in the chooser's order."""
    found: list[Place] = []
    if isinstance(obj, resources.Deployment | resources.LLMService):
        found += _from_deployment(obj, snapshot)
    elif isinstance(obj, resources.Pod):
        dep = deployment_of(obj, snapshot)
        if dep is not None:
            found.append(Place("d", f"deployment {dep.name}", "deployments", dep.name))
    elif isinstance(obj, resources.ModelServer):
        for i, dep in enumerate(snapshot.deployments_on(obj)[:9]):
            found.append(Place(str(i + 1), f"deployment {dep.name}", "deployments", dep.name))
    elif isinstance(obj, resources.DataConnection):
        using = [d for d in snapshot.deployments if d.connection_name == obj.name]
        for i, dep in enumerate(using[:9]):
            found.append(Place(str(i + 1), f"deployment {dep.name}", "deployments", dep.name))
    elif isinstance(obj, resources.Event):
        found += _from_event(obj, snapshot)
    if not isinstance(obj, resources.Event) and events_filter(obj):
        found.append(Place("e", f"events about {obj.name}", "events", filter=obj.name))
    return found


def _from_deployment(dep: resources.AnyDeployment, snapshot: Snapshot) -> list[Place]:
    found: list[Place] = []
    if isinstance(dep, resources.Deployment):
        server = snapshot.server_for(dep)
        if server is not None:
            found.append(Place("r", f"runtime {server.name}", "servers", server.name))
        connection = snapshot.connection_for(dep)
        if connection is not None:
            found.append(
                Place("c", f"connection {connection.name}", "connections", connection.name)
            )
    route = snapshot.route_for(dep)
    if route is not None:
        found.append(Place("t", f"route {route.name}", "routes", _row("routes", route)))
    pods = snapshot.pods_for(dep)
    if pods:
        more = f" (+{len(pods) - 1} more)" if len(pods) > 1 else ""
        found.append(Place("p", f"pod {pods[0].name}{more}", "pods", pods[0].name))
    return found


def _from_event(event: resources.Event, snapshot: Snapshot) -> list[Place]:
    kind = event.involved_kind.lower()
    tab = {
        "pod": "pods",
        "inferenceservice": "deployments",
        "llminferenceservice": "deployments",
        "servingruntime": "servers",
        "route": "routes",
        "secret": "secrets",
    }.get(kind)
    if tab is None:
        return []
    objects = view(tab).objects(snapshot)
    obj = next((o for o in objects if o.name == event.involved_name), None)
    if obj is None:
        return []
    return [Place("o", f"{kind} {event.involved_name}", tab, _row(tab, obj))]
