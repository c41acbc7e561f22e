"""The lab's OpenShift router and the auth proxies in front of the model servers.

Routing follows the Route objects in the store; auth asks the lab API a TokenReview and a
SubjectAccessReview over HTTPS, as oauth-proxy (ModelMesh) and Authorino (KServe) do (docs/domain.md §4.2).
"""

from __future__ import annotations

import asyncio
import json
import re
import ssl
from typing import Any

import aiohttp
from aiohttp import web

from lab.kube import pod_logs
from lab.kube.kinds import kind_by_name
from lab.kube.store import Obj, Store
from lab.oauth_proxy import OAuthProxy
from lab.ovms import ServedModel, modelmesh_rest_error
from lab.rbac_proxy import KubeRbacProxy, access_review
from lab.vllm import GenerativeModel

ROUTER_503 = """<html>
<head><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Application is not available</title></head>
<body><div><h1>Application is not available</h1>
<p>The application is currently not serving requests at this endpoint. It may not have been
started or is still starting.</p></div></body>
</html>
"""

OAUTH_LOGIN = """<!DOCTYPE html>
<html lang="en" charset="utf-8">
<head><title>Log In</title></head>
<body><form method="GET" action="/oauth/start"><input type="hidden" name="rd" value="/">
<button type="submit" class="btn">Log in with OpenShift</button></form></body>
</html>
"""

V2_PATH = re.compile(
    r"^/v2/models/(?P<name>[^/]+)(?:/versions/(?P<version>[^/]+))?"
    r"(?P<action>/ready|/infer)?/?$"
)


def _ready(pod: Obj) -> bool:
    return any(
        c.get("type") == "Ready" and c.get("status") == "True"
        for c in pod.get("status", {}).get("conditions") or []
    )


class Router:
    def __init__(
        self,
        store: Store,
        served: dict[tuple[str, str], ServedModel | GenerativeModel],
        api_url: str,
        ca_file: str,
        proxy_token: str,
        latency_s: float = 0.0,
        pod_tokens: dict[tuple[str, str], str] | None = None,
    ) -> None:
        self.store, self.served, self.api_url = store, served, api_url
        self.latency_s = latency_s
        self.proxy_token = proxy_token
        self._ssl = ssl.create_default_context(cafile=ca_file)
        self._session: aiohttp.ClientSession | None = None
        self.rbac_proxy = KubeRbacProxy(store, api_url, self._ssl, pod_tokens or {})
        self.oauth_proxy = OAuthProxy(self.rbac_proxy)  # 2.x KServe Raw (lab/oauth_proxy.py)

    def app(self) -> web.Application:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/{tail:.*}", self.handle)
        app.on_cleanup.append(self._close)
        return app

    async def _close(self, app: web.Application) -> None:
        if self._session:
            await self._session.close()
        await self.rbac_proxy.close()

    # -- routing -------------------------------------------------------------------------
    def _route_for(self, host: str, path: str) -> Obj | None:
        best: Obj | None = None
        routes = self.store.indexed(kind_by_name("Route"), "host", _route_host)
        for route in routes.get(host, ()):
            prefix = route["spec"].get("path") or ""
            if not (path == prefix or path.startswith(prefix.rstrip("/") + "/") or not prefix):
                continue
            if best is None or len(prefix) > len(best["spec"].get("path") or ""):
                best = route
        return best

    def _isvc_for(self, route: Obj) -> Obj | None:
        isvcs = self.store.indexed(kind_by_name("InferenceService"), "route", _isvc_keys)
        name = (route["metadata"].get("labels") or {}).get("inferenceservice-name")
        key = ("name", route["metadata"]["namespace"], name) if name else None
        if key is None:
            key = ("url", f"https://{route['spec']['host']}")
        found = isvcs.get(key)
        return found[0] if found else None

    def _has_ready_pods(self, isvc: Obj) -> bool:
        ns = isvc["metadata"]["namespace"]
        if self._is_modelmesh(isvc):
            runtime = isvc["spec"]["predictor"]["model"].get("runtime", "")
            key, value = "name", f"modelmesh-serving-{runtime}"
        else:
            key, value = "serving.kserve.io/inferenceservice", isvc["metadata"]["name"]
        pods = self.store.list(kind_by_name("Pod"), ns)
        return any(_ready(p) for p in pods if (p["metadata"].get("labels") or {}).get(key) == value)

    def _logged(
        self, request: web.Request, isvc: Obj, response: web.StreamResponse
    ) -> web.StreamResponse:
        """vLLM's uvicorn writes an access line per request to the model server's log: what a
        `follow` of that log sees arrive (lab.kube.pod_logs)."""
        ns, name = isvc["metadata"]["namespace"], isvc["metadata"]["name"]
        pods = self.store.list(kind_by_name("Pod"), ns)
        owner = "serving.kserve.io/inferenceservice"
        pod = next(
            (
                p
                for p in pods
                if _ready(p) and (p["metadata"].get("labels") or {}).get(owner) == name
            ),
            None,
        )
        if pod is not None:
            status = f"{response.status} {response.reason}"
            peer = request.transport.get_extra_info("peername") if request.transport else None
            port = peer[1] if peer else 0  # the proxy in the pod calls it over localhost
            what = f"{request.method} {request.path} HTTP/1.1"
            line = f'INFO:     127.0.0.1:{port} - "{what}" {status}'
            pod_logs.append(
                self.store, (ns, pod["metadata"]["name"], "kserve-container", False), line
            )
        return response

    @staticmethod
    def _is_modelmesh(isvc: Obj) -> bool:
        annotations = isvc["metadata"].get("annotations") or {}
        return annotations.get("serving.kserve.io/deploymentMode") == "ModelMesh"

    async def handle(self, request: web.Request) -> web.StreamResponse:
        if self.latency_s:
            await asyncio.sleep(self.latency_s)
        host = (request.host or "").rsplit(":", 1)[0]
        route = self._route_for(host, request.path)
        isvc = self._isvc_for(route) if route else None
        if route is None or isvc is None or not self._has_ready_pods(isvc):
            return web.Response(
                status=503,
                text=ROUTER_503,
                content_type="text/html",
                headers={"Cache-Control": "private, max-age=0, no-cache"},
            )
        if self._is_modelmesh(isvc):
            return await self._modelmesh(request, isvc)
        return await self._kserve(request, isvc, route)

    # -- auth ----------------------------------------------------------------------------
    async def _review(self, kind: str, body: dict) -> dict:
        if self._session is None:
            self._session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(ssl=self._ssl))
        group = "authentication.k8s.io" if kind == "tokenreviews" else "authorization.k8s.io"
        async with self._session.post(
            f"{self.api_url}/apis/{group}/v1/{kind}",
            json=body,
            headers={"Authorization": f"Bearer {self.proxy_token}"},
        ) as response:
            return await response.json()

    async def _who(self, request: web.Request) -> dict | None:
        header = request.headers.get("Authorization", "")
        if not header.lower().startswith("bearer "):
            return None
        review = await self._review(
            "tokenreviews",
            {
                "apiVersion": "authentication.k8s.io/v1",
                "kind": "TokenReview",
                "spec": {"token": header[7:].strip()},
            },
        )
        status = review.get("status") or {}
        return status.get("user") if status.get("authenticated") else None

    async def _may(self, user: dict, attributes: dict) -> bool:
        review = await self._review(
            "subjectaccessreviews",
            access_review(user, attributes),
        )
        return bool((review.get("status") or {}).get("allowed"))

    # -- ModelMesh: oauth-proxy + REST proxy ------------------------------------------------
    async def _modelmesh(self, request: web.Request, isvc: Obj) -> web.StreamResponse:
        ns, name = isvc["metadata"]["namespace"], isvc["metadata"]["name"]
        runtime = self.store.get(
            kind_by_name("ServingRuntime"),
            ns,
            isvc["spec"]["predictor"]["model"].get("runtime", ""),
        )
        annotations = (runtime or {}).get("metadata", {}).get("annotations") or {}
        if annotations.get("enable-auth") == "true":
            user = await self._who(request)
            allowed = user is not None and await self._may(
                user, {"namespace": ns, "verb": "get", "resource": "services"}
            )
            if not allowed:
                return web.Response(status=403, text=OAUTH_LOGIN, content_type="text/html")
        match = V2_PATH.match(request.path)
        action = match.group("action") if match else None
        if (
            not match
            or action == "/ready"
            or (request.method, action) not in (("GET", None), ("POST", "/infer"))
        ):
            return web.json_response({"code": 5, "message": "Not Found"}, status=404)
        served = self.served.get((ns, name))
        if not isinstance(served, ServedModel) or match.group("name") != name:
            status, body = 404, {"error": "Model with requested name is not found"}
        elif action == "/infer":
            status, body = served.infer(await request.read(), request.content_type)
        else:
            status, body = served.metadata()
        if status >= 400:
            status, body = modelmesh_rest_error(status, body, served.name if served else name)
        return web.json_response(body, status=status)

    # -- KServe: Authorino (Serverless) or kube-rbac-proxy (Standard) + OVMS -------------------
    async def _kserve(self, request: web.Request, isvc: Obj, route: Obj) -> web.StreamResponse:
        ns, name = isvc["metadata"]["namespace"], isvc["metadata"]["name"]
        annotations = isvc["metadata"].get("annotations") or {}
        served = self.served.get((ns, name))
        standard = self.rbac_proxy.fronts(route, isvc)  # None: not a Standard route
        if self.oauth_proxy.fronts(route, isvc):
            refused = await self.oauth_proxy.refuse(request, isvc)
            if refused is not None:
                return refused
        elif standard:
            refused = await self.rbac_proxy.refuse(request, isvc)
            if refused is not None:
                return refused
            if isinstance(served, GenerativeModel):
                return self._logged(request, isvc, await served.handle(request))
        elif isinstance(served, GenerativeModel):
            # not behind the proxy: nothing checks tokens
            return self._logged(request, isvc, await served.handle(request))
        elif standard is None and annotations.get("security.opendatahub.io/enable-auth") == "true":
            denied = await self._authorino(request, ns, name)
            if denied is not None:
                return denied
        return self._ovms(
            request.method,
            request.path,
            await request.read(),
            request.content_type,
            served if isinstance(served, ServedModel) else None,
            name,
        )

    async def _authorino(self, request: web.Request, ns: str, name: str) -> web.Response | None:
        if not request.headers.get("Authorization", "").lower().startswith("bearer "):
            return web.Response(
                status=401,
                headers={
                    "www-authenticate": 'Bearer realm="kubernetes-user"',
                    "x-ext-auth-reason": "credential not found",
                },
            )
        user = await self._who(request)
        if user is None:
            return web.Response(
                status=401,
                headers={
                    "www-authenticate": 'Bearer realm="kubernetes-user"',
                    "x-ext-auth-reason": "the token provided is not valid",
                },
            )
        if not await self._may(
            user,
            {
                "namespace": ns,
                "verb": "get",
                "name": name,
                "group": "serving.kserve.io",
                "resource": "inferenceservices",
            },
        ):
            return web.Response(status=403, headers={"x-ext-auth-reason": "Unauthorized"})
        return None

    @staticmethod
    def _ovms(
        method: str,
        path: str,
        body: bytes,
        content_type: str,
        served: ServedModel | None,
        name: str,
    ) -> web.Response:
        if path.rstrip("/") in ("/v2/health/live", "/v2/health/ready"):
            if path.endswith("ready") and (served is None or served.ready()[0] != 200):
                return web.json_response({"error": "Error while loading a model"}, status=500)
            return web.json_response({}, status=200)
        if path.rstrip("/") == "/v2":
            return web.json_response(
                {"name": "OpenVINO Model Server", "version": "2024.5", "extensions": []}
            )
        match = V2_PATH.match(path)
        if not match:
            return web.json_response({"error": "Requested REST resource not found"}, status=404)
        if served is None or match.group("name") != name:
            return web.json_response(
                {"error": "Model with requested name is not found"}, status=404
            )
        version = match.group("version")
        if version is not None and version not in ("1",):
            return web.json_response(
                {"error": "Model with requested version is not found"}, status=404
            )
        action = match.group("action")
        result: tuple[int, Any]
        if action == "/infer" and method == "POST":
            result = served.infer(body, content_type)
        elif action == "/ready" and method == "GET":
            result = served.ready()
        elif action is None and method == "GET":
            result = served.metadata()
        else:
            result = (400, {"error": "Invalid request URL"})
        return web.Response(
            status=result[0], text=json.dumps(result[1]), content_type="application/json"
        )


def _route_host(route: Obj) -> tuple[str | None]:
    return (route["spec"].get("host"),)


def _isvc_keys(isvc: Obj) -> tuple[tuple[str, ...], ...]:
    """An InferenceService is found by its namespace and name, or by its status URL."""
    meta = isvc["metadata"]
    return (
        ("name", meta["namespace"], meta["name"]),
        ("url", (isvc.get("status") or {}).get("url")),
    )
