"""The lab's own control API (/_lab/…), for tests and benches: change an object as a controller
would, restart a container as the kubelet would, compact the history as etcd does, cut every
watch's connection. Not part of the Kubernetes API; the product never calls it."""

from __future__ import annotations

import copy
import time
from typing import TYPE_CHECKING, Any

from aiohttp import web

from lab.kube.errors import ApiError
from lab.kube.kinds import kind_by_name
from lab.kube.store import now_rfc3339

if TYPE_CHECKING:
    from lab.kube.server import ApiServer


class LabControl:
    def __init__(self, api: ApiServer) -> None:
        self.api = api

    def add_routes(self, app: web.Application) -> None:
        app.router.add_post("/_lab/put", self._put)
        app.router.add_post("/_lab/restart", self._restart)
        app.router.add_post("/_lab/compact", self._compact)
        app.router.add_post("/_lab/drop-watches", self._drop_watches)

    async def _body(self, request: web.Request) -> dict[str, Any]:
        self.api._user(request)  # only a holder of one of the lab's tokens
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
        return self._changed(self.api.store.put(obj))

    async def _restart(self, request: web.Request) -> web.Response:
        """One more restart of a pod's first container, terminated for `reason` (the kubelet)."""
        body = await self._body(request)
        pod = self.api.store.get(kind_by_name("Pod"), body["namespace"], body["name"])
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
        return self._changed(self.api.store.put(updated))

    async def _compact(self, request: web.Request) -> web.Response:
        await self._body(request)
        return web.json_response({"compacted": self.api.store.compact()})

    async def _drop_watches(self, request: web.Request) -> web.Response:
        await self._body(request)
        return web.json_response({"dropped": self.api.store.drop_watches()})
