"""The kinds a person browses (projects' connections, servers, deployments, events, secrets, pods,
routes): what to load, which objects, and their columns. `get` prints them; the console's tabs
show them; one table, so the two cannot disagree."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from checks import resources
from checks.cluster.snapshot import Snapshot

NOT_IN_DASHBOARD = "not shown in the dashboard"


@dataclass(frozen=True)
class Column:
    header: str
    read: Callable[[Any, Snapshot], Any]

    def value(self, obj: Any, snapshot: Snapshot) -> Any:
        """The cell; a field of the wrong type the typed model let through (an image that is
        null, a list where a word was) shows as "?" in this one cell, not a crash of the view."""
        try:
            return self.read(obj, snapshot)
        except (TypeError, ValueError, AttributeError, KeyError, IndexError):
            return "?"


@dataclass(frozen=True)
class KindView:
    """How one kind is fetched and shown. `api_kinds[0]` is the kind whose LIST error matters."""

    name: str
    title: str
    short: str  # the console's tab label at 80 columns
    api_kinds: tuple[str, ...]
    objects: Callable[[Snapshot], list[Any]]
    columns: tuple[Column, ...]
    wide: tuple[Column, ...] = ()
    console: tuple[str, ...] = ()  # the headers the console shows (default: all of `columns`)
    key: Callable[[Any], str] = lambda o: o.name

    @property
    def error_kind(self) -> str:
        return self.api_kinds[0]

    def console_columns(self) -> tuple[Column, ...]:
        if not self.console:
            return self.columns
        by_header = {c.header: c for c in (*self.columns, *self.wide)}
        return tuple(by_header[h] for h in self.console)


def dashboard_note(obj: Any, _: Snapshot) -> str:
    return "" if getattr(obj, "in_dashboard", True) else NOT_IN_DASHBOARD


def _format(d: resources.AnyDeployment) -> str:
    return f"{d.model_format}:{d.model_format_version}".rstrip(":")


def _platform(d: resources.Deployment) -> str:
    """ "kserve/Standard" for 3.x Standard models; 2.x words (kserve, modelmesh) kept as they were."""
    return f"{d.platform}/Standard" if d.mode == "Standard" else d.platform


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"


def _s3(connection: resources.DataConnection, value: str) -> str:
    """S3 fields of a URI or OCI connection are not empty: they do not apply."""
    return value if connection.protocol == "s3" else "-"


def _mm(server: resources.ModelServer, value: bool) -> str:
    return _yes_no(value) if server.platform == resources.MODELMESH else "-"


DEPLOYMENTS = KindView(
    "deployments",
    "Deployments",
    "Deploy",
    ("inferenceservices", "pods", "replicasets", "llminferenceservices"),
    lambda s: s.all_deployments,
    (
        Column("NAME", lambda d, s: d.name),
        Column("STATE", lambda d, s: s.state_of(d)),
        Column("PLATFORM", lambda d, s: _platform(d)),
        Column("FORMAT", lambda d, s: _format(d) or "-"),
        Column("RUNTIME", lambda d, s: d.runtime or "-"),
        Column("KIND", lambda d, s: d.kind),
        Column("AGE", lambda d, s: resources.age(d.created)),
    ),
    wide=(
        Column("STORAGE", lambda d, s: d.storage_key or d.storage_uri),
        Column("PATH", lambda d, s: d.storage_path),
        Column("URL", lambda d, s: d.url),
        Column("NOTES", dashboard_note),
        Column("MODE", lambda d, s: d.mode_label or "-"),
        Column("STATUS MODE", lambda d, s: d.status_mode or "-"),
        Column("DASHBOARD", lambda d, s: s.state_of(d).dashboard_word),
    ),
    console=("NAME", "STATE", "PLATFORM", "FORMAT", "RUNTIME", "KIND"),
)

SERVERS = KindView(
    "servers",
    "Model servers",
    "Servers",
    ("servingruntimes", "inferenceservices"),
    lambda s: s.servers,
    (
        Column("NAME", lambda m, s: m.name),
        Column("PLATFORM", lambda m, s: m.platform),
        Column("FORMATS", lambda m, s: ",".join(f.label() for f in m.formats)),
        Column("REPLICAS", lambda m, s: "-" if m.replicas is None else m.replicas),
        Column("ROUTE", lambda m, s: _mm(m, m.enable_route)),
        Column("AUTH", lambda m, s: _mm(m, m.enable_auth)),
    ),
    wide=(
        Column("TEMPLATE", lambda m, s: m.template),
        Column("IMAGE", lambda m, s: ",".join(m.images)),
        Column("NOTES", dashboard_note),
    ),
    console=("NAME", "PLATFORM", "FORMATS", "ROUTE", "AUTH"),
)

CONNECTIONS = KindView(
    "connections",
    "Data connections",
    "Conns",
    ("secrets",),
    lambda s: s.connections,
    (
        Column("NAME", lambda c, s: c.name),
        Column("DISPLAY NAME", lambda c, s: c.display_name),
        Column("TYPE", lambda c, s: c.kind_label),
        Column("ENDPOINT", lambda c, s: c.endpoint or c.uri or c.oci_host or "<empty>"),
        Column("BUCKET", lambda c, s: _s3(c, c.bucket or "<empty>")),
        Column("REGION", lambda c, s: _s3(c, c.region)),
        Column("ACCESS KEY", lambda c, s: _s3(c, resources.masked(c.access_key_id))),
        Column("SECRET KEY", lambda c, s: _s3(c, resources.masked(c.secret_access_key))),
    ),
    wide=(
        Column("MANAGED", lambda c, s: c.managed),
        Column("NOTES", dashboard_note),
    ),
    console=("NAME", "ENDPOINT", "BUCKET", "SECRET KEY"),
)

EVENTS = KindView(
    "events",
    "Events",
    "Events",
    ("events",),
    lambda s: s.events,
    (
        Column("LAST SEEN", lambda e, s: resources.age(e.last_seen)),
        Column("TYPE", lambda e, s: e.type),
        Column("REASON", lambda e, s: e.reason),
        Column("OBJECT", lambda e, s: f"{e.involved_kind.lower()}/{e.involved_name}"),
        Column("MESSAGE", lambda e, s: e.message.replace("\n", " ")[:160]),
    ),
    wide=(
        Column("COUNT", lambda e, s: e.count),
        Column("SOURCE", lambda e, s: e.source),
    ),
)

SECRETS = KindView(
    "secrets",
    "Secrets",
    "Secrets",
    ("secrets",),
    lambda s: s.secrets,
    (
        Column("NAME", lambda x, s: x.name),
        Column("TYPE", lambda x, s: x.type),
        Column("DATA", lambda x, s: len(x.keys)),
        Column("AGE", lambda x, s: resources.age(x.created)),
    ),
    wide=(
        Column("KEYS", lambda x, s: ",".join(x.keys)),
        Column("SERVICE ACCOUNT", lambda x, s: x.service_account),
    ),
    console=("NAME", "TYPE", "KEYS"),
)

PODS = KindView(
    "pods",
    "Pods",
    "Pods",
    ("pods",),
    lambda s: s.pods,
    (
        Column("NAME", lambda p, s: p.name),
        Column("READY", lambda p, s: p.ready_count()),
        Column("STATUS", lambda p, s: p.display_status),
        Column("RESTARTS", lambda p, s: p.restarts),
        Column("AGE", lambda p, s: resources.age(p.created)),
    ),
    wide=(Column("NODE", lambda p, s: p.node),),
    console=("NAME", "READY", "STATUS", "RESTARTS"),
)

ROUTES = KindView(
    "routes",
    "Routes",
    "Routes",
    ("routes", "inferenceservices"),
    lambda s: s.routes,
    (
        Column("NAME", lambda t, s: t.name),
        Column("HOST/PORT", lambda t, s: t.host),
        Column("PATH", lambda t, s: t.path),
        Column("SERVICES", lambda t, s: t.service),
        Column("PORT", lambda t, s: t.port),
        Column("TERMINATION", lambda t, s: t.termination),
        Column("ADMITTED", lambda t, s: "-" if t.admitted is None else _yes_no(t.admitted)),
    ),
    console=("NAME", "HOST/PORT", "PATH", "ADMITTED"),
    key=lambda t: f"{t.namespace}/{t.name}",
)

# The console's tab order: what a person looks at first.
VIEWS: tuple[KindView, ...] = (DEPLOYMENTS, SERVERS, CONNECTIONS, EVENTS, SECRETS, PODS, ROUTES)
NAMES = ("projects", *(v.name for v in VIEWS))
ALIASES = {
    "project": "projects",
    "ns": "projects",
    "connection": "connections",
    "dataconnections": "connections",
    "server": "servers",
    "servingruntimes": "servers",
    "servingruntime": "servers",
    "deployment": "deployments",
    "models": "deployments",
    "inferenceservices": "deployments",
    "inferenceservice": "deployments",
    "isvc": "deployments",
    "llminferenceservices": "deployments",
    "llminferenceservice": "deployments",
    "llmisvc": "deployments",
    "event": "events",
    "ev": "events",
    "secret": "secrets",
    "pod": "pods",
    "po": "pods",
    "route": "routes",
    "runtimes": "servers",  # the console's `:runtimes` (k9s users say runtime, not server)
    "runtime": "servers",
}


def normalise(word: str) -> str:
    """kubectl-style names and aliases to ours ("isvc" -> "deployments")."""
    return ALIASES.get(word.lower(), word.lower())


def view(name: str) -> KindView:
    return next(v for v in VIEWS if v.name == normalise(name))
