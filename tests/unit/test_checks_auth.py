"""auth and token on recorded 3.x Standard projects: the proxy's answers, the delegator binding
and the Service given as recorded facts (what the live lab answered, or what it cannot be made to)."""

from __future__ import annotations

import copy

import pytest

from checks.catalog.auth import AuthCheck
from checks.catalog.token import TokenCheck
from checks.endpoints.probe import HttpAnswer, ProbeResult
from checks.engine.auth_facts import Lookup
from checks.engine.runner import Status
from tests.helpers import judge, recorded_raw

URL = "https://iris-{}.apps.rhoai-lab.test/v2/models/iris"
FORBIDDEN = (
    "Forbidden (user=system:serviceaccount:auth-denied:iris-sa, verb=get, "
    "resource=inferenceservices, subresource=)"
)
CRB = Lookup("present", "ClusterRoleBinding auth-healthy-default-auth-delegator", {})
HTTPS = Lookup(
    "present",
    "Service iris-predictor",
    {"spec": {"ports": [{"name": "https", "port": 8443, "targetPort": "https"}]}},
)


def probed(project: str, status: int, who: str, detail: str) -> ProbeResult:
    answer = HttpAnswer(status, who, detail)
    return ProbeResult(URL.format(project), None, f"{status} from {who}", (), answer)


def test_an_open_exposed_model_is_a_loud_warning_naming_the_annotation() -> None:
    facts = {"auth:open-probe": probed("auth-open", 200, "model server", "JSON answer")}
    outcome = judge(AuthCheck(), "auth-open", "iris", facts)
    assert outcome.status == Status.WARN
    assert "anyone who can reach the route can call it" in outcome.summary
    assert 'security.opendatahub.io/enable-auth: "true"' in outcome.remediation
    assert "the dashboard shows the deployment as token-protected" in outcome.remediation


def test_an_annotation_not_exactly_true_is_named_as_such() -> None:
    raw = copy.deepcopy(recorded_raw("auth-open"))
    raw["inferenceservices"][0]["metadata"]["annotations"][
        "security.opendatahub.io/enable-auth"
    ] = "True"
    facts = {"auth:open-probe": probed("auth-open", 200, "model server", "JSON answer")}
    outcome = judge(AuthCheck(), "auth-open", "iris", facts, raw=raw)
    assert outcome.status == Status.WARN
    assert 'it is "True"; only the exact string "true" turns auth on' in outcome.remediation


def test_an_open_model_that_refuses_anyway_is_not_flagged() -> None:
    facts = {"auth:open-probe": probed("auth-open", 403, "a web page", "an HTML page")}
    assert judge(AuthCheck(), "auth-open", "iris", facts).status == Status.PASS


def test_a_missing_delegator_binding_fails_naming_it_and_the_command() -> None:
    facts = {
        "auth:delegator": Lookup("missing", "not found"),
        "auth:open-probe": probed("auth-no-delegator", 401, "kube-rbac-proxy", "Unauthorized"),
        "probe": probed("auth-no-delegator", 401, "kube-rbac-proxy", "Unauthorized"),
    }
    outcome = judge(AuthCheck(), "auth-no-delegator", "iris", facts)
    assert outcome.status == Status.FAIL
    assert (
        "ClusterRoleBinding auth-no-delegator-default-auth-delegator is missing" in outcome.summary
    )
    assert "--clusterrole=system:auth-delegator" in outcome.remediation
    assert "--serviceaccount=auth-no-delegator:default" in outcome.remediation


def test_bindings_one_may_not_read_are_could_not_verify_not_a_failure() -> None:
    facts = {
        "auth:delegator": Lookup(
            "unknown", "could not verify ClusterRoleBinding x: you cannot get clusterrolebindings"
        ),
        "auth:service": HTTPS,
        "auth:open-probe": probed("auth-healthy", 401, "kube-rbac-proxy", "Unauthorized"),
    }
    outcome = judge(AuthCheck(), "auth-healthy", "iris", facts)
    assert outcome.status == Status.PASS
    assert any("you cannot get clusterrolebindings" in e for e in outcome.evidence)


@pytest.mark.parametrize(
    ("ports", "words"),
    [
        ([{"name": "http", "port": 80, "targetPort": 8080}], "does not expose 8443"),
        ([], "(it has none)"),
    ],
)
def test_auth_true_without_the_https_port_is_named(ports, words) -> None:
    facts = {
        "auth:delegator": CRB,
        "auth:service": Lookup("present", "Service iris-predictor", {"spec": {"ports": ports}}),
    }
    outcome = judge(AuthCheck(), "auth-healthy", "iris", facts)
    assert outcome.status == Status.FAIL and words in outcome.summary


def test_auth_true_but_answering_without_a_token_is_a_bypass_warning() -> None:
    facts = {
        "auth:delegator": CRB,
        "auth:service": HTTPS,
        "auth:open-probe": probed("auth-healthy", 200, "model server", "JSON answer"),
    }
    outcome = judge(AuthCheck(), "auth-healthy", "iris", facts)
    assert outcome.status == Status.WARN and "the proxy is bypassed" in outcome.summary


def test_the_token_check_quotes_kube_rbac_proxys_403() -> None:
    facts = {
        "review": {"status": {"allowed": False}},
        "probe": probed("auth-denied", 403, "kube-rbac-proxy", FORBIDDEN),
    }
    outcome = judge(TokenCheck(), "auth-denied", "iris", facts, model_token="t0ken")
    assert outcome.status == Status.FAIL
    assert FORBIDDEN in outcome.summary
    assert "may not get inferenceservices/iris in auth-denied" in outcome.summary


def test_a_valid_token_refused_with_401_points_at_the_proxys_own_review() -> None:
    facts = {
        "review": {"status": {"allowed": True}},
        "probe": probed("auth-healthy", 401, "kube-rbac-proxy", "Unauthorized"),
    }
    outcome = judge(TokenCheck(), "auth-healthy", "iris", facts, model_token="t0ken")
    assert outcome.status == Status.FAIL
    assert "401 Unauthorized from kube-rbac-proxy" in outcome.summary
    assert "auth-delegator" in outcome.summary
