"""A sweep of many projects lists each kind once across all namespaces, as `kubectl get -A`
does, and hands every project the snapshot a LIST in that project would have given.

Per project that is fourteen LISTs; over 200 projects, 2,800 requests the API server answers
one by one. Across namespaces it is fourteen (paged, 500 at a time). A kind the user may not
list across namespaces (a project admin's secrets) is listed project by project, as before;
one the cluster does not serve (404) is recorded for every project without asking again."""

from __future__ import annotations

import asyncio
from typing import Any

from checks import resources
from checks.cluster.exposure_lists import Exposure, list_exposure
from checks.cluster.kind_lists import list_kind
from checks.cluster.kube import KubeClient, Raw
from checks.cluster.project_list import load_projects
from checks.cluster.snapshot import (
    MESH_NAMESPACE,
    SERVERLESS_ROUTE_LABEL,
    SharedMeshRoutes,
    Snapshot,
    add_mesh_routes,
)
from checks.cluster.snapshot_kinds import KIND_PATHS
from checks.errors import KubeError


class ClusterLists:
    """Every kind's objects grouped by namespace; each project's share is handed out once and
    then dropped, so memory falls as the sweep goes."""

    def __init__(self, kube: KubeClient, kinds: tuple[str, ...] = tuple(KIND_PATHS)) -> None:
        self._kube, self._kinds = kube, kinds
        self._by_kind: dict[str, dict[str, list[Raw]]] = {}
        self._not_served: dict[str, KubeError] = {}
        self._mesh_routes: list[Raw] | None = None
        self._fallback_mesh = SharedMeshRoutes(kube)
        self._exposure: Exposure = {}
        self._projects: dict[str, resources.Project] = {}

    async def load(self) -> None:
        async def one(kind: str) -> tuple[str, list[Raw] | KubeError]:
            try:
                return kind, await list_kind(self._kube, kind, None)
            except KubeError as error:
                return kind, error

        listed, _ = await asyncio.gather(
            asyncio.gather(*(one(k) for k in self._kinds)), self._load_projects()
        )
        for kind, outcome in listed:
            if isinstance(outcome, KubeError):
                if outcome.kind == "not-found":
                    self._not_served[kind] = outcome
                continue  # listed per project
            grouped: dict[str, list[Raw]] = {}
            for item in outcome:
                namespace = ((item.get("metadata") or {}) if isinstance(item, dict) else {}).get(
                    "namespace", ""
                )
                grouped.setdefault(namespace, []).append(item)
            self._by_kind[kind] = grouped
        if any(self._by_kind.get("llminferenceservices", {}).values()):
            self._exposure = await list_exposure(self._kube)
        if "routes" in self._by_kind:
            self._mesh_routes = [
                route
                for route in self._by_kind["routes"].get(MESH_NAMESPACE, [])
                if SERVERLESS_ROUTE_LABEL in ((route.get("metadata") or {}).get("labels") or {})
            ]

    def handed_on(self) -> dict[str, Any]:
        """What `load` listed, for a sweep's helper process (checks/sweep_helper.py), which
        then lists nothing itself; asked before any project's share is handed out."""
        return {
            "by_kind": self._by_kind,
            "not_served": self._not_served,
            "mesh_routes": self._mesh_routes,
            "exposure": self._exposure,
            "projects": self._projects,
        }

    def take(self, listed: dict[str, Any]) -> None:
        """Another process's lists (`handed_on`), instead of `load`."""
        self._by_kind, self._not_served = listed["by_kind"], listed["not_served"]
        self._mesh_routes, self._exposure = listed["mesh_routes"], listed["exposure"]
        self._projects = listed["projects"]

    def drop(self, namespace: str) -> None:
        """A project another process diagnoses: its share goes, as a snapshot's would."""
        for grouped in self._by_kind.values():
            grouped.pop(namespace, None)
        self._projects.pop(namespace, None)

    async def _load_projects(self) -> None:
        """The projects themselves (their labels): a check asks for its project, which was a GET
        per project; one that cannot be listed is still read by that GET."""
        try:
            self._projects = {p.name: p for p in await load_projects(self._kube)}
        except KubeError:
            self._projects = {}

    def deployment_count(self, namespaces: list[str]) -> int | None:
        """How many deployments the projects hold, from the lists already here (a progress
        line's total); None when a kind of deployment was not listed across namespaces."""
        total = 0
        for kind in ("inferenceservices", "llminferenceservices"):
            if kind in self._not_served:
                continue
            if kind not in self._by_kind:
                return None
            total += sum(len(self._by_kind[kind].get(ns, [])) for ns in namespaces)
        return total

    async def snapshot(self, namespace: str) -> Snapshot:
        """The project's snapshot: its share of every kind listed across namespaces, the rest
        listed here."""
        snapshot = Snapshot(
            namespace, exposure=self._exposure, project=self._projects.pop(namespace, None)
        )
        own = [k for k in self._kinds if k not in self._by_kind and k not in self._not_served]

        async def one(kind: str) -> tuple[str, list[Raw] | KubeError]:
            try:
                return kind, await list_kind(self._kube, kind, namespace)
            except KubeError as error:
                return kind, error

        listed = dict(await asyncio.gather(*(one(k) for k in own)))
        for kind in self._kinds:
            if kind in self._by_kind:
                snapshot.raw[kind] = self._by_kind[kind].pop(namespace, [])
            elif kind in self._not_served:
                snapshot.errors[kind] = self._not_served[kind]
            elif isinstance(outcome := listed[kind], KubeError):
                snapshot.errors[kind] = outcome
            else:
                snapshot.raw[kind] = outcome
        if "routes" in self._kinds and namespace != MESH_NAMESPACE:
            try:
                mesh = self._mesh_routes
                if mesh is None:
                    mesh = await self._fallback_mesh.routes()
                add_mesh_routes(snapshot, mesh)
            except KubeError:
                pass  # as a project's own snapshot: the mesh's routes are a bonus
        return snapshot
