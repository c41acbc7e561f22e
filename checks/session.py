"""The one API both faces use: connect once (flags + environment -> SessionOptions), then list
projects, load a project's snapshot, find a deployment, diagnose it (a Report already redacted),
and build the request to its model. The CLI commands and the console's screens call only this,
so they cannot disagree about a CA, a token or a state."""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from checks.cluster import connect
from checks.cluster.connect import ClusterConfig
from checks.cluster.kind_lists import list_kind
from checks.cluster.kube import KubeClient
from checks.cluster.log_follow import LogReads
from checks.cluster.project_list import load_projects
from checks.cluster.snapshot import (
    KIND_PATHS,
    SharedMeshRoutes,
    Snapshot,
    kind_path,
    load_snapshot,
)
from checks.errors import DoctorError, ErrorKind, KubeError
from checks.options import SessionOptions
from checks.resources import LLMISVC, AnyDeployment, Deployment, LLMService
from checks.storage.early import warm_when_listed
from checks.transport.addressing import overrides

# What only a diagnosis or a request needs (the check catalog, the engine, the redactor, the
# model request) loads when one is asked for: `get` and the console's first frame go without.
if TYPE_CHECKING:
    from checks.cluster.all_namespaces import ClusterLists
    from checks.cluster.informers import Informers
    from checks.cluster.live_project import LiveProject, OnChange
    from checks.endpoints.routes import RouteAccess
    from checks.engine.context import CheckContext
    from checks.engine.redaction import Redactor
    from checks.engine.runner import Check, Report, Result
    from checks.request.chat_request import ChatRequest
    from checks.request.model_request import ModelRequest
    from checks.resources import Project
    from checks.resources.fleet import FleetRow

OnResult = Callable[["Result"], Awaitable[None] | None]
TLS_WARNING = (
    "warning: TLS certificates are NOT verified (--insecure-skip-tls-verify or the kubeconfig): "
    "anyone between you and the cluster can read your token and answers"
)


@dataclass(frozen=True)
class Identity:
    context: str
    server: str
    user: str
    namespace: str
    offline: str = ""  # "offline · captured <time> from <context>" for a capture, else ""


class Session(LogReads):
    """One user on one cluster; `async with Session(options) as session:` connects and closes."""

    offline = ""  # a capture-backed session (checks.capture.session) says why live is not there

    def __init__(
        self, options: SessionOptions, on_warning: Callable[[str], None] | None = None
    ) -> None:
        self.options = options
        self.on_warning = on_warning
        self.cluster: ClusterConfig | None = None
        self._kube: KubeClient | None = None
        self._routes: RouteAccess | None = None
        self._informers: Informers | None = None

    async def __aenter__(self) -> Session:
        await self.resolve()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    # -- connection ----------------------------------------------------------------------
    async def resolve(self) -> ClusterConfig:
        """Read the kubeconfig (in a thread: an exec plugin may take seconds) and get clients."""
        await self.close()
        cluster = await asyncio.to_thread(connect.resolve, self.options.connection)
        self.adopt(cluster)
        if self.tls_unverified and self.on_warning is not None:
            self.on_warning(TLS_WARNING)
        return cluster

    def adopt(self, cluster: ClusterConfig) -> None:
        """A sweep helper's (checks/sweep_helper.py): the parent's resolved connection."""
        self.cluster, self._kube = cluster, KubeClient(cluster)

    async def connect(self, on_resolved: Callable[[ClusterConfig], None] | None = None) -> Identity:
        """Resolve, then ask who we are: the first request that can fail. `on_resolved` hears
        where we are going before that request (a slow cluster: say so before it answers)."""
        cluster = await self.resolve()
        if on_resolved is not None:
            on_resolved(cluster)
        try:
            user = await self.kube.whoami()
        except KubeError as error:
            if error.kind not in (ErrorKind.FORBIDDEN, ErrorKind.NOT_FOUND):
                raise
            user = cluster.user or "unknown"
        return Identity(cluster.context or "-", cluster.server, user, cluster.namespace)

    async def close(self) -> None:
        if self._informers is not None:
            await self._informers.close()
            self._informers = None
        if self._kube is not None:
            await self._kube.aclose()
            self._kube = None
        if self._routes is not None:
            await self._routes.aclose()
            self._routes = None

    @property
    def tls_unverified(self) -> bool:
        """--insecure-skip-tls-verify, or a kubeconfig that asks for it: said loudly everywhere."""
        return self.options.insecure or (self.cluster is not None and not self.cluster.verify)

    @property
    def kube(self) -> KubeClient:
        if self._kube is None:
            raise DoctorError(ErrorKind.CONNECT, "not connected to a cluster yet")
        return self._kube

    @property
    def routes(self) -> RouteAccess:
        """Route access, built on first use (`get` and the first frame never reach a route)."""
        if self._routes is None:
            if self.cluster is None or self._kube is None:
                raise DoctorError(ErrorKind.CONNECT, "not connected to a cluster yet")
            from checks.endpoints.routes import RouteAccess

            self._routes = RouteAccess(
                ca_file=self.options.route_ca,
                verify=not self.options.insecure,
                timeout=self.options.http_timeout,
                rules=overrides(self.cluster.resolve, self.cluster.connect_to),
            )
        return self._routes

    @property
    def namespace(self) -> str:
        return self.cluster.namespace if self.cluster else ""

    def contexts(self) -> list[str]:
        """The kubeconfig's context names, for a context switch (no kubernetes import)."""
        return connect.context_names(self.options.connection)

    # -- reading -------------------------------------------------------------------------
    async def projects(self) -> list[Project]:
        return await load_projects(self.kube)

    async def snapshot(
        self,
        namespace: str | None,
        kinds: tuple[str, ...] = tuple(KIND_PATHS),
        *,
        mesh: SharedMeshRoutes | None = None,
    ) -> Snapshot:
        return await load_snapshot(self.kube, namespace, kinds, mesh=mesh)

    def informers(self) -> Informers:
        """One watch per kind and scope, shared by every screen (checks.cluster.informers)."""
        if self._informers is None:
            from checks.cluster.informers import Informers

            self._informers = Informers(self.kube)
        return self._informers

    def live_project(
        self, namespace: str, on_change: OnChange, seed: Snapshot | None = None
    ) -> LiveProject:
        """The project's kinds, kept current by watches; `on_change` hears each change. `seed`:
        the snapshot just read of it, whose LISTs the watches go on from."""
        from checks.cluster.live_project import LiveProject

        return LiveProject(self.informers(), namespace, on_change, seed=seed)

    def live_fleet(self, on_change: OnChange, seed: Snapshot | None = None) -> LiveProject:
        """Every project's deployments (the kinds `get deployments -A` reads), kept current by
        watches across namespaces; the fleet's rows are built from its snapshot. `seed`: the
        fleet's snapshot just read (Session.fleet), whose LISTs the watches go on from."""
        from checks.cluster.kinds import view
        from checks.cluster.live_project import LiveProject

        kinds = view("deployments").api_kinds
        return LiveProject(self.informers(), None, on_change, kinds, seed=seed)

    def cluster_lists(self) -> ClusterLists | None:
        """Each kind listed once across namespaces, for a sweep of many projects."""
        from checks.cluster.all_namespaces import ClusterLists

        return ClusterLists(self.kube)

    def shared_mesh_routes(self) -> SharedMeshRoutes | None:
        """One LIST of the mesh's routes for many projects' snapshots (a sweep)."""
        return SharedMeshRoutes(self.kube)

    async def all_deployments(self) -> list[AnyDeployment]:
        """Every deployment the user may list across projects (llm-d ones when they can be read)."""

        async def llm() -> list[AnyDeployment]:
            try:
                return [
                    LLMService.parse(x)
                    for x in await list_kind(self.kube, "llminferenceservices", None)
                ]
            except KubeError:
                return []

        found, llms = await asyncio.gather(  # both kinds at once, each parsed page by page
            self.kube.list_parsed(kind_path("inferenceservices", None), Deployment.parse), llm()
        )
        return [*found, *llms]

    async def fleet(self) -> tuple[list[FleetRow], Snapshot]:
        """Every deployment with the state its pods give, as `get deployments -A` words it (the
        same kinds, listed once across projects): the all-projects view and the project marks;
        and the snapshot they came from (live_fleet's watches go on from its LISTs). Verdicts
        join later, from the sweep (checks.sweep)."""
        from checks.cluster.kinds import view
        from checks.resources.fleet import fleet_rows

        kinds = view("deployments").api_kinds
        snapshot = await self.snapshot(None, kinds)
        snapshot.raise_if_unreachable()
        if (error := snapshot.errors.get(kinds[0])) is not None:
            raise DoctorError(error.kind, snapshot.error_line(kinds[0]) or str(error))
        return fleet_rows(snapshot.all_deployments, snapshot.state_of), snapshot

    async def secret_values(self, namespace: str, name: str) -> dict[str, str]:
        """Decoded values of one secret, fetched only when the user confirmed a reveal."""
        raw = await self.kube.get_json(f"/api/v1/namespaces/{namespace}/secrets/{name}")
        values = {}
        for key, value in (raw.get("data") or {}).items():
            try:
                values[key] = base64.b64decode(value or "").decode("utf-8", "replace")
            except ValueError:
                values[key] = "<not base64>"
        return values

    async def read_signature(self, model: str, connection: str | None = None) -> Any:
        """An ONNX model's signature: a local file, or s3://bucket/key through the named data
        connection of the session's project, read within --request-timeout (a dripping S3 too)."""
        from checks.model_files.inspection import read_model_signature, s3_reader, split_s3

        if not model.startswith("s3://"):
            return await asyncio.to_thread(read_model_signature, model)
        split_s3(model)
        from checks.storage.s3 import warm_up

        warm_up()
        if not connection:
            raise DoctorError(
                ErrorKind.USAGE,
                "s3:// models need --connection NAME (a data connection in -n PROJECT)",
            )
        snapshot = await self.snapshot(self.namespace, ("secrets",))
        snapshot.raise_if_unreachable()
        if (error := snapshot.errors.get("secrets")) is not None:
            raise DoctorError(error.kind, snapshot.error_line("secrets") or str(error))
        found = next((c for c in snapshot.connections if c.name == connection), None)
        if found is None:
            names = ", ".join(c.name for c in snapshot.connections) or "none"
            raise DoctorError(
                ErrorKind.NOT_FOUND,
                f'data connection "{connection}" not found in {self.namespace} (there: {names})',
            )
        read = s3_reader(
            model, found, tuple(self.routes.rules), self.options.http_timeout, self.options.s3_ca
        )
        return await asyncio.to_thread(read)

    # -- one deployment ------------------------------------------------------------------
    async def find(
        self, namespace: str, name: str, snapshot: Snapshot | None = None
    ) -> CheckContext:
        """The deployment and everything checks may ask about it; an unreadable LIST is named
        as what it is, never as "not found"."""
        from checks.engine.context import CheckContext

        early = warm_when_listed(name)  # a request reads the model from S3, as a diagnosis
        snapshot = snapshot or await load_snapshot(self.kube, namespace, on_list=early)
        snapshot.raise_if_unreachable()
        if (error := snapshot.errors.get("inferenceservices")) is not None:
            raise DoctorError(error.kind, snapshot.error_line("inferenceservices") or str(error))
        deployment = snapshot.any_deployment(name, namespace)
        broken = [
            line
            for kind in ("inferenceservices", "llminferenceservices")
            for line in snapshot.unreadable.get(kind, [])
            if line.startswith(f"{kind} {namespace}/{name} ")
        ]
        if deployment is None and broken:
            raise DoctorError(ErrorKind.BAD_RESPONSE, broken[0])
        if deployment is None:
            names = ", ".join(d.name for d in snapshot.all_deployments) or "none"
            raise DoctorError(
                ErrorKind.NOT_FOUND,
                f'deployment "{name}" not found in {namespace} (deployments there: {names})',
            )
        assert self.cluster is not None  # set by resolve(), which self.kube needed
        return CheckContext(
            cluster=self.cluster,
            kube=self.kube,
            snapshot=snapshot,
            deployment=deployment,
            options=self.options,
            routes=self.routes,
        )

    def redactor(self, snapshot: Snapshot) -> Redactor:
        """Every secret value a view of this project could show."""
        from checks.engine.redaction import Redactor, redactor_for

        if self.cluster is None:
            return Redactor()
        return redactor_for(snapshot, self.options, self.cluster)

    async def diagnose(
        self,
        namespace: str,
        name: str,
        *,
        snapshot: Snapshot | None = None,
        on_result: OnResult | None = None,
        timeout_s: float = 30.0,
        sequential: bool = False,
        on_context: Callable[[CheckContext], None] | None = None,
        checks: tuple[Check, ...] | None = None,
    ) -> Report:
        """Every check (or `checks`: a sweep's first look), concurrently; each result is
        redacted before anyone sees it. `on_context` is handed the context the checks ran in
        (a capture reads its facts)."""
        from checks.catalog import CATALOG
        from checks.engine.redaction import redact_report, redact_result
        from checks.engine.report import report_target
        from checks.engine.runner import Report, run_checks

        if snapshot is None and sequential:  # else find lists it, starting boto3 early
            snapshot = await load_snapshot(self.kube, namespace, sequential=True)
        ctx = await self.find(namespace, name, snapshot)
        snapshot = ctx.snapshot
        if ctx.reads_s3:
            from checks.storage.s3 import warm_up

            warm_up()  # boto3's import while the first checks wait on the network
        if on_context is not None:
            on_context(ctx)
        redact = self.redactor(snapshot)

        async def arrived(result: Result) -> None:
            if on_result is not None:
                maybe = on_result(redact_result(result, redact))
                if asyncio.iscoroutine(maybe):
                    await maybe

        results = await run_checks(
            CATALOG if checks is None else checks,
            ctx,
            timeout_s=timeout_s,
            on_result=arrived,
            max_concurrency=1 if sequential else None,
        )
        target = report_target(ctx.deployment, snapshot, self.tls_unverified)
        return redact_report(Report(target, results), redact)

    async def request(
        self,
        namespace: str,
        name: str,
        *,
        snapshot: Snapshot | None = None,
        data: list | None = None,
    ) -> ModelRequest | ChatRequest:
        """The request to the deployment's model, prefilled from its signature — or, for a
        generative (vLLM) deployment, an OpenAI chat request to its served model."""
        from checks.engine.facts import is_generative
        from checks.request.chat_request import prepare_chat
        from checks.request.model_request import prepare

        ctx = await self.find(namespace, name, snapshot)
        if ctx.reads_s3:
            from checks.storage.s3 import warm_up

            warm_up()  # the model's signature is read from S3: boto3 loads meanwhile
        if is_generative(ctx) and ctx.deployment.kind != LLMISVC:
            return await prepare_chat(ctx)
        return await prepare(ctx, data)
