"""The lab's Kubernetes API server: discovery, read verbs, watch, pod logs and the review APIs.

Every mutating verb is answered 405 and counted, so tests can prove the console never mutates.
"""

from __future__ import annotations

import asyncio
import base64
import json
from typing import Any

from aiohttp import web

from lab.kube.auth import (
    Attributes,
    Authenticator,
    Authorizer,
    UserInfo,
    forbidden_message,
)
from lab.kube.control_api import LabControl
from lab.kube.discovery import Discovery
from lab.kube.errors import PATH_NOT_FOUND, ApiError, Target, _not_found, parse_path
from lab.kube.kinds import REVIEWS, Kind, kind_by_name
from lab.kube.request_log import RequestLog
from lab.kube.reviews import Reviews
from lab.kube.selectors import SelectorError, field_matcher, label_matcher
from lab.kube.store import Obj, Store
from lab.kube.streams import Streams

ANSWERS_KEPT_BYTES = 64 * 1024 * 1024  # LIST answers kept for the next same LIST


class ApiServer(Discovery, Streams, Reviews):
    def __init__(self, store: Store, authn: Authenticator, latency_s: float = 0.0) -> None:
        self.store, self.authn, self.authz = store, authn, Authorizer(store)
        self.latency_s = latency_s
        self.log = RequestLog()
        # Each LIST's answer, per caller and query, until the store changes: a test run asks
        # the same lists hundreds of times between two ticks of the lab's crash loops.
        self._answers: dict[tuple, bytes] = {}
        self._answers_version = -1
        self._answers_size = 0

    # -- plumbing -------------------------------------------------------------------------
    def app(self) -> web.Application:
        app = web.Application(middlewares=[self._middleware], client_max_size=4 * 1024 * 1024)
        app.router.add_get("/_lab/requests", self._lab_requests)
        LabControl(self.store, self._user).add_routes(app)
        app.router.add_get("/version", self._version)
        app.router.add_get("/api", self._core_versions)
        app.router.add_get("/apis", self._api_groups)
        app.router.add_route("*", "/{tail:.*}", self._dispatch)
        return app

    @web.middleware
    async def _middleware(self, request: web.Request, handler: Any) -> web.StreamResponse:
        self.log.total += 1
        self.log.by_verb[request.method] = self.log.by_verb.get(request.method, 0) + 1
        if request.method == "POST":
            what = request.path.rstrip("/").rsplit("/", 1)[-1]
            self.log.posts[what] = self.log.posts.get(what, 0) + 1
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
            {
                "total": self.log.total,
                "byVerb": self.log.by_verb,
                "mutations": self.log.mutations,
                "logReads": self.log.log_reads,
                "lists": self.log.lists,
                "watches": self.log.watches,
                "gets": self.log.gets,
                "posts": self.log.posts,
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
            plural = target.kind.plural
            self.log.gets[plural] = self.log.gets.get(plural, 0) + 1
            return self._get(user, target)
        if request.query.get("watch") in ("1", "true"):
            since = request.query.get("resourceVersion", "")
            self.log.watches.append(f"{request.path}?resourceVersion={since}")
            return await self._watch(request, user, target)
        self.log.lists.append(request.path)
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
        return web.json_response(_served_as(obj, kind))

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
        items = [_served_as(o, kind) for o in self.store.list(kind, namespace)]
        return [o for o in items if accepts(o)], accepts

    def _list(self, request: web.Request, user: UserInfo, target: Target) -> web.Response:
        if self._answers_version != self.store.resource_version:
            self._answers.clear()
            self._answers_version, self._answers_size = self.store.resource_version, 0
        key = (request.path_qs, user.username, user.groups)
        body = self._answers.get(key)
        if body is None:
            body = json.dumps(self._list_answer(request, user, target)).encode()
            if self._answers_size + len(body) <= ANSWERS_KEPT_BYTES:
                self._answers[key] = body
                self._answers_size += len(body)
        return web.Response(body=body, content_type="application/json")

    def _list_answer(self, request: web.Request, user: UserInfo, target: Target) -> dict:
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
        return {
            "kind": f"{kind.kind}List",
            "apiVersion": kind.api_version,
            "metadata": meta,
            "items": page,
        }


def _served_as(obj: Obj, kind: Kind) -> Obj:
    """An object stored at one version, read through another served one, says the version
    asked for (the lab's kinds have the same schema at every version it serves)."""
    if obj.get("apiVersion") in (None, kind.api_version):
        return obj
    return {**obj, "apiVersion": kind.api_version}
