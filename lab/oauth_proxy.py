"""The lab's oauth-proxy as KServe Raw runs it on RHOAI 2.x (controllers.md §1.3, §2): in the
predictor pod on 8443, `--provider=openshift --skip-provider-button`, with
`--openshift-delegate-urls` asking `get inferenceservices/<isvc>` for a bearer token.

A request it does not accept (no token, an invalid one, a TokenReview it may not make, a SAR
that says no) leaves no session, and with `--skip-provider-button` it starts the login at once:
a 302 to the OpenShift OAuth authorize URL with a `_oauth_proxy_csrf` cookie. Go's
`http.Redirect` gives a GET a small `<a href="…">Found</a>.` body, a POST none.
"""

from __future__ import annotations

import hashlib
from urllib.parse import quote

from aiohttp import web

from lab.kube.store import Obj
from lab.rbac_proxy import KubeRbacProxy, access_review
from lab.tls import APPS_DOMAIN

PROXY = "oauth-proxy"
LOGIN_HOST = f"oauth-openshift.{APPS_DOMAIN}"


def redirect_to_login(request: web.Request, ns: str, account: str) -> web.Response:
    """oauth-proxy's OAuthStart: the authorize URL, the CSRF cookie, Go's redirect body."""
    host = (request.host or "").rsplit(":", 1)[0]
    nonce = hashlib.sha256(f"{ns}{request.path}".encode()).hexdigest()[:32]
    location = (
        f"https://{LOGIN_HOST}/oauth/authorize?approval_prompt=force"
        f"&client_id={quote(f'system:serviceaccount:{ns}:{account}', safe='')}"
        f"&redirect_uri={quote(f'https://{host}/oauth/callback', safe='')}"
        "&response_type=code&scope=user%3Ainfo+user%3Acheck-access"
        f"&state={nonce}%3A{quote(request.path, safe='')}"
    )
    headers = {
        "Location": location,
        "Set-Cookie": f"_oauth_proxy_csrf={nonce}; Path=/; Max-Age=3600; HttpOnly; Secure",
    }
    if request.method in ("GET", "HEAD"):
        headers["Content-Type"] = "text/html; charset=utf-8"
        body = f'<a href="{location.replace("&", "&amp;")}">Found</a>.\n\n'.encode()
        return web.Response(status=302, body=body, headers=headers)
    return web.Response(status=302, headers=headers)


class OAuthProxy:
    """Shares the kube-rbac-proxy's pod lookup and review calls (the same API, the same pod
    service account's token); only what it answers differs."""

    def __init__(self, rbac: KubeRbacProxy) -> None:
        self.rbac = rbac

    def fronts(self, route: Obj, isvc: Obj) -> bool:
        """A Raw route to `<isvc>-predictor` whose pod runs oauth-proxy (2.x with auth)."""
        ns, name = isvc["metadata"]["namespace"], isvc["metadata"]["name"]
        spec = route.get("spec") or {}
        if (
            route["metadata"].get("namespace") != ns
            or (spec.get("to") or {}).get("name") != f"{name}-predictor"
        ):
            return False
        pod = self.rbac.pod_of(isvc) or {}
        return any(c.get("name") == PROXY for c in (pod.get("spec") or {}).get("containers") or [])

    async def refuse(self, request: web.Request, isvc: Obj) -> web.Response | None:
        ns, name = isvc["metadata"]["namespace"], isvc["metadata"]["name"]
        pod = self.rbac.pod_of(isvc) or {}
        account = (pod.get("spec") or {}).get("serviceAccountName") or "default"
        own = self.rbac.pod_tokens.get((ns, account), "")
        header = request.headers.get("Authorization", "")
        token = header[7:].strip() if header.lower().startswith("bearer ") else ""
        if not token:
            return redirect_to_login(request, ns, account)
        review_body = {
            "apiVersion": "authentication.k8s.io/v1",
            "kind": "TokenReview",
            "spec": {"token": token},
        }
        status, review = await self.rbac._review("tokenreviews", review_body, own)
        verdict = review.get("status") or {}
        if status >= 300 or not verdict.get("authenticated"):
            return redirect_to_login(request, ns, account)
        attributes = {
            "namespace": ns,
            "group": "serving.kserve.io",
            "resource": "inferenceservices",
            "name": name,
            "verb": "get",
        }
        user = verdict.get("user") or {}
        status, access = await self.rbac._review(
            "subjectaccessreviews", access_review(user, attributes), own
        )
        if status >= 300 or not (access.get("status") or {}).get("allowed"):
            return redirect_to_login(request, ns, account)
        return None
