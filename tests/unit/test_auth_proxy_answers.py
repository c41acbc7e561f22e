"""Who refused a request, and why, from the answer alone: kube-rbac-proxy's plain-text bodies
(recorded from the lab's proxy, and the two it cannot be made to send, written as the proxy's
filter code formats them), oauth-proxy's login page and Authorino's headers."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from checks.endpoints.explain import explain
from checks.endpoints.probe import who_answered
from checks.knowledge import auth_proxy

RECORDED = json.loads((Path(__file__).parent / "fixtures" / "proxy-answers.json").read_text())
TEXT = {"content-type": "text/plain; charset=utf-8"}
# kube-rbac-proxy answers the lab has no fault for (pkg/filters/auth.go formats)
SAR_FAILED = (
    "Authorization error (user=system:serviceaccount:ns1:granite-sa, verb=get, "
    "resource=inferenceservices, subresource=)\n"
)
MALFORMED = "Bad Request. The request or configuration is malformed.\n"


def answer(name: str) -> httpx.Response:
    case = RECORDED[name]
    return httpx.Response(case["status"], headers=case["headers"], content=case["body"].encode())


def test_a_403_names_the_user_and_the_permission_it_lacks() -> None:
    got = who_answered(answer("kube-rbac-proxy-403-forbidden"))
    assert (got.status, got.who) == (403, "kube-rbac-proxy")
    refusal = auth_proxy.parse(403, "text/plain; charset=utf-8", got.body)
    assert refusal is not None
    assert (refusal.kind, refusal.user, refusal.verb, refusal.resource, refusal.subresource) == (
        "forbidden",
        "system:serviceaccount:auth-denied:iris-sa",
        "get",
        "inferenceservices",
        "",
    )
    said = explain(got, "iris")
    assert "system:serviceaccount:auth-denied:iris-sa may not get inferenceservices/iris" in said
    assert "iris-view-role" in said and "RoleBinding iris-view" in said


@pytest.mark.parametrize(
    "name", ["kube-rbac-proxy-401-no-token", "kube-rbac-proxy-401-no-delegator"]
)
def test_a_401_is_the_token_or_the_proxys_own_review(name: str) -> None:
    got = who_answered(answer(name))
    assert (got.status, got.who, got.detail) == (401, "kube-rbac-proxy", "Unauthorized")
    said = explain(got, "iris")
    assert "missing, invalid or expired" in said and "auth-delegator" in said


def test_a_500_is_the_access_review_call_failing() -> None:
    got = who_answered(httpx.Response(500, headers=TEXT, content=SAR_FAILED.encode()))
    assert got.who == "kube-rbac-proxy"
    refusal = auth_proxy.parse(500, TEXT["content-type"], SAR_FAILED)
    assert refusal is not None and refusal.kind == "authorization-error"
    assert refusal.user == "system:serviceaccount:ns1:granite-sa"
    assert "SubjectAccessReview call failed" in explain(got) and "system:auth-delegator" in explain(
        got
    )


def test_a_400_is_malformed_request_attributes() -> None:
    got = who_answered(httpx.Response(400, headers=TEXT, content=MALFORMED.encode()))
    assert got.who == "kube-rbac-proxy"
    assert "malformed" in explain(got)


def test_oauth_proxy_and_authorino_keep_their_own_words() -> None:
    oauth = who_answered(answer("oauth-proxy-403-no-token"))
    assert oauth.who == "oauth-proxy" and "'Log In' page" in explain(oauth)
    authorino = who_answered(answer("authorino-401-no-token"))
    assert authorino.who == "Authorino" and "credential not found" in explain(authorino)


@pytest.mark.parametrize(
    ("status", "content_type", "body"),
    [
        (401, "application/json", "Unauthorized"),  # a JSON API error is not the proxy
        (403, "text/plain", "Unauthorized\n"),  # wrong status for the body
        (403, "text/plain", "Forbidden"),  # no attributes
        (200, "text/plain", "Forbidden (user=a, verb=get, resource=r, subresource=)"),
        (403, "text/plain", "Forbidden (user=a, verb=get, resource=r, subresource=)\nmore"),
        (500, "text/plain", "Forbidden (user=a, verb=get, resource=r, subresource=)"),
    ],
)
def test_look_alikes_are_not_taken_for_the_proxy(status: int, content_type: str, body: str) -> None:
    assert auth_proxy.parse(status, content_type, body) is None


def test_hostile_text_in_a_refusal_is_shown_not_obeyed() -> None:
    body = "Forbidden (user=evil\x1b]52;c;aGk=\x07, verb=get, resource=inferenceservices, subresource=)"
    refusal = auth_proxy.parse(403, "text/plain", body)
    assert refusal is not None and "\x1b" not in refusal.user and "\x1b" not in refusal.line
