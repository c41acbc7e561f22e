"""Facts about how an LLMInferenceService is exposed: its Gateway API HTTPRoute, the Gateway(s)
the route attaches to, and the Kuadrant AuthPolicy odh-model-controller puts on it (reference
rhoai-3x.md §6). Each is a GET, memoised per context (a sweep's LIST across namespaces when it
made one: checks.cluster.exposure_lists); an API the cluster does not serve (404 on
its group) is one line ("Gateway API is not installed"), never a crash."""

from __future__ import annotations

from dataclasses import dataclass

from checks import resources
from checks.cluster.exposure_lists import GATEWAY_API, KUADRANT_API
from checks.engine.context import CheckContext
from checks.errors import KubeError, Unmet

MISSING_API = {
    GATEWAY_API: "Gateway API (gateway.networking.k8s.io/v1) is not installed",
    KUADRANT_API: "Kuadrant (kuadrant.io/v1 AuthPolicy) is not installed",
}


@dataclass(frozen=True)
class Lookup:
    """One object looked up: found (its raw dict), missing, or not askable (why, in one line)."""

    what: str  # "httproute llmd/x-kserve-route"
    raw: resources.Raw | None = None
    problem: str = ""  # "" when found; "not found", or the API/permission line
    known: bool = True  # False: could not be asked (an offline capture); not a fault

    @property
    def found(self) -> bool:
        return self.raw is not None

    def conditions(self) -> list[tuple[str, str, str, str, str]]:
        """(parent, type, status, reason, message) of a route's parents, or a gateway's own."""
        status = (self.raw or {}).get("status") or {}
        out = []
        for parent in status.get("parents") or []:
            ref = parent.get("parentRef") or {}
            name = f"{ref.get('namespace', '')}/{ref.get('name', '')}".lstrip("/")
            for c in parent.get("conditions") or []:
                out.append(_cond(name, c))
        for c in status.get("conditions") or []:
            out.append(_cond("", c))
        return out

    def false_conditions(self) -> list[str]:
        return [
            (f"parent {p}: " if p else "")
            + f"{t}={s}"
            + (f" ({r})" if r else "")
            + (f": {m}" if m else "")
            for p, t, s, r, m in self.conditions()
            if s != "True"
        ]


def _cond(parent: str, c: resources.Raw) -> tuple[str, str, str, str, str]:
    return (
        parent,
        str(c.get("type", "")),
        str(c.get("status", "")),
        str(c.get("reason", "")),
        str(c.get("message", "")),
    )


SINGULAR = {"httproutes": "httproute", "gateways": "gateway", "authpolicies": "authpolicy"}


async def _get(ctx: CheckContext, api: str, namespace: str, plural: str, name: str) -> Lookup:
    what = f"{SINGULAR[plural]} {namespace}/{name}"
    listed = ctx.snapshot.exposure.get(plural)
    if listed is not None:  # a sweep's LIST across namespaces: the API is served and readable
        raw = listed.get((namespace, name))
        return Lookup(what, raw) if raw is not None else Lookup(what, problem="not found")
    try:
        raw = await ctx.kube.get_json(f"{api}/namespaces/{namespace}/{plural}/{name}")
        return Lookup(what, raw)
    except KubeError as error:
        if error.kind == "not-found":
            if not await _served(ctx, api):
                return Lookup(what, problem=MISSING_API[api])
            return Lookup(what, problem="not found")
        if error.kind == "forbidden":
            line = f"you cannot get {plural} in {namespace}: forbidden"
            return Lookup(what, problem=line, known=False)
        return Lookup(what, problem=f"could not be read: {error}", known=False)


async def _served(ctx: CheckContext, api: str) -> bool:
    async def ask() -> bool:
        try:
            await ctx.kube.get_json(api)
            return True
        except KubeError as error:
            return error.kind != "not-found"

    return await ctx.fact(f"served:{api}", ask, shared_as=f"served:{api}")


async def _fact(ctx: CheckContext, api: str, namespace: str, plural: str, name: str) -> Lookup:
    what = f"{SINGULAR[plural]} {namespace}/{name}"
    key = f"{plural}:{namespace}/{name}"  # one object: one GET for the project's deployments
    try:
        return await ctx.fact(key, lambda: _get(ctx, api, namespace, plural, name), shared_as=key)
    except Unmet as error:
        return Lookup(what, problem=str(error), known=False)


async def http_route(ctx: CheckContext, svc: resources.LLMService) -> Lookup:
    return await _fact(ctx, GATEWAY_API, svc.namespace, "httproutes", svc.http_route)


async def gateways(ctx: CheckContext, svc: resources.LLMService) -> list[Lookup]:
    return [await _fact(ctx, GATEWAY_API, ns, "gateways", name) for ns, name in svc.gateways]


async def auth_policy(ctx: CheckContext, svc: resources.LLMService) -> Lookup:
    return await _fact(ctx, KUADRANT_API, svc.namespace, "authpolicies", svc.auth_policy)
