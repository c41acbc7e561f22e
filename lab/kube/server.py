"""The lab's Kubernetes API server: discovery, read verbs, watch, pod logs and the review APIs.

Every mutating verb is answered 405 and counted, so tests can prove the console never mutates.
"""

from __future__ import annotations

import asyncio
import base64
import copy
import json
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from lab.kube.auth import (
    ANONYMOUS,
    Attributes,
    Authenticator,
    Authorizer,
    UserInfo,
    forbidden_message,
)
from lab.kube.kinds import KINDS, REVIEWS, Kind, find_kind, group_versions, kind_by_name
from lab.kube.selectors import SelectorError, field_matcher, label_matcher
from lab.kube.store import Obj, Store


@dataclass
class RequestLog:
    """What the lab's API saw: totals per verb, and every refused mutation."""

    total: int = 0
    by_verb: dict[str, int] = field(default_factory=dict)
    mutations: list[str] = field(default_factory=list)


class ApiError(Exception):
    def __init__(self, code: int, reason: str, message: str, details: dict | None = None) -> None:
        super().__init__(message)
        self.code, self.reason, self.message, self.details = code, reason, message, details

    def response(self) -> web.Response:
        body: dict[str, Any] = {
            "kind": "Status",
            "apiVersion": "v1",
            "metadata": {},
            "status": "Failure",
            "message": self.message,
            "reason": self.reason,
            "code": self.code,
        }
        if self.details:
            body["details"] = self.details
        return web.json_response(body, status=self.code)


def _not_found(kind: Kind, name: str) -> ApiError:
    qualified = f"{kind.plural}.{kind.group}" if kind.group else kind.plural
    return ApiError(
        404,
        "NotFound",
        f'{qualified} "{name}" not found',
        {"name": name, "group": kind.group, "kind": kind.plural},
    )


PATH_NOT_FOUND = ApiError(404, "NotFound", "the server could not find the requested resource")


@dataclass(frozen=True)
class Target:
    """A parsed resource URL."""

    kind: Kind
    namespace: str = ""
    name: str = ""
    subresource: str = ""


def parse_path(parts: list[str]) -> Target:
    if parts[:2] == ["api", "v1"]:
        group, version, rest = "", "v1", parts[2:]
    elif parts[:1] == ["apis"] and len(parts) >= 3:
        group, version, rest = parts[1], parts[2], parts[3:]
    else:
        raise PATH_NOT_FOUND
    namespace = ""
    if len(rest) >= 3 and rest[0] == "namespaces":
        namespace, rest = rest[1], rest[2:]
    if not rest or len(rest) > 3:
        raise PATH_NOT_FOUND
    kind = find_kind(group, version, rest[0])
    if kind is None or (namespace and not kind.namespaced):
        raise PATH_NOT_FOUND
    return Target(
        kind, namespace, rest[1] if len(rest) > 1 else "", rest[2] if len(rest) > 2 else ""
    )


class ApiServer:
    def __init__(self, store: Store, authn: Authenticator, latency_s: float = 0.0) -> None:
        self.store, self.authn, self.authz = store, authn, Authorizer(store)
        self.latency_s = latency_s
        self.log = RequestLog()

    # -- plumbing -------------------------------------------------------------------------
    def app(self) -> web.Application:
        app = web.Application(middlewares=[self._middleware], client_max_size=4 * 1024 * 1024)
        app.router.add_get("/_lab/requests", self._lab_requests)
        app.router.add_get("/version", self._version)
        app.router.add_get("/api", self._core_versions)
        app.router.add_get("/apis", self._api_groups)
        app.router.add_route("*", "/{tail:.*}", self._dispatch)
        return app

    @web.middleware
    async def _middleware(self, request: web.Request, handler: Any) -> web.StreamResponse:
        self.log.total += 1
        self.log.by_verb[request.method] = self.log.by_verb.get(request.method, 0) + 1
        if self.latency_s and not request.path.startswith("/_lab/"):
            await asyncio.sleep(self.latency_s)
        try:
            return await handler(request)
        except ApiError as error:
            return error.response()

    def _user(self, request: web.Request) -> UserInfo:
        header = request.headers.get("Authorization", "")
        token = header[7:].strip() if header.lower().startswith("bearer ") else None
        user = self.authn.authenticate(token)
        if user is None:
            raise ApiError(401, "Unauthorized", "Unauthorized")
        return user

    def _require(self, user: UserInfo, attrs: Attributes) -> None:
        if not self.authz.allowed(user, attrs):
            details = {"kind": attrs.resource, "group": attrs.group}
            if attrs.name:
                details["name"] = attrs.name
            raise ApiError(403, "Forbidden", forbidden_message(user, attrs), details)

    async def _lab_requests(self, request: web.Request) -> web.Response:
        return web.json_response(
            {"total": self.log.total, "byVerb": self.log.by_verb, "mutations": self.log.mutations}
        )

    # -- discovery ------------------------------------------------------------------------
    async def _version(self, request: web.Request) -> web.Response:
        return web.json_response(
            {
                "major": "1",
                "minor": "31",
                "gitVersion": "v1.31.0+rhoai-lab",
                "gitCommit": "lab",
                "gitTreeState": "clean",
                "buildDate": "2026-01-01T00:00:00Z",
                "goVersion": "go1.22",
                "compiler": "gc",
                "platform": "linux/amd64",
            }
        )

    async def _core_versions(self, request: web.Request) -> web.Response:
        self._user(request)
        return web.json_response(
            {"kind": "APIVersions", "versions": ["v1"], "serverAddressByClientCIDRs": []}
        )

    async def _api_groups(self, request: web.Request) -> web.Response:
        self._user(request)
        groups = [
            {
                "name": name,
                "versions": [{"groupVersion": f"{name}/{v}", "version": v} for v in versions],
                "preferredVersion": {
                    "groupVersion": f"{name}/{versions[-1]}",
                    "version": versions[-1],
                },
            }
            for name, versions in group_versions().items()
        ]
        return web.json_response({"kind": "APIGroupList", "apiVersion": "v1", "groups": groups})

    def _resource_list(self, group: str, version: str) -> web.Response:
        kinds = [k for k in (*KINDS, *REVIEWS) if (k.group, k.version) == (group, version)]
        if not kinds:
            raise PATH_NOT_FOUND
        return web.json_response(
            {
                "kind": "APIResourceList",
                "apiVersion": "v1",
                "groupVersion": f"{group}/{version}" if group else version,
                "resources": [k.discovery_entry() for k in kinds]
                + [
                    {
                        "name": "pods/log",
                        "singularName": "",
                        "namespaced": True,
                        "kind": "Pod",
                        "verbs": ["get"],
                    }
                ]
                * (group == "" and version == "v1"),
            }
        )

    # -- requests -------------------------------------------------------------------------
    async def _dispatch(self, request: web.Request) -> web.StreamResponse:
        parts = [p for p in request.path.split("/") if p]
        user = self._user(request)
        if (request.method == "GET" and parts in (["api", "v1"],)) or (
            request.method == "GET" and len(parts) == 3 and parts[0] == "apis"
        ):
            return self._resource_list("" if parts[0] == "api" else parts[1], parts[-1])
        target = parse_path(parts)
        if target.kind in REVIEWS:
            return await self._review(request, user, target)
        if request.method != "GET":
            self.log.mutations.append(f"{request.method} {request.path_qs}")
            raise ApiError(
                405,
                "MethodNotAllowed",
                "the server does not allow this method on the requested resource "
                "(the rhoai-doctor lab is read-only)",
            )
        if target.subresource:
            if (target.kind.plural, target.subresource) != ("pods", "log"):
                raise PATH_NOT_FOUND
            return await self._pod_log(request, user, target)
        if target.name:
            return self._get(user, target)
        if request.query.get("watch") in ("1", "true"):
            return await self._watch(request, user, target)
        return self._list(request, user, target)

    def _get(self, user: UserInfo, target: Target) -> web.Response:
        kind = target.kind
        if kind.plural == "projects":
            return self._get_project(user, target.name)
        self._require(
            user, Attributes("get", kind.group, kind.plural, target.namespace, target.name)
        )
        obj = self.store.get(kind, target.namespace, target.name)
        if obj is None:
            raise _not_found(kind, target.name)
        return web.json_response(obj)

    def _get_project(self, user: UserInfo, name: str) -> web.Response:
        kind = kind_by_name("Project")
        project = self.store.get(kind, "", name)
        can_see = self.authz.allowed(user, Attributes("get", "", "namespaces", "", name)) or (
            name in self.authz.bound_namespaces(user)
        )
        if project is None or not can_see:
            # OpenShift answers 403 rather than 404 for projects you cannot see.
            raise ApiError(
                403,
                "Forbidden",
                f'projects.project.openshift.io "{name}" is '
                f'forbidden: User "{user.username}" cannot get resource "projects" in '
                f'API group "project.openshift.io" in the namespace "{name}"',
                {"name": name, "group": "project.openshift.io", "kind": "projects"},
            )
        return web.json_response(project)

    def _matching(
        self, request: web.Request, user: UserInfo, target: Target, verb: str
    ) -> tuple[list[Obj], Any]:
        kind = target.kind
        try:
            by_label = label_matcher(request.query.get("labelSelector"))
            by_field = field_matcher(request.query.get("fieldSelector"))
        except SelectorError as error:
            raise ApiError(400, "BadRequest", str(error)) from error

        def accepts(obj: Obj) -> bool:
            return by_label(obj) and by_field(obj)

        if kind.plural == "projects":
            visible = None
            if not self.authz.allowed(user, Attributes(verb, "", "namespaces")):
                visible = self.authz.bound_namespaces(user)
            items = [
                p
                for p in self.store.list(kind)
                if visible is None or p["metadata"]["name"] in visible
            ]
            return [p for p in items if accepts(p)], accepts
        self._require(user, Attributes(verb, kind.group, kind.plural, target.namespace))
        namespace = target.namespace if kind.namespaced and target.namespace else None
        return [o for o in self.store.list(kind, namespace) if accepts(o)], accepts

    def _list(self, request: web.Request, user: UserInfo, target: Target) -> web.Response:
        items, _ = self._matching(request, user, target, "list")
        start = 0
        if token := request.query.get("continue"):
            try:
                start = int(base64.urlsafe_b64decode(token.encode()).decode())
            except ValueError as error:
                raise ApiError(400, "BadRequest", "continue key is not valid") from error
        meta: dict[str, Any] = {"resourceVersion": str(self.store.resource_version)}
        limit = int(request.query.get("limit") or 0)
        page = items[start : start + limit] if limit > 0 else items[start:]
        if limit > 0 and start + limit < len(items):
            meta["continue"] = base64.urlsafe_b64encode(str(start + limit).encode()).decode()
            meta["remainingItemCount"] = len(items) - start - limit
        kind = target.kind
        return web.json_response(
            {
                "kind": f"{kind.kind}List",
                "apiVersion": kind.api_version,
                "metadata": meta,
                "items": page,
            }
        )

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
            return web.Response(
                text="".join(f"{line}\n" for line in shown), content_type="text/plain"
            )
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

    # -- reviews --------------------------------------------------------------------------
    async def _review(self, request: web.Request, user: UserInfo, target: Target) -> web.Response:
        kind = target.kind
        if kind.plural == "users":
            if request.method != "GET" or target.name != "~":
                raise PATH_NOT_FOUND
            if user is ANONYMOUS:
                raise ApiError(
                    403,
                    "Forbidden",
                    'users.user.openshift.io "~" is forbidden: User '
                    '"system:anonymous" cannot get resource "users" in API group '
                    '"user.openshift.io" at the cluster scope',
                )
            return web.json_response(
                {
                    "kind": "User",
                    "apiVersion": kind.api_version,
                    "metadata": {"name": user.username},
                    "identities": [],
                    "groups": list(user.groups),
                }
            )
        if request.method != "POST":
            raise ApiError(
                405,
                "MethodNotAllowed",
                "the server does not allow this method on the requested resource",
            )
        try:
            body = await request.json()
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            raise ApiError(400, "BadRequest", f"the request body is not JSON: {error}") from error
        spec = body.get("spec") or {}
        answer = copy.deepcopy(body)
        answer.update({"kind": kind.kind, "apiVersion": kind.api_version})
        answer.setdefault("metadata", {})
        if kind.plural == "selfsubjectreviews":
            answer["status"] = {"userInfo": user.as_dict()}
        elif kind.plural == "selfsubjectaccessreviews":
            answer["status"] = self._access(user, spec)
        elif kind.plural == "subjectaccessreviews":
            self._require(user, Attributes("create", kind.group, kind.plural))
            subject = UserInfo(
                spec.get("user", ""), spec.get("uid", ""), tuple(spec.get("groups") or ())
            )
            answer["status"] = self._access(subject, spec)
        else:  # tokenreviews
            self._require(user, Attributes("create", kind.group, kind.plural))
            reviewed = self.authn.authenticate(spec.get("token") or "-")
            if reviewed is None or reviewed is ANONYMOUS:
                answer["status"] = {"authenticated": False, "error": "invalid bearer token"}
            else:
                answer["status"] = {
                    "authenticated": True,
                    "user": reviewed.as_dict(),
                    "audiences": spec.get("audiences") or ["https://kubernetes.default.svc"],
                }
        return web.json_response(answer, status=201)

    def _access(self, user: UserInfo, spec: dict) -> dict:
        attrs = spec.get("resourceAttributes")
        if not attrs:
            return {"allowed": False, "reason": "only resourceAttributes are evaluated by the lab"}
        allowed = self.authz.allowed(
            user,
            Attributes(
                attrs.get("verb", ""),
                attrs.get("group", ""),
                attrs.get("resource", ""),
                attrs.get("namespace", ""),
                attrs.get("name", ""),
                attrs.get("subresource", ""),
            ),
        )
        status: dict[str, Any] = {"allowed": allowed}
        if not allowed:
            status["reason"] = "no RBAC policy matched"
        return status
