"""The lab's kube-rbac-proxy: the sidecar RHOAI 3.x puts in a Standard predictor pod on 8443.

It reviews the caller's bearer token (TokenReview) and asks one SubjectAccessReview read from the
ISVC's `<isvc>-kube-rbac-proxy-sar-config` ConfigMap, both *as the pod's own service account* —
so without that account's auth-delegator binding the reviews are refused and so is every caller.
Its answers are Go `http.Error` bodies: text/plain, one line, no WWW-Authenticate header.
"""

from __future__ import annotations

import ssl

import aiohttp
import yaml
from aiohttp import web

from lab.kube.kinds import kind_by_name
from lab.kube.store import Obj, Store

PROXY = "kube-rbac-proxy"
UNAUTHORIZED = "Unauthorized"


def _text(status: int, line: str) -> web.Response:
    """Go's http.Error: `Content-Type: text/plain; charset=utf-8`, the line and a newline."""
    return web.Response(
        status=status,
        body=(line + "\n").encode(),
        headers={"Content-Type": "text/plain; charset=utf-8", "X-Content-Type-Options": "nosniff"},
    )


def access_review(user: dict, attributes: dict) -> dict:
    """The SubjectAccessReview an auth proxy asks about a reviewed caller (kube-rbac-proxy and
    Authorino alike)."""
    return {
        "apiVersion": "authorization.k8s.io/v1",
        "kind": "SubjectAccessReview",
        "spec": {
            "user": user.get("username"),
            "groups": user.get("groups") or [],
            "uid": user.get("uid", ""),
            "resourceAttributes": attributes,
        },
    }


class KubeRbacProxy:
    def __init__(
        self,
        store: Store,
        api_url: str,
        ssl_context: ssl.SSLContext,
        pod_tokens: dict[tuple[str, str], str],
    ) -> None:
        self.store, self.api_url, self._ssl = store, api_url, ssl_context
        self.pod_tokens = pod_tokens
        self._session: aiohttp.ClientSession | None = None

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()

    def pod_of(self, isvc: Obj) -> Obj | None:
        ns, name = isvc["metadata"]["namespace"], isvc["metadata"]["name"]
        for pod in self.store.list(kind_by_name("Pod"), ns):
            labels = pod["metadata"].get("labels") or {}
            if labels.get("serving.kserve.io/inferenceservice") == name:
                return pod
        return None

    def fronts(self, route: Obj, isvc: Obj) -> bool | None:
        """For a Standard route to `<isvc>-predictor`: True when it reaches the proxy (port
        `https` and the sidecar in the pod), False when it goes straight to the model (`http`).
        None for any other route (Serverless, ModelMesh)."""
        ns, name = isvc["metadata"]["namespace"], isvc["metadata"]["name"]
        spec = route.get("spec") or {}
        if route["metadata"].get("namespace") != ns or (spec.get("to") or {}).get("name") != (
            f"{name}-predictor"
        ):
            return None
        if (spec.get("port") or {}).get("targetPort") != "https":
            return False
        pod = self.pod_of(isvc) or {}
        return any(c.get("name") == PROXY for c in (pod.get("spec") or {}).get("containers") or [])

    async def _review(self, kind: str, body: dict, token: str) -> tuple[int, dict]:
        if self._session is None:
            self._session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(ssl=self._ssl))
        group = "authentication.k8s.io" if kind == "tokenreviews" else "authorization.k8s.io"
        async with self._session.post(
            f"{self.api_url}/apis/{group}/v1/{kind}",
            json=body,
            headers={"Authorization": f"Bearer {token}"},
        ) as response:
            return response.status, await response.json()

    def _attributes(self, isvc: Obj) -> dict:
        ns, name = isvc["metadata"]["namespace"], isvc["metadata"]["name"]
        config = self.store.get(kind_by_name("ConfigMap"), ns, f"{name}-kube-rbac-proxy-sar-config")
        text = ((config or {}).get("data") or {}).get("config-file.yaml", "")
        loaded = yaml.safe_load(text) if text else {}
        attributes = ((loaded or {}).get("authorization") or {}).get("resourceAttributes") or {}
        return {
            "namespace": attributes.get("namespace", ns),
            "group": attributes.get("apiGroup", ""),
            "resource": attributes.get("resource", ""),
            "name": attributes.get("name", ""),
            "verb": attributes.get("verb", "get"),
        }

    async def refuse(self, request: web.Request, isvc: Obj) -> web.Response | None:
        """The proxy's answer when it refuses the request; None lets it through to the model."""
        pod = self.pod_of(isvc) or {}
        account = (pod.get("spec") or {}).get("serviceAccountName") or "default"
        own = self.pod_tokens.get((isvc["metadata"]["namespace"], account), "")
        header = request.headers.get("Authorization", "")
        if not header.lower().startswith("bearer ") or not header[7:].strip():
            return _text(401, UNAUTHORIZED)
        status, review = await self._review(
            "tokenreviews",
            {
                "apiVersion": "authentication.k8s.io/v1",
                "kind": "TokenReview",
                "spec": {"token": header[7:].strip()},
            },
            own,
        )
        verdict = review.get("status") or {}
        if status >= 300 or not verdict.get("authenticated"):  # the review failed or said no
            return _text(401, UNAUTHORIZED)
        user = verdict.get("user") or {}
        attributes = self._attributes(isvc)
        words = (
            f"(user={user.get('username', '')}, verb={attributes['verb']}, "
            f"resource={attributes['resource']}, subresource=)"
        )
        status, access = await self._review(
            "subjectaccessreviews",
            access_review(user, attributes),
            own,
        )
        if status >= 300:
            return _text(500, f"Authorization error {words}")
        if not (access.get("status") or {}).get("allowed"):
            return _text(403, f"Forbidden {words}")
        return None
