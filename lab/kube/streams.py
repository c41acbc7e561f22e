"""Streaming answers: watch (chunked JSON lines, replay from a resourceVersion) and pod logs (container, tail, previous, follow)."""

from __future__ import annotations

import asyncio
import json
import time

from aiohttp import web

from lab.kube.auth import (
    Attributes,
    UserInfo,
)
from lab.kube.errors import ApiError, Target, _not_found
from lab.kube.store import Obj


class Streams:
    async def _watch(
        self, request: web.Request, user: UserInfo, target: Target
    ) -> web.StreamResponse:
        items, accepts = self._matching(request, user, target, "watch")
        since_param = request.query.get("resourceVersion")
        since = int(since_param) if since_param and since_param != "0" else None
        timeout = float(request.query.get("timeoutSeconds") or 1800)
        namespace = target.namespace if target.kind.namespaced and target.namespace else None
        watcher = self.store.watch(target.kind, namespace, accepts, since)
        response = web.StreamResponse(headers={"Content-Type": "application/json"})
        response.enable_chunked_encoding()
        await response.prepare(request)
        deadline = time.monotonic() + timeout
        try:
            if since is None:
                for obj in items:
                    await self._send_event(response, "ADDED", obj)
            while (remaining := deadline - time.monotonic()) > 0:
                try:
                    event = await asyncio.wait_for(watcher.queue.get(), timeout=remaining)
                except TimeoutError:
                    break
                await self._send_event(response, event.type, event.obj)
        except (ConnectionResetError, asyncio.CancelledError):
            pass
        finally:
            self.store.unwatch(watcher)
        return response

    @staticmethod
    async def _send_event(response: web.StreamResponse, kind: str, obj: Obj) -> None:
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
        lines = self.store.logs.get(key, [])
        tail = request.query.get("tailLines")
        shown = lines[-int(tail) :] if tail and int(tail) > 0 else ([] if tail == "0" else lines)
        if request.query.get("follow") not in ("1", "true"):
            body = "".join(f"{line}\n" for line in shown).encode()
            limit = request.query.get("limitBytes")
            if limit and limit.isdigit() and int(limit) > 0:
                body = body[: int(limit)]  # the API server stops after limitBytes
            return web.Response(body=body, content_type="text/plain", charset="utf-8")
        return await self._follow_log(request, key, shown, len(lines))

    async def _follow_log(
        self, request: web.Request, key: tuple, shown: list[str], sent: int
    ) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "text/plain"})
        response.enable_chunked_encoding()
        await response.prepare(request)
        try:
            await response.write("".join(f"{line}\n" for line in shown).encode())
            deadline = time.monotonic() + 1800
            while time.monotonic() < deadline:
                lines = self.store.logs.get(key, [])
                if len(lines) > sent:
                    await response.write("".join(f"{line}\n" for line in lines[sent:]).encode())
                    sent = len(lines)
                await asyncio.sleep(0.25)
        except (ConnectionResetError, asyncio.CancelledError):
            pass
        return response
