"""A generic in-memory resource store with resourceVersions and watch, like etcd behind an API server."""

from __future__ import annotations

import asyncio
import copy
import itertools
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from lab.kube.kinds import Kind, kind_by_name

Obj = dict[str, Any]
Key = tuple[str, str, str]  # (kind name, namespace, name)
HISTORY = 5000  # events kept for watches that resume; older resourceVersions are compacted


def now_rfc3339() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class WatchEvent:
    resource_version: int
    type: str  # ADDED, MODIFIED, DELETED
    kind: Kind
    obj: Obj


@dataclass
class Watcher:
    kind: Kind
    namespace: str | None
    accepts: Callable[[Obj], bool]
    queue: asyncio.Queue[WatchEvent | None] = field(default_factory=asyncio.Queue)  # None: drop


class Store:
    """Holds every object of the lab; the API server reads it, the seeder and the ticker write it."""

    def __init__(self) -> None:
        self._objects: dict[Key, Obj] = {}
        # kind -> namespace -> name -> object: a LIST reads its kind, not the whole store (a
        # fleet of a thousand deployments holds tens of thousands of objects)
        self._by_kind: dict[str, dict[str, dict[str, Obj]]] = {}
        self._sorted: dict[str, list[Obj]] = {}  # kind -> all namespaces, sorted (until a write)
        # kind -> index name -> key -> objects (until a write of that kind): lab.router finds a
        # route by its host, and lab.kube.auth a binding by its subject, without reading them all
        self._indexes: dict[str, dict[str, dict[Any, list[Obj]]]] = {}
        self._versions = itertools.count(1000)
        self._current_version = 1000
        self._history: list[WatchEvent] = []
        # etcd's compaction: a watch from a resourceVersion below this is answered 410 Gone
        self.compacted_version = 0
        self._watchers: list[Watcher] = []
        self.logs: dict[tuple[str, str, str, bool], list[str]] = {}
        # when each log line was written (lab.kube.pod_logs fills in the seeded ones)
        self.log_stamps: dict[tuple[str, str, str, bool], list[datetime]] = {}
        self.started = datetime.now(UTC)
        # each kind's objects in LIST order, kept until one of that kind changes: a paged LIST
        # of 10,000 objects then costs a page per page, as etcd's range reads do, not a sort
        self._ordered: dict[str, list[Obj]] = {}

    @property
    def resource_version(self) -> int:
        return self._current_version

    def _next_version(self) -> int:
        self._current_version = next(self._versions)
        return self._current_version

    def put(self, obj: Obj) -> Obj:
        """Create or replace an object, filling the metadata a real API server always sets."""
        kind = kind_by_name(obj["kind"])
        meta = obj.setdefault("metadata", {})
        namespace = meta.get("namespace", "") if kind.namespaced else ""
        key = (kind.kind, namespace, meta["name"])
        previous = self._objects.get(key)
        obj["apiVersion"] = kind.api_version
        meta.setdefault("uid", previous["metadata"]["uid"] if previous else str(uuid.uuid4()))
        meta.setdefault(
            "creationTimestamp",
            previous["metadata"]["creationTimestamp"] if previous else now_rfc3339(),
        )
        meta["resourceVersion"] = str(self._next_version())
        meta.setdefault("generation", 1)
        self._objects[key] = obj
        self._by_kind.setdefault(kind.kind, {}).setdefault(namespace, {})[meta["name"]] = obj
        self._sorted.pop(kind.kind, None)
        self._indexes.pop(kind.kind, None)
        self._publish(
            WatchEvent(int(meta["resourceVersion"]), "MODIFIED" if previous else "ADDED", kind, obj)
        )
        return obj

    def delete(self, kind_name: str, namespace: str, name: str) -> None:
        kind = kind_by_name(kind_name)
        namespace = namespace if kind.namespaced else ""
        obj = self._objects.pop((kind.kind, namespace, name), None)
        self._by_kind.get(kind.kind, {}).get(namespace, {}).pop(name, None)
        self._sorted.pop(kind.kind, None)
        self._indexes.pop(kind.kind, None)
        if obj is not None:
            obj = copy.deepcopy(obj)
            obj["metadata"]["resourceVersion"] = str(self._next_version())
            self._publish(WatchEvent(self._current_version, "DELETED", kind, obj))

    def get(self, kind: Kind, namespace: str, name: str) -> Obj | None:
        return self._objects.get((kind.kind, namespace if kind.namespaced else "", name))

    def list(self, kind: Kind, namespace: str | None = None) -> list[Obj]:
        spaces = self._by_kind.get(kind.kind, {})
        if namespace is not None:
            return sorted(spaces.get(namespace, {}).values(), key=lambda o: o["metadata"]["name"])
        if (cached := self._sorted.get(kind.kind)) is None:
            items = [obj for names in spaces.values() for obj in names.values()]
            cached = self._sorted[kind.kind] = sorted(
                items, key=lambda o: (o["metadata"].get("namespace", ""), o["metadata"]["name"])
            )
        return list(cached)

    def indexed(
        self, kind: Kind, name: str, keys: Callable[[Obj], Iterable[Any]]
    ) -> dict[Any, list[Obj]]:
        """The kind's objects (all namespaces, LIST order) under each of their `keys`, built
        once and kept until an object of that kind is written; `name` tells indexes apart."""
        by_name = self._indexes.setdefault(kind.kind, {})
        if (index := by_name.get(name)) is None:
            index = by_name[name] = {}
            for obj in self.list(kind):
                for key in keys(obj):
                    index.setdefault(key, []).append(obj)
        return index

    def iter_kind(self, kind_name: str) -> Iterator[Obj]:
        yield from self.list(kind_by_name(kind_name))

    def _publish(self, event: WatchEvent) -> None:
        self._history.append(event)
        if len(self._history) > HISTORY:
            self.compacted_version = self._history[-HISTORY - 1].resource_version
            del self._history[:-HISTORY]
        for watcher in self._watchers:
            if self._wanted(watcher, event):
                watcher.queue.put_nowait(event)

    def compact(self) -> int:
        """Forget the history, as etcd's compaction does: older resourceVersions are gone (410)."""
        self._history.clear()
        self.compacted_version = self._current_version
        return self.compacted_version

    def too_old(self, since: int) -> bool:
        return since < self.compacted_version

    def drop_watches(self) -> int:
        """Cut every open watch's connection (a load balancer's idle timeout, a restart)."""
        for watcher in self._watchers:
            watcher.queue.put_nowait(None)
        return len(self._watchers)

    @staticmethod
    def _wanted(watcher: Watcher, event: WatchEvent) -> bool:
        if event.kind != watcher.kind:
            return False
        namespace = event.obj["metadata"].get("namespace")
        if watcher.namespace is not None and namespace != watcher.namespace:
            return False
        return watcher.accepts(event.obj)

    def watch(
        self, kind: Kind, namespace: str | None, accepts: Callable[[Obj], bool], since: int | None
    ) -> Watcher:
        """Register a watcher; events after `since` that are still in history are replayed."""
        watcher = Watcher(kind, namespace, accepts)
        if since is not None:
            for event in self._history:
                if event.resource_version > since and self._wanted(watcher, event):
                    watcher.queue.put_nowait(event)
        self._watchers.append(watcher)
        return watcher

    def unwatch(self, watcher: Watcher) -> None:
        if watcher in self._watchers:
            self._watchers.remove(watcher)
