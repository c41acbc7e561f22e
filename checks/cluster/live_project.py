"""A project kept current by informers (checks.cluster.informers): the kinds a snapshot lists,
each watched once, and the Snapshot of their state now whenever a face asks. The LIST happens
once per kind; after that only the changes travel."""

from __future__ import annotations

from collections.abc import Callable

from checks.cluster.informers import Informers, Subscription
from checks.cluster.snapshot import (
    MESH_NAMESPACE,
    SERVERLESS_ROUTE_LABEL,
    Snapshot,
    add_mesh_routes,
)
from checks.cluster.snapshot_kinds import KIND_PATHS
from checks.cluster.watch import Change, Informer, Seed

OnChange = Callable[[Change | None], None]  # None: an informer synced, failed or recovered


class LiveProject:
    def __init__(
        self,
        informers: Informers,
        namespace: str | None,
        on_change: OnChange,
        kinds: tuple[str, ...] = tuple(KIND_PATHS),
        seed: Snapshot | None = None,
    ) -> None:
        """`seed`: a snapshot of this project just read; its LISTs start the informers (each
        watches on from its LIST's resourceVersion), so opening a project LISTs each kind once."""
        self.namespace, self.on_change = namespace, on_change

        def heard(_informer: Informer, change: Change | None) -> None:
            self.on_change(change)

        self._subs: list[Subscription] = [
            informers.subscribe(k, namespace, heard, _seed_of(seed, k, namespace)) for k in kinds
        ]
        self._mesh: Subscription | None = None
        if "routes" in kinds and namespace != MESH_NAMESPACE:  # serverless routes live there
            self._mesh = informers.subscribe("routes", MESH_NAMESPACE, heard)

    @property
    def informers(self) -> list[Informer]:
        return [s.informer for s in self._subs]

    @property
    def _watched(self) -> list[Informer]:
        """The project's informers and the mesh's routes: a Serverless model's route lives in
        the mesh's namespace, so a snapshot taken before that LIST is in lacks the route."""
        return [*self.informers, *([self._mesh.informer] if self._mesh else [])]

    @property
    def synced(self) -> bool:
        return all(i.synced.is_set() for i in self._watched)

    @property
    def healthy(self) -> bool:
        """Every kind is watched (or refused for good): no LIST would tell more."""
        return self.synced and all(i.healthy for i in self._watched)

    def problem(self) -> str:
        """The first failing watch, in one line; "" when all are healthy."""
        return next((str(i.error) for i in self._watched if not i.healthy and i.error), "")

    def snapshot(self) -> Snapshot:
        """The project as the informers hold it now; a kind whose LIST failed keeps its error."""
        snapshot = Snapshot(self.namespace)
        for informer in self.informers:
            if (informer.synced.is_set() and informer.error is None) or informer.items:
                snapshot.raw[informer.kind] = informer.objects()
            elif informer.error is not None:
                snapshot.errors[informer.kind] = informer.error
        if self._mesh is not None and self._mesh.informer.items:
            routes = [
                r
                for r in self._mesh.informer.objects()
                if SERVERLESS_ROUTE_LABEL in ((r.get("metadata") or {}).get("labels") or {})
            ]
            add_mesh_routes(snapshot, routes)
        return snapshot

    def close(self) -> None:
        for sub in [*self._subs, *([self._mesh] if self._mesh else [])]:
            sub.close()
        self._subs, self._mesh = [], None


def _seed_of(snapshot: Snapshot | None, kind: str, namespace: str | None) -> Seed | None:
    """The kind's LIST in `snapshot` as it came, if it read this namespace and the LIST said
    its version (not `raw`: a project's routes there include the mesh's)."""
    if snapshot is None or snapshot.namespace != namespace:
        return None
    return snapshot.listed.get(kind)
