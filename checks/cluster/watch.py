"""An informer, as client-go's reflector runs one: LIST once, then WATCH from the LIST's
resourceVersion (bookmarks on, a server-side timeout), keep a local copy of the objects, remember
the last resourceVersion (a BOOKMARK's too), LIST again only on 410 Gone, and back off
(capped, doubling) on errors and dropped connections. Read-only: GET, LIST and WATCH only."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from checks.cluster.kube import KubeClient, Raw
from checks.cluster.list_pages import trimmed
from checks.cluster.snapshot_kinds import FALLBACK_PREFIXES, KIND_PATHS, kind_path
from checks.cluster.watch_lines import WatchLineError, events
from checks.errors import KubeError
from checks.text import one_line

WATCH_TIMEOUT_S = 300  # client-go asks for 5 to 10 min; the server ends the watch, we start another
BACKOFF_FIRST_S = 0.8
BACKOFF_CAP_S = 30.0
SETTLED = frozenset({"forbidden", "not-found"})  # asking again soon will not change the answer
SETTLED_BACKOFF_S = 300.0
HEALTHY_FOR_S = 30.0
Key = tuple[str, str]  # (namespace, name)


class Gone(Exception):
    """410: the resourceVersion we resume from was compacted away; LIST again."""


@dataclass(frozen=True)
class Change:
    """One object that changed, as the informer's copy saw it (`before` is None when new)."""

    type: str  # ADDED, MODIFIED, DELETED
    kind: str  # the plural, as the snapshot's kinds: pods, events, inferenceservices…
    obj: Raw
    before: Raw | None
    at: float = field(default_factory=time.time)


Listener = Callable[["Informer", Change | None], None]  # None: synced, failed or healthy again


def key_of(obj: Raw) -> Key:
    meta = obj.get("metadata") or {}
    return str(meta.get("namespace") or ""), str(meta.get("name") or "")


Seed = tuple[list[Raw], str, str]  # a LIST's items, the path that answered, its resourceVersion


class Informer:
    """One kind in one namespace (None: all namespaces), shared by every listener."""

    def __init__(
        self,
        kube: KubeClient,
        kind: str,
        namespace: str | None,
        *,
        watch_timeout_s: int = WATCH_TIMEOUT_S,
        backoff_cap_s: float = BACKOFF_CAP_S,
    ) -> None:
        self.kube, self.kind, self.namespace = kube, kind, namespace
        self.path = kind_path(kind, namespace)
        self.items: dict[Key, Raw] = {}
        self.resource_version = ""
        self.synced = asyncio.Event()  # the first LIST is in (or failed for good)
        self.error: KubeError | None = None  # the last failure, cleared once watching again
        self.watching = False
        self.lists = 0  # LISTs made: one, plus one per 410 (and per failure before a LIST)
        self.watch_timeout_s, self.backoff_cap_s = watch_timeout_s, backoff_cap_s
        self._listeners: list[Listener] = []
        self._relist = False
        self._task: asyncio.Task[None] | None = None

    # -- for the listeners ----------------------------------------------------------------
    @property
    def healthy(self) -> bool:
        """Watching, or refused for good (a kind you may not list: a LIST would not help)."""
        return self.watching or (self.error is not None and self.error.kind in SETTLED)

    def objects(self) -> list[Raw]:
        return list(self.items.values())

    def listen(self, listener: Listener) -> Callable[[], None]:
        """Hear every change; the returned function stops listening."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    @property
    def listened(self) -> bool:
        return bool(self._listeners)

    def start(self, seed: Seed | None = None) -> None:
        """Start listing and watching; with `seed` (a LIST just made of this kind here, and
        its resourceVersion), watch on from it: the API server is not asked the same LIST
        twice. A seed too old (410) is listed again, as any watch that falls behind."""
        if self._task is not None:
            return
        if seed is not None:
            items, self.path, self.resource_version = seed
            self.items = {key_of(item): item for item in items}
            self.synced.set()
        self._task = asyncio.ensure_future(self._run(need_list=seed is None))

    def cancel(self) -> None:
        """Stop now, without waiting for the task to wind down."""
        if self._task is not None:
            self._task.cancel()
            self._task = None
        self.watching = False

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        self.watching = False

    def _tell(self, change: Change | None) -> None:
        for listener in list(self._listeners):
            listener(self, change)

    # -- the loop -------------------------------------------------------------------------
    async def _run(self, need_list: bool = True) -> None:
        backoff = BACKOFF_FIRST_S
        while True:
            started, listed = time.monotonic(), False
            try:
                if need_list:
                    await self._list()
                    need_list, listed = False, True
                await self._watch()
                backoff = BACKOFF_FIRST_S  # a watch the server ended on time: start another
            except Gone:
                self.watching = False
                if listed and time.monotonic() - started < 1.0:
                    await asyncio.sleep(backoff)  # Gone again right after a LIST: not in a loop
                    backoff = min(backoff * 2, self.backoff_cap_s)
                need_list = True
            except Exception as error:  # a closed client's RuntimeError, or any surprise:
                if not isinstance(error, KubeError):  # it is said, and the informer goes on
                    error = KubeError(
                        "connect",
                        f"the watch of {self.kind} stopped: "
                        f"{one_line(str(error)) or type(error).__name__}",
                    )
                if error.status == 410:  # an API server that answers the request itself 410
                    need_list, backoff, self.watching = True, BACKOFF_FIRST_S, False
                    continue
                if time.monotonic() - started > HEALTHY_FOR_S:
                    backoff = BACKOFF_FIRST_S  # it worked for a while: a drop is news, not a storm
                self._failed(error)
                settled = error.kind in SETTLED
                await asyncio.sleep(SETTLED_BACKOFF_S if settled else backoff)
                backoff = min(backoff * 2, self.backoff_cap_s)
                need_list = need_list or settled or self._relist
                self._relist = False

    def _failed(self, error: KubeError) -> None:
        was_healthy = self.healthy
        self.watching, self.error = False, error
        if not self.synced.is_set() and error.kind in SETTLED:
            self.synced.set()  # no data will come: say so rather than wait
        if was_healthy or error.kind in SETTLED:
            self._tell(None)

    async def _list(self) -> None:
        """LIST every page; the copy is replaced and the differences told as changes."""
        self.lists += 1
        path, fresh, version = self.path, {}, ""
        params: dict[str, str | int] = {"limit": 500}
        while True:
            try:
                page = await self.kube.get_json(path, params)
            except KubeError as error:
                older = FALLBACK_PREFIXES.get(self.kind)
                if error.kind != "not-found" or older is None or path != self.path:
                    raise
                path = path.replace(KIND_PATHS[self.kind][0], older, 1)
                continue
            api_version = "/".join(path.removeprefix("/apis/").split("/")[:2])
            for item in page.get("items") or []:
                if isinstance(item, dict) and isinstance(item.get("metadata"), dict):
                    item.setdefault("apiVersion", api_version)
                    fresh[key_of(item)] = trimmed(item)  # as a snapshot's LIST keeps them
            meta = page.get("metadata") or {}
            version = str(meta.get("resourceVersion") or version)
            if not meta.get("continue"):
                break
            params["continue"] = str(meta["continue"])
        self.path = path
        before, self.items, self.resource_version = self.items, fresh, version
        for key, obj in fresh.items():
            old = before.get(key)
            if old is None or _version(old) != _version(obj):
                self._tell(Change("MODIFIED" if old else "ADDED", self.kind, obj, old))
        for key, old in before.items():
            if key not in fresh:
                self._tell(Change("DELETED", self.kind, old, old))
        self.error = None
        first = not self.synced.is_set()
        self.synced.set()
        if first:
            self._tell(None)

    async def _watch(self) -> None:
        params = {
            "watch": "true",
            "resourceVersion": self.resource_version,
            "allowWatchBookmarks": "true",
            "timeoutSeconds": str(self.watch_timeout_s),
        }
        async with self.kube.stream(self.path, params, self.watch_timeout_s + 30.0) as answer:
            if not self.watching:
                self.watching, self.error = True, None
                self._tell(None)
            try:
                async for event in events(answer.aiter_bytes()):
                    self._apply(event.type, event.object)
            except WatchLineError as error:  # resume from the last good resourceVersion
                raise KubeError("bad-response", f"watch of {self.kind}: {error}") from error

    def _apply(self, kind: str, obj: Raw) -> None:
        if kind == "ERROR":
            code = obj.get("code")
            if code == 410:
                raise Gone(one_line(str(obj.get("message") or "Gone")))
            message = one_line(str(obj.get("message") or obj.get("reason") or code))[:300]
            self._relist = True  # client-go lists again after any other ERROR event
            raise KubeError("bad-response", f"the watch of {self.kind} ended: {message}")
        version = _version(obj)
        if version:
            self.resource_version = version
        if kind == "BOOKMARK":
            return
        obj, key = trimmed(obj), key_of(obj)
        before = self.items.get(key)
        if kind == "DELETED":
            self.items.pop(key, None)
        else:
            self.items[key] = obj
        self._tell(Change(kind, self.kind, obj, before))


def _version(obj: Raw) -> str:
    return str((obj.get("metadata") or {}).get("resourceVersion") or "")
