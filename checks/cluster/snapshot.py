"""Load a project's serving objects: one LIST per kind, all at once; a kind that fails keeps its
error beside the others' data, worded for a person."""

from __future__ import annotations

import asyncio
import dataclasses
import functools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from typing import TypeVar

from checks import resources
from checks.cluster.exposure_lists import Exposure
from checks.cluster.kind_lists import list_kind_versioned
from checks.cluster.kube import KubeClient, Raw
from checks.cluster.snapshot_kinds import KIND_PATHS, UNREACHABLE, describe_failure, kind_path
from checks.errors import KubeError
from checks.resources.llm_services import WORKLOAD_LABEL as LLM_WORKLOAD_LABEL
from checks.resources.llm_services import WORKLOAD_VALUE as LLM_WORKLOAD_VALUE
from checks.resources.refusals import pods_refused

T = TypeVar("T")
MESH_NAMESPACE = "istio-system"
MESH_ROUTES = "mesh-routes"
SERVERLESS_ROUTE_LABEL = "serving.kserve.io/inferenceservice"


@dataclass
class Snapshot:
    """Every kind of one project (or all namespaces when `namespace` is None)."""

    namespace: str | None
    raw: dict[str, list[Raw]] = field(default_factory=dict)
    errors: dict[str, KubeError] = field(default_factory=dict)
    unreadable: dict[str, list[str]] = field(default_factory=dict)  # kind -> one line each
    # kind -> its LIST as it came (items, path, resourceVersion), before anything was added to
    # `raw` (the mesh's routes): informers watch on from there (no second LIST)
    listed: dict[str, tuple[list[Raw], str, str]] = field(
        default_factory=dict, repr=False, compare=False
    )
    # LLM deployments' HTTPRoutes, Gateways and AuthPolicies a sweep listed across namespaces
    # (checks.cluster.exposure_lists); empty: the checks GET each object
    exposure: Exposure = field(default_factory=dict, repr=False, compare=False)
    # the project itself, as a sweep's LIST of projects carried it (None: a check GETs it)
    project: resources.Project | None = field(default=None, repr=False, compare=False)
    # facts about the project itself, asked once for all its deployments (CheckContext.fact)
    shared_facts: dict[str, asyncio.Future] = field(default_factory=dict, repr=False, compare=False)

    def raise_if_unreachable(self) -> None:
        """When no kind could be read for a connection-level reason, the cluster is unreachable."""
        if (
            self.errors
            and not self.raw
            and all(e.kind in UNREACHABLE for e in self.errors.values())
        ):
            raise next(iter(self.errors.values()))

    def error_line(self, kind: str) -> str | None:
        error = self.errors.get(kind)
        return describe_failure(kind, self.namespace, error) if error else None

    def _items(self, kind: str) -> list[Raw]:
        items = self.raw.get(kind) or []
        return [x for x in items if isinstance(x, dict) and isinstance(x.get("metadata"), dict)]

    def _parsed(
        self, kind: str, parse: Callable[[Raw], T], keep: Callable[[Raw], bool] = bool
    ) -> list[T]:
        """Every object of a kind the typed model can read; one that it cannot (a field of the
        wrong type, as a broken controller or a hostile object may write) becomes a line in
        `unreadable`, never a crash of a face."""
        parsed = []
        for raw in self._items(kind):
            try:
                if keep(raw):
                    parsed.append(parse(raw))
            except (AttributeError, TypeError, ValueError, KeyError) as error:
                meta = raw.get("metadata") or {}
                where = f"{meta.get('namespace', '')}/{meta.get('name', '?')}".lstrip("/")
                line = f"{kind} {where} could not be read ({type(error).__name__}: {error})"
                self.unreadable.setdefault(kind, [])
                if line not in self.unreadable[kind]:
                    self.unreadable[kind].append(line)
        return parsed

    @cached_property
    def deployments(self) -> list[resources.Deployment]:
        return self._parsed("inferenceservices", resources.Deployment.parse)

    @cached_property
    def llm_services(self) -> list[resources.LLMService]:
        return self._parsed("llminferenceservices", resources.LLMService.parse)

    @property
    def all_deployments(self) -> list[resources.AnyDeployment]:
        """What a person calls the project's deployments, both kinds, by project and name as
        kubectl sorts a listing."""
        both: list[resources.AnyDeployment] = [*self.deployments, *self.llm_services]
        return sorted(both, key=lambda d: (d.namespace, d.name))

    @cached_property
    def servers(self) -> list[resources.ModelServer]:
        return self._parsed("servingruntimes", resources.ModelServer.parse)

    @cached_property
    def connections(self) -> list[resources.DataConnection]:
        return self._parsed(
            "secrets", resources.DataConnection.parse, resources.DataConnection.is_connection
        )

    @cached_property
    def secrets(self) -> list[resources.SecretInfo]:
        return self._parsed("secrets", resources.SecretInfo.parse)

    @cached_property
    def tokens(self) -> list[resources.SecretInfo]:
        return [s for s in self.secrets if s.is_token]

    @cached_property
    def storage_config(self) -> dict[str, dict[str, resources.StorageConfigEntry]]:
        """storage-config entries per namespace."""
        configs = self._parsed(
            "secrets",
            lambda x: (x["metadata"].get("namespace", ""), resources.parse_storage_config(x)),
            lambda x: x["metadata"].get("name") == "storage-config",
        )
        return dict(configs)

    @cached_property
    def role_bindings(self) -> list[resources.RoleBinding]:
        return self._parsed("rolebindings", resources.RoleBinding.parse)

    @cached_property
    def events(self) -> list[resources.Event]:
        events = self._parsed("events", resources.Event.parse)
        floor = datetime.min.replace(tzinfo=UTC)
        return sorted(events, key=lambda e: e.last_seen or floor, reverse=True)

    @cached_property
    def pods(self) -> list[resources.Pod]:
        return self._parsed("pods", resources.Pod.parse)

    @cached_property
    def routes(self) -> list[resources.Route]:
        return self._parsed("routes", resources.Route.parse)

    @cached_property
    def workloads(self) -> list[resources.Workload]:
        return self._parsed("deployments", resources.Workload.deployment)

    @cached_property
    def replica_sets(self) -> list[resources.Workload]:
        return self._parsed("replicasets", resources.Workload.replica_set)

    @cached_property
    def services(self) -> list[resources.Service]:
        return self._parsed("services", resources.Service.parse)

    @cached_property
    def autoscalers(self) -> list[resources.Autoscaler]:
        return self._parsed("horizontalpodautoscalers", resources.Autoscaler.parse)

    @cached_property
    def quotas(self) -> list[resources.ResourceQuota]:
        return self._parsed("resourcequotas", resources.ResourceQuota.parse)

    # -- relations ---------------------------------------------------------------------
    def predictor_objects(self, dep: resources.Deployment) -> resources.PredictorObjects:
        """What KServe created for a Standard model: all named <isvc>-predictor (rhoai-3x §1.2)."""
        name, ns = f"{dep.name}-predictor", dep.namespace

        def mine(objs: list) -> list:
            return [o for o in objs if o.namespace == ns]

        workload = next((w for w in mine(self.workloads) if w.name == name), None)
        return resources.PredictorObjects(
            deployment=workload,
            replica_sets=tuple(r for r in mine(self.replica_sets) if name in r.owners),
            service=next((x for x in mine(self.services) if x.name == name), None),
            autoscaler=next((x for x in mine(self.autoscalers) if x.name == name), None),
            quotas=tuple(mine(self.quotas)),
        )

    def deployment(self, name: str, namespace: str | None = None) -> resources.Deployment | None:
        return next(
            (
                d
                for d in self.deployments
                if d.name == name and (namespace is None or d.namespace == namespace)
            ),
            None,
        )

    def any_deployment(
        self, name: str, namespace: str | None = None
    ) -> resources.AnyDeployment | None:
        """An InferenceService by that name, else an LLMInferenceService."""
        found = self.deployment(name, namespace)
        if found is not None:
            return found
        return next(
            (
                d
                for d in self.llm_services
                if d.name == name and (namespace is None or d.namespace == namespace)
            ),
            None,
        )

    def server_for(self, dep: resources.Deployment) -> resources.ModelServer | None:
        return next(
            (s for s in self.servers if s.name == dep.runtime and s.namespace == dep.namespace),
            None,
        )

    def pods_for(self, dep: resources.AnyDeployment) -> list[resources.Pod]:
        """The runtime pods serving a deployment (selectors: docs/domain.md §1.9)."""
        if isinstance(dep, resources.LLMService):
            return [
                p
                for p in self.pods
                if p.namespace == dep.namespace
                and p.labels.get(LLM_WORKLOAD_LABEL) == LLM_WORKLOAD_VALUE
                and p.labels.get("app.kubernetes.io/name", dep.name) == dep.name
            ]
        if dep.platform == resources.MODELMESH:
            key, value = "name", f"modelmesh-serving-{dep.runtime}"
        else:
            key, value = "serving.kserve.io/inferenceservice", dep.name
        return [p for p in self.pods if p.namespace == dep.namespace and p.labels.get(key) == value]

    @cached_property
    def _creation_refusals(self) -> list[resources.Event]:
        """The FailedCreate events alone: STATE asks for them once per deployment, and scanning
        a big project's every event per row made a project of 1,000 deployments and 5,000
        events take 4.7 s to show."""
        return [e for e in self.events if e.reason == "FailedCreate"]

    @cached_property
    def _states(self) -> dict[int, tuple[resources.AnyDeployment, resources.DeploymentState]]:
        return {}

    def state_of(self, dep: resources.AnyDeployment) -> resources.DeploymentState:
        """The one state word every face shows: the dashboard's word plus our reason. Worked
        out once per deployment and snapshot: the table, the status line and the fleet ask."""
        known = self._states.get(id(dep))
        if known is not None and known[0] is dep:
            return known[1]
        state = self._state_of(dep)
        self._states[id(dep)] = (dep, state)
        return state

    def _state_of(self, dep: resources.AnyDeployment) -> resources.DeploymentState:
        refused = ""
        if isinstance(dep, resources.Deployment):
            events = self._creation_refusals if "events" in self.raw else None
            refused = pods_refused(dep, self.predictor_objects(dep).replica_sets, events)
        state = resources.deployment_state(dep, self.pods_for(dep), refused)
        if isinstance(dep, resources.LLMService) and not state.reason and dep.state == "Pending":
            path = dep.failing_path()
            if path:
                state = dataclasses.replace(state, reason=path[-1].reason or path[-1].type)
        return state

    def events_for(self, namespace: str, names: set[str]) -> list[resources.Event]:
        return [e for e in self.events if e.namespace == namespace and e.involved_name in names]

    def connection_for(self, dep: resources.Deployment) -> resources.DataConnection | None:
        return next(
            (
                c
                for c in self.connections
                if c.name == dep.connection_name and c.namespace == dep.namespace
            ),
            None,
        )

    def token_base(self, dep: resources.Deployment) -> str:
        """Tokens belong to the runtime for ModelMesh, to the deployment for KServe (docs/domain.md §1.7)."""
        return dep.runtime if dep.platform == resources.MODELMESH else dep.name

    def tokens_for(self, dep: resources.Deployment) -> list[resources.SecretInfo]:
        account = f"{self.token_base(dep)}-sa"
        return [
            t for t in self.tokens if t.namespace == dep.namespace and t.service_account == account
        ]

    def route_for(self, dep: resources.AnyDeployment) -> resources.Route | None:
        """ModelMesh and raw routes sit in the project; serverless ones in the mesh namespace."""
        host = dep.url.split("://", 1)[-1].split("/", 1)[0]
        for route in self.routes:
            if route.deployment != dep.name:
                continue
            if route.namespace == dep.namespace or (host and route.host == host):
                return route
        return None

    def deployments_on(self, server: resources.ModelServer) -> list[resources.Deployment]:
        return [
            d
            for d in self.deployments
            if d.runtime == server.name and d.namespace == server.namespace
        ]


async def load_snapshot(
    kube: KubeClient,
    namespace: str | None,
    kinds: tuple[str, ...] = tuple(KIND_PATHS),
    *,
    sequential: bool = False,
    mesh: SharedMeshRoutes | None = None,
    on_list: Callable[[str, list[Raw]], None] | None = None,
) -> Snapshot:
    """All kinds concurrently (`sequential=True`: one after another, for benchmarks); `mesh`
    shares one LIST of the mesh's routes between a sweep's projects; `on_list` hears each kind
    as it arrives, so work that needs one kind may start before the slowest LIST ends."""

    snapshot = Snapshot(namespace)

    async def one(kind: str) -> tuple[str, list[Raw] | KubeError]:
        try:
            found, path, version = await list_kind_versioned(kube, kind, namespace)
        except KubeError as error:
            return kind, error
        if version:
            snapshot.listed[kind] = (list(found), path, version)
        if on_list is not None:
            on_list(kind, found)
        return kind, found

    async def mesh_routes() -> tuple[str, list[Raw] | KubeError]:
        # Asked in the same round as the rest; only used when a serverless model exists.
        try:
            if mesh is not None:
                return MESH_ROUTES, await mesh.routes()
            return MESH_ROUTES, await list_mesh_routes(kube)
        except KubeError as error:
            return MESH_ROUTES, error

    calls: list[Callable[[], Awaitable[tuple[str, list[Raw] | KubeError]]]] = [
        functools.partial(one, k) for k in kinds
    ]
    if namespace and "routes" in kinds and namespace != MESH_NAMESPACE:
        calls.append(mesh_routes)
    if sequential:
        outcomes = [await call() for call in calls]
    else:
        outcomes = list(await asyncio.gather(*(call() for call in calls)))
    for kind, outcome in outcomes:
        if kind == MESH_ROUTES:
            if not isinstance(outcome, KubeError):
                add_mesh_routes(snapshot, outcome)
        elif isinstance(outcome, KubeError):
            snapshot.errors[kind] = outcome
        else:
            snapshot.raw[kind] = outcome
    return snapshot


async def list_mesh_routes(kube: KubeClient) -> list[Raw]:
    path = kind_path("routes", MESH_NAMESPACE)
    return await kube.list(path, label_selector=SERVERLESS_ROUTE_LABEL)


class SharedMeshRoutes:
    """The service mesh's routes, listed once for every project of a sweep: they live in one
    namespace, and asking for all of them again per project costs the fleet's size squared."""

    def __init__(self, kube: KubeClient) -> None:
        self._kube = kube
        self._listed: asyncio.Task[list[Raw]] | None = None

    async def routes(self) -> list[Raw]:
        if self._listed is None:
            self._listed = asyncio.ensure_future(list_mesh_routes(self._kube))
        return await asyncio.shield(self._listed)


def add_mesh_routes(snapshot: Snapshot, routes: list[Raw]) -> None:
    """Serverless KServe routes live in the service-mesh namespace (docs/domain.md §1.6): keep this project's."""
    serverless = [d for d in snapshot.deployments if d.mode == "Serverless"]
    names = {d.name for d in serverless}
    hosts = {d.url.split("://", 1)[-1].split("/")[0] for d in serverless}
    for route in routes:
        spec_host = (route.get("spec") or {}).get("host", "")
        label = (route["metadata"].get("labels") or {}).get(SERVERLESS_ROUTE_LABEL)
        if label in names and spec_host in hosts:
            snapshot.raw.setdefault("routes", []).append(route)
