"""The review APIs: SelfSubjectReview, (Self)SubjectAccessReview and TokenReview, answered from the lab's RBAC and tokens."""

from __future__ import annotations

import copy
import json
from typing import Any

from aiohttp import web

from lab.kube.auth import (
    ANONYMOUS,
    Attributes,
    UserInfo,
)
from lab.kube.errors import PATH_NOT_FOUND, ApiError, Target


class Reviews:
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
