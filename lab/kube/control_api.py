"""The lab's own control API (/_lab/…), for tests and benches: change an object as a controller
would, restart a container as the kubelet would, compact the history as etcd does, cut every
watch's connection. Not part of the Kubernetes API; the product never calls it."""

from __future__ import annotations

import copy
import time
from collections.abc import Callable
from typing import Any

from aiohttp import web

from lab.kube.errors import ApiError
from lab.kube.kinds import kind_by_name
from lab.kube.store import Store, now_rfc3339


class LabControl:
    def __init__(self, store: Store, authenticate: Callable[[web.Request], object]) -> None:
        self.store, self.authenticate = store, authenticate

    def add_routes(self, app: web.Application) -> None:
        app.router.add_post("/_lab/put", self._put)
        app.router.add_post("/_lab/restart", self._restart)
        app.router.add_post("/_lab/compact", self._compact)
        app.router.add_post("/_lab/drop-watches", self._drop_watches)

    async def _body(self, request: web.Request) -> dict[str, Any]:
        self.authenticate(request)  # only a holder of one of the lab's tokens
        body = await request.json()
        if not isinstance(body, dict):
            raise ApiError(400, "BadRequest", "the body must be a JSON object")
        return body

    def _changed(self, obj: dict[str, Any]) -> web.Response:
        """The lab's own time of the change: where a bench's latency starts."""
        return web.json_response(
            {"resourceVersion": obj["metadata"]["resourceVersion"], "at": time.time()}
        )

    async def _put(self, request: web.Request) -> web.Response:
        obj = await self._body(request)
        return self._changed(self.store.put(obj))

    async def _restart(self, request: web.Request) -> web.Response:
        """One more restart of a pod's first container, terminated for `reason` (the kubelet)."""
        body = await self._body(request)
        pod = self.store.get(kind_by_name("Pod"), body["namespace"], body["name"])
        if pod is None:
            raise ApiError(404, "NotFound", f'pods "{body["name"]}" not found')
        updated = copy.deepcopy(pod)
        statuses = updated.setdefault("status", {}).setdefault("containerStatuses", [])
        if not statuses:
            raise ApiError(400, "BadRequest", "the pod has no container statuses")
        status = statuses[0]
        status["restartCount"] = int(status.get("restartCount") or 0) + 1
        status["lastState"] = {
            "terminated": {
                "reason": body.get("reason", "Error"),
                "exitCode": int(body.get("exitCode", 1)),
                "finishedAt": now_rfc3339(),
            }
        }
        return self._changed(self.store.put(updated))

    async def _compact(self, request: web.Request) -> web.Response:
        await self._body(request)
        return web.json_response({"compacted": self.store.compact()})

    async def _drop_watches(self, request: web.Request) -> web.Response:
        await self._body(request)
        return web.json_response({"dropped": self.store.drop_watches()})
