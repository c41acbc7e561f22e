"""The API server's answers that are not objects: Status errors worded like kube-apiserver, and
the parsed resource URL."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aiohttp import web

from lab.kube.kinds import Kind, find_kind


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
