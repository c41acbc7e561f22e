"""Streaming answers: watch (chunked JSON lines, replay from a resourceVersion) and pod logs
(container, tail, previous, follow, timestamps, since: lab.kube.pod_logs)."""

from __future__ import annotations

import asyncio
import json
import time
from datetime import datetime
from typing import TYPE_CHECKING, Any

from aiohttp import web

from lab.kube import pod_logs
from lab.kube.auth import (
    Attributes,
    UserInfo,
)
from lab.kube.errors import ApiError, Target, _not_found
from lab.kube.request_log import RequestLog
from lab.kube.store import Obj, Store

BOOKMARK_SECONDS = 5.0  # kube-apiserver sends one about every minute; the lab sooner


def _expired(since: int, compacted: int) -> Obj:
    return {
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Failure",
        "message": f"too old resource version: {since} ({compacted})",
        "reason": "Expired",
        "code": 410,
    }


class Streams:
    store: Store  # the ApiServer's, of which this is a part
    log: RequestLog

    if TYPE_CHECKING:

        def _matching(
            self, request: web.Request, user: UserInfo, target: Target, verb: str
        ) -> tuple[list[Obj], Any]: ...

        def _require(self, user: UserInfo, attrs: Attributes) -> None: ...

    bookmark_s: float = BOOKMARK_SECONDS

    async def _watch(
        self, request: web.Request, user: UserInfo, target: Target
    ) -> web.StreamResponse:
        items, accepts = self._matching(request, user, target, "watch")
        since_param = request.query.get("resourceVersion")
        try:
            since = int(since_param) if since_param and since_param != "0" else None
            timeout = float(request.query.get("timeoutSeconds") or 1800)
        except ValueError as error:
            raise ApiError(400, "BadRequest", f"invalid watch parameter: {error}") from error
        bookmarks = request.query.get("allowWatchBookmarks") in ("1", "true")
        namespace = target.namespace if target.kind.namespaced and target.namespace else None
        response = web.StreamResponse(headers={"Content-Type": "application/json"})
        response.enable_chunked_encoding()
        if since is not None and self.store.too_old(since):
            # kube-apiserver answers 200 and one ERROR event with a 410 Status (the watch cache)
            await response.prepare(request)
            await self._send(response, "ERROR", _expired(since, self.store.compacted_version))
            return response
        watcher = self.store.watch(target.kind, namespace, accepts, since)
        await response.prepare(request)
        deadline = time.monotonic() + timeout
        try:
            if since is None:
                for obj in items:
                    await self._send(response, "ADDED", obj)
            while (remaining := deadline - time.monotonic()) > 0:
                wait = min(remaining, self.bookmark_s) if bookmarks else remaining
                try:
                    event = await asyncio.wait_for(watcher.queue.get(), timeout=wait)
                except TimeoutError:
                    if bookmarks:  # also the last word before the timeout ends the watch
                        await self._send(response, "BOOKMARK", self._bookmark(target))
                    continue
                if event is None:  # the lab cuts the connection: no clean end of the stream
                    if request.transport is not None:
                        request.transport.abort()
                    break
                await self._send(response, event.type, event.obj)
        except (ConnectionResetError, asyncio.CancelledError):
            pass
        finally:
            self.store.unwatch(watcher)
        return response

    def _bookmark(self, target: Target) -> Obj:
        """Only the kind and the current resourceVersion, as the API server's bookmarks carry."""
        kind = target.kind
        version = str(self.store.resource_version)
        return {
            "kind": kind.kind,
            "apiVersion": kind.api_version,
            "metadata": {"resourceVersion": version},
        }

    @staticmethod
    async def _send(response: web.StreamResponse, kind: str, obj: Obj) -> None:
        line = json.dumps({"type": kind, "object": obj}) + "\n"
        await response.write(line.encode())

    async def _pod_log(
        self, request: web.Request, user: UserInfo, target: Target
    ) -> web.StreamResponse:
        self._require(user, Attributes("get", "", "pods", target.namespace, target.name, "log"))
        pod = self.store.get(target.kind, target.namespace, target.name)
        if pod is None:
            raise _not_found(target.kind, target.name)
        containers = [c["name"] for c in pod["spec"].get("initContainers") or []] + [
            c["name"] for c in pod["spec"]["containers"]
        ]
        container = request.query.get("container")
        if not container:
            if len(pod["spec"]["containers"]) > 1:
                names = " ".join(c["name"] for c in pod["spec"]["containers"])
                raise ApiError(
                    400,
                    "BadRequest",
                    f"a container name must be specified for pod "
                    f"{target.name}, choose one of: [{names}]",
                )
            container = pod["spec"]["containers"][0]["name"]
        if container not in containers:
            raise ApiError(
                400, "BadRequest", f"container {container} is not valid for pod {target.name}"
            )
        previous = request.query.get("previous") in ("1", "true")
        key = (target.namespace, target.name, container, previous)
        if previous and key not in self.store.logs:
            raise ApiError(
                400,
                "BadRequest",
                f'previous terminated container "{container}" in pod "{target.name}" not found',
            )
        count = len(self.store.logs.get(key, []))
        tail = request.query.get("tailLines")
        start = (
            max(count - int(tail), 0) if tail and int(tail) > 0 else (count if tail == "0" else 0)
        )
        first = pod_logs.since(dict(request.query))
        stamped = request.query.get("timestamps") in ("1", "true")
        how = "follow" if request.query.get("follow") in ("1", "true") else "once"
        read = f"{how} {target.namespace}/{target.name}/{container}" + (
            " previous" if previous else ""
        )
        self.log.log_reads[read] = self.log.log_reads.get(read, 0) + 1
        if how == "once":
            text, _ = pod_logs.render(self.store, key, start, first, stamped)
            body = text.encode()
            limit = request.query.get("limitBytes")
            if limit and limit.isdigit() and int(limit) > 0:
                body = body[: int(limit)]  # the API server stops after limitBytes
            return web.Response(body=body, content_type="text/plain", charset="utf-8")
        return await self._follow_log(request, key, start, first, stamped)

    async def _follow_log(
        self,
        request: web.Request,
        key: pod_logs.LogKey,
        start: int,
        first: datetime | None,
        stamped: bool,
    ) -> web.StreamResponse:
        """One long answer: the lines so far, then each line as the container writes it."""
        response = web.StreamResponse(headers={"Content-Type": "text/plain"})
        response.enable_chunked_encoding()
        await response.prepare(request)
        try:
            deadline = time.monotonic() + 1800
            while time.monotonic() < deadline:
                text, start = pod_logs.render(self.store, key, start, first, stamped)
                if text:
                    await response.write(text.encode())
                await asyncio.sleep(0.25)
        except (ConnectionResetError, asyncio.CancelledError):
            pass
        return response
