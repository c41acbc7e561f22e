"""The auth proxies' answers read as facts (controllers.md §2). kube-rbac-proxy (RHOAI 3.x Standard)
sends Go `http.Error` bodies (text/plain, one line), so who was refused, and for what, is in the
words; oauth-proxy answers a refusal with a login: KServe Raw 2.x runs it with
`--skip-provider-button`, so it redirects (302) to the OpenShift OAuth authorize URL and sets a
`_oauth_proxy_csrf` cookie; ModelMesh's, without that flag, shows its 403 "Log In" page.

| status | body |
| 401 | `Unauthorized` (no, invalid or expired token — or the proxy could not review it) |
| 403 | `Forbidden (user=<u>, verb=<v>, resource=<r>, subresource=<s>)` (RBAC said no) |
| 500 | `Authorization error (user=…, …)` (the SubjectAccessReview call itself failed) |
| 400 | `Bad Request. The request or configuration is malformed.` |
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from checks.text import one_line

WHO = "kube-rbac-proxy"
OAUTH_PROXY = "oauth-proxy"
OAUTH_AUTHORIZE = "/oauth/authorize"
OAUTH_CSRF = "_oauth_proxy_csrf"
BAD_REQUEST = "Bad Request. The request or configuration is malformed."
_ATTRIBUTES = re.compile(
    r"^(?P<kind>Forbidden|Authorization error) \(user=(?P<user>[^,]*), verb=(?P<verb>[^,]*), "
    r"resource=(?P<resource>[^,]*), subresource=(?P<subresource>[^)]*)\)$"
)


@dataclass(frozen=True)
class ProxyRefusal:
    """One parsed kube-rbac-proxy refusal: what it said, and the request attributes it named."""

    status: int
    kind: str  # unauthorized, forbidden, authorization-error, bad-request
    line: str
    user: str = ""
    verb: str = ""
    resource: str = ""
    subresource: str = ""

    @property
    def wanted(self) -> str:
        """'get inferenceservices' — what the caller was refused."""
        resource = self.resource + (f"/{self.subresource}" if self.subresource else "")
        return f"{self.verb} {resource}".strip()


def parse(status: int, content_type: str, body: str) -> ProxyRefusal | None:
    """The refusal when the answer is one of kube-rbac-proxy's plain-text bodies, else None."""
    if content_type and "text/plain" not in content_type.lower():
        return None
    line = body.strip()
    if "\n" in line or len(line) > 1000:
        return None
    if status == 401 and line == "Unauthorized":
        return ProxyRefusal(401, "unauthorized", line)
    if status == 400 and line == BAD_REQUEST:
        return ProxyRefusal(400, "bad-request", line)
    match = _ATTRIBUTES.match(line)
    if match is None:
        return None
    kind = "forbidden" if match["kind"] == "Forbidden" else "authorization-error"
    if (status, kind) not in ((403, "forbidden"), (500, "authorization-error")):
        return None
    return ProxyRefusal(
        status,
        kind,
        one_line(line),
        one_line(match["user"]),
        one_line(match["verb"]),
        one_line(match["resource"]),
        one_line(match["subresource"]),
    )


def explain(refusal: ProxyRefusal, model: str = "") -> str:
    """One sentence a person can act on, naming the user and the permission it lacks."""
    name = model or "<name>"
    if refusal.kind == "unauthorized":
        return (
            "401 Unauthorized from kube-rbac-proxy: the token is missing, invalid or expired — "
            "or the proxy could not review it (its pod's service account lacks the "
            "ClusterRoleBinding <namespace>-<sa>-auth-delegator to system:auth-delegator)"
        )
    if refusal.kind == "forbidden":
        return (
            f"403 from kube-rbac-proxy: {refusal.line} — {refusal.user or 'the caller'} may not "
            f"{refusal.verb or 'get'} {refusal.resource or 'inferenceservices'}/{name}; bind it "
            f"to a Role granting get on inferenceservices [{name}] (the dashboard's Role "
            f"{name}-view-role and RoleBinding {name}-view)"
        )
    if refusal.kind == "authorization-error":
        return (
            f"500 from kube-rbac-proxy: {refusal.line} — its SubjectAccessReview call failed: "
            "the predictor pod's service account lacks system:auth-delegator"
        )
    return (
        "400 from kube-rbac-proxy: 'Bad Request': the request attributes it derives are "
        "malformed (its --config-file / SAR ConfigMap)"
    )


def oauth_login(status: int, headers: dict[str, str]) -> str | None:
    """Where 2.x oauth-proxy sends a caller it did not accept (the OpenShift login), or None when
    the answer is not that redirect. `headers` have lower-case names."""
    if status not in (301, 302, 303, 307, 308):
        return None
    location = headers.get("location", "")
    if OAUTH_AUTHORIZE in location or OAUTH_CSRF in headers.get("set-cookie", ""):
        return location.split("?", 1)[0] or "the OpenShift login"
    return None


def explain_login(status: int, where: str) -> str:
    """oauth-proxy's refusal in words: both answers mean the same, only the version differs."""
    if status == 403:
        return (
            "403 from oauth-proxy (its 'Log In' page): the token is missing or invalid, or its "
            "service account may not 'get services' in the project — check the token and its "
            "role binding"
        )
    return (
        f"{status} from oauth-proxy to the OpenShift login ({one_line(where)}): it did not accept "
        "the token — missing, invalid, or its service account may not get this "
        "InferenceService (2.x KServe Raw; 3.x's kube-rbac-proxy would answer 401/403)"
    )
