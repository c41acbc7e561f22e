"""Facts about how a deployment's token auth is enforced today (RHOAI 3.x Standard mode, 2.x
Serverless and ModelMesh): the switch as written, the proxy in the pod, the pod service account's
auth-delegator binding, the predictor Service's ports, and what the route answers *without* a token.

Each is a targeted GET, fetched once per context. One the user may not read is "could not verify"
(state `unknown` with the reason), never a failure: it says nothing about the deployment.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from checks import resources
from checks.endpoints.probe import HttpAnswer
from checks.engine import facts
from checks.engine.context import CheckContext
from checks.errors import DoctorError, KubeError, Unmet
from checks.knowledge import auth_proxy

AUTH_ANNOTATION = "security.opendatahub.io/enable-auth"
PROXIES = ("kube-rbac-proxy", "oauth-proxy")  # sidecars that enforce tokens inside the pod


@dataclass(frozen=True)
class Lookup:
    """One object read for a check: present, missing, or unknown (with why it could not be read)."""

    state: str  # present, missing, unknown
    detail: str = ""
    raw: dict | None = None


def is_standard(dep: resources.Deployment) -> bool:
    """Standard (RawDeployment) mode: the one place the mode words are read for auth (the mode
    parsing itself belongs to checks/resources/deployments.py)."""
    return dep.platform == resources.KSERVE and dep.mode in ("RawDeployment", "Standard")


def raw_isvc(ctx: CheckContext) -> dict:
    dep = ctx.deployment
    for raw in ctx.snapshot.raw.get("inferenceservices") or []:
        meta = raw.get("metadata") or {}
        if meta.get("name") == dep.name and meta.get("namespace") == dep.namespace:
            return raw
    return {}


def auth_annotation(ctx: CheckContext) -> str | None:
    """The switch as written on the InferenceService (None: absent) — KServe only."""
    annotations = (raw_isvc(ctx).get("metadata") or {}).get("annotations") or {}
    value = annotations.get(AUTH_ANNOTATION)
    return None if value is None else str(value)


def auth_label(ctx: CheckContext) -> str | None:
    """The switch as a *label* (None: absent): odh-v2.23 to v2.25 read it there (controllers.md §1.6)."""
    labels = (raw_isvc(ctx).get("metadata") or {}).get("labels") or {}
    value = labels.get(AUTH_ANNOTATION)
    return None if value is None else str(value)


def auth_on(ctx: CheckContext) -> bool:
    """What the controllers enforce: only the exact string "true" (ModelMesh: on its runtime)."""
    if ctx.deployment.platform == resources.MODELMESH:
        return bool(ctx.server and ctx.server.enable_auth)
    return ctx.deployment.auth_enabled


def pod_service_account(ctx: CheckContext) -> str:
    """The predictor pod's SA: `spec.predictor.serviceAccountName`, else `default`."""
    predictor = (raw_isvc(ctx).get("spec") or {}).get("predictor") or {}
    return str(predictor.get("serviceAccountName") or "default")


def delegator_name(ctx: CheckContext) -> str:
    return f"{ctx.namespace}-{pod_service_account(ctx)}-auth-delegator"


def proxy_in_pods(ctx: CheckContext) -> str:
    """The auth sidecar in the runtime pods, or '' when none (Serverless: Authorino outside)."""
    for pod in ctx.pods:
        found = next((name for name in PROXIES if name in pod.container_names), "")
        if found:
            return found
    return ""


async def _get(
    ctx: CheckContext, key: str, path: str, what: str, *, shared: bool = False
) -> Lookup:
    async def read() -> Lookup:
        try:
            raw = await ctx.kube.get_json(path)
        except KubeError as error:
            if error.kind == "not-found":
                return Lookup("missing", f"{what} not found")
            if error.kind == "forbidden":
                plural = path.rstrip("/").rsplit("/", 2)[-2]
                return Lookup("unknown", f"could not verify {what}: you cannot get {plural}")
            return Lookup("unknown", f"could not verify {what}: {error}")
        except DoctorError as error:
            return Lookup("unknown", f"could not verify {what}: {error}")
        return Lookup("present", what, raw)

    return await ctx.fact(key, read, shared_as=path if shared else "")


async def delegator_binding(ctx: CheckContext) -> Lookup:
    """GET the ClusterRoleBinding odh-model-controller makes for the pod SA (system:auth-delegator)."""
    name = delegator_name(ctx)
    return await _get(
        ctx,
        "auth:delegator",
        f"/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/{name}",
        f"ClusterRoleBinding {name}",
        shared=True,  # one per service account: the same object for its deployments
    )


async def predictor_service(ctx: CheckContext) -> Lookup:
    """The predictor's Service: from the project's LIST of services when the snapshot made one
    a moment ago on the live cluster (a sweep asked it again for each deployment), else a GET."""
    name = f"{ctx.deployment.name}-predictor"
    what = f"Service {name}"
    listed = ctx.snapshot.raw.get("services")
    if not ctx.options.capture and listed is not None and "services" not in ctx.snapshot.errors:

        async def from_list() -> Lookup:
            for raw in listed:
                if isinstance(raw, dict) and (raw.get("metadata") or {}).get("name") == name:
                    return Lookup("present", what, raw)
            return Lookup("missing", f"{what} not found")

        return await ctx.fact("auth:service", from_list)
    return await _get(
        ctx, "auth:service", f"/api/v1/namespaces/{ctx.namespace}/services/{name}", what
    )


def service_ports(raw: dict) -> list[tuple[str, int, str]]:
    """(name, port, targetPort) of each Service port."""
    return [
        (str(p.get("name", "")), int(p.get("port") or 0), str(p.get("targetPort", "")))
        for p in (raw.get("spec") or {}).get("ports") or []
        if isinstance(p, dict)
    ]


async def unauthenticated_probe(ctx: CheckContext) -> Any:
    """The model's metadata URL asked with *no* token: does anything stop an anonymous caller?
    Bounded like every probe (RouteAccess). None when the model has no external URL."""
    url = facts.model_url(ctx)
    if url is None:
        return None
    return await ctx.fact("auth:open-probe", lambda: ctx.routes.probe(url, None))


async def seen_without_token(ctx: CheckContext) -> HttpAnswer | None:
    """What the route answered a request with no token, when one was sent and answered (None:
    no external URL, no answer, or not probed — an offline capture)."""
    try:
        result = await unauthenticated_probe(ctx)
    except Unmet:
        return None
    return result.answer if result is not None else None


def refused(answer: HttpAnswer | None) -> bool:
    """Whatever stands in front refused the caller: a 401/403, or 2.x oauth-proxy's redirect to
    the OpenShift login (controllers.md §2)."""
    return answer is not None and (
        answer.status in (401, 403) or answer.who == auth_proxy.OAUTH_PROXY
    )


def proxy_answered(answer: HttpAnswer | None) -> bool:
    """The auth proxy, not the model, answered: a refusal, or kube-rbac-proxy's 500 when its
    own SubjectAccessReview call failed (controllers.md §2) — the token's business."""
    return refused(answer) or (answer is not None and answer.who == auth_proxy.WHO)


def model_answered(answer: HttpAnswer) -> bool:
    """The model itself answered (a 2xx JSON from the server), not a proxy or a login page."""
    return 200 <= answer.status < 300 and answer.who == "model server"


def proxy_refusal(answer: HttpAnswer | None, model: str) -> str | None:
    """kube-rbac-proxy's refusal in words (who, and the permission it lacks), else None."""
    if answer is None or answer.who != auth_proxy.WHO:
        return None
    refusal = auth_proxy.parse(answer.status, "text/plain", answer.detail)
    return None if refusal is None else auth_proxy.explain(refusal, model)
