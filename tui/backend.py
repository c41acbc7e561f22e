"""The console's one door to the cluster: the headless engine in checks/, behind one client.

Every call here is a coroutine the screens run in Textual workers; nothing here knows Textual.
"""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from checks import connect
from checks.connect import ClusterConfig, ConnectionOptions
from checks.context import CheckContext, CheckOptions
from checks.engine import Report, Result
from checks.errors import KubeError
from checks.kube import KubeClient
from checks.report import Redactor
from checks.resources import Deployment, Project
from checks.snapshot import Snapshot, load_projects, load_snapshot


@dataclass(frozen=True)
class Identity:
    context: str
    server: str
    user: str
    namespace: str


class Backend:
    def __init__(
        self,
        options: ConnectionOptions,
        check_options: CheckOptions | None = None,
    ) -> None:
        self.options = options
        self.check_options = check_options or CheckOptions()
        self.cluster: ClusterConfig | None = None
        self._kube: KubeClient | None = None

    @property
    def kube(self) -> KubeClient:
        assert self._kube is not None, "connect() first"
        return self._kube

    async def connect(self) -> Identity:
        """Resolve the connection and ask who we are: the first request that can fail."""
        await self.close()
        # In a thread: an exec plugin (oc, aws, gcloud) may take seconds to hand out a token.
        self.cluster = await asyncio.to_thread(connect.resolve, self.options)
        self._kube = KubeClient(self.cluster)
        try:
            user = await self._kube.whoami()
        except KubeError as error:
            if error.kind in ("forbidden", "not-found"):
                user = self.cluster.user or "unknown"
            else:
                raise
        return Identity(
            self.cluster.context or "-", self.cluster.server, user, self.cluster.namespace
        )

    def contexts(self) -> list[str]:
        """The kubeconfig's context names, for the palette's switch (no kubernetes import)."""
        import yaml

        from checks.connect import _kubeconfig_paths
        from checks.kubeconfig import _load

        paths = _kubeconfig_paths(self.options.kubeconfig)
        if not paths:
            return []
        try:
            return list(_load(paths)["contexts"])
        except (OSError, ValueError, AttributeError, TypeError, yaml.YAMLError):
            return []  # an unreadable kubeconfig offers no contexts to switch to

    async def all_deployments(self) -> list[Deployment]:
        """Every deployment the user may list across projects (the palette's jump)."""
        from checks.resources import Deployment
        from checks.snapshot import kind_path

        raw = await self.kube.list(kind_path("inferenceservices", None))
        return [Deployment.parse(x) for x in raw]

    def redactor(self, snapshot: Snapshot) -> Redactor:
        """Every secret value a diagnosis of this project could show, known before it starts."""
        from checks.diagnose import redactor_for

        assert self.cluster is not None
        return redactor_for(snapshot, self.check_options, self.cluster)

    async def close(self) -> None:
        if self._kube is not None:
            await self._kube.aclose()
            self._kube = None

    async def projects(self) -> list[Project]:
        return await load_projects(self.kube)

    async def snapshot(self, namespace: str) -> Snapshot:
        return await load_snapshot(self.kube, namespace)

    async def log(
        self, namespace: str, pod: str, container: str, *, tail: int | None, previous: bool
    ) -> str:
        return await self.kube.log(namespace, pod, container, tail_lines=tail, previous=previous)

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

    def context_for(self, snapshot: Snapshot, deployment: Deployment) -> CheckContext:
        """The context the checks and the composer work in, for one deployment."""
        assert self.cluster is not None
        return CheckContext(self.cluster, self.kube, snapshot, deployment, self.check_options)

    async def diagnose(
        self,
        snapshot: Snapshot,
        namespace: str,
        name: str,
        on_result: Callable[[Result], Awaitable[None] | None],
    ) -> tuple[Report, Redactor]:
        from checks.diagnose import diagnose

        assert self.cluster is not None
        return await diagnose(
            self.kube,
            self.cluster,
            namespace,
            name,
            self.check_options,
            snapshot=snapshot,
            on_result=on_result,
        )
