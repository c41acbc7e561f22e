"""route, token, input-shape and events on recorded lab objects, with the route's and the API
server's answers given as recorded facts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from checks.catalog.events import RecentEvents
from checks.catalog.input_shape import InputShape
from checks.catalog.route import RouteCheck
from checks.catalog.token import TokenCheck
from checks.endpoints.probe import HttpAnswer, ProbeResult
from checks.engine.runner import Status
from checks.errors import KubeError
from checks.model_files.onnx import read_signature
from tests.helpers import judge, kmeans_model, recorded_raw

IRIS = ("iris-project", "iris-model")
PRICING = ("pricing-project", "pricing")
URL = "https://iris-model-iris-project.apps.rhoai-lab.test/v2/models/iris-model"


def answered(status: int, who: str, detail: str = "") -> dict:
    answer = HttpAnswer(status, who, detail)
    return {"probe": ProbeResult(URL, None, f"{status} from {who}", ("DNS: ok",), answer)}


# -- route ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("status", "who", "verdict", "words"),
    [
        (200, "model server", Status.PASS, "reachable: 200 from model server"),
        (403, "oauth-proxy", Status.PASS, "(see the token check)"),
        (401, "Authorino", Status.PASS, "(see the token check)"),
        (503, "OpenShift router", Status.FAIL, "'Application is not available'"),
        (404, "model server", Status.FAIL, "404 from model server"),
        (500, "model server", Status.FAIL, "500 from model server"),
    ],
)
def test_who_answered_the_route_decides(status, who, verdict, words) -> None:
    outcome = judge(RouteCheck(), *IRIS, answered(status, who, "detail"))
    assert outcome.status == verdict and words in outcome.summary


def test_a_host_that_does_not_resolve_here_is_not_judged_as_broken() -> None:
    facts = {"probe": ProbeResult(URL, "dns", "cannot resolve the host", ())}
    outcome = judge(RouteCheck(), *IRIS, facts)
    assert outcome.status == Status.ERROR and "--resolve" in outcome.remediation


def test_an_untrusted_certificate_fails_with_the_ca_flag_as_fix() -> None:
    facts = {"probe": ProbeResult(URL, "tls", "TLS: the certificate is not trusted", ())}
    outcome = judge(RouteCheck(), *IRIS, facts)
    assert outcome.status == Status.FAIL and "--certificate-authority" in outcome.remediation


def test_a_route_the_router_did_not_admit_fails_with_its_reason() -> None:
    raw = recorded_raw("iris-project")
    condition = raw["routes"][0]["status"]["ingress"][0]["conditions"][0]
    condition.update({"status": "False", "message": "host already claimed"})
    outcome = judge(RouteCheck(), *IRIS, raw=raw)
    assert outcome.status == Status.FAIL
    assert "not admitted by the router: host already claimed" in outcome.summary


def test_a_modelmesh_server_without_enable_route_has_no_route() -> None:
    outcome = judge(RouteCheck(), "route-disabled", "iris-model")
    assert outcome.status == Status.FAIL and "enable-route" in outcome.summary


def test_an_internal_only_kserve_deployment_says_so() -> None:
    raw = recorded_raw("pricing-project")
    isvc = raw["inferenceservices"][0]
    isvc["metadata"]["labels"]["networking.knative.dev/visibility"] = "cluster-local"
    isvc["status"]["url"] = "http://pricing.pricing-project.svc.cluster.local"
    outcome = judge(RouteCheck(), *PRICING, raw=raw)
    assert outcome.status == Status.FAIL and "internal only" in outcome.summary


# -- token ------------------------------------------------------------------------------------
def test_a_token_the_enforcer_would_let_through_passes() -> None:
    outcome = judge(TokenCheck(), *IRIS, {"review": {"status": {"allowed": True}}})
    assert outcome.status == Status.PASS and "is allowed: namespace=iris-project" in outcome.summary


def test_a_rejected_token_is_named() -> None:
    facts = {"review": KubeError("unauthorized", "Unauthorized")}
    outcome = judge(TokenCheck(), *IRIS, facts)
    assert outcome.status == Status.FAIL and "rejects the token (401)" in outcome.summary


def test_a_denied_token_without_a_role_binding_says_which_binding_to_recreate() -> None:
    facts = {"review": {"status": {"allowed": False}}}
    outcome = judge(TokenCheck(), "token-no-rolebinding", "iris-model", facts)
    assert outcome.status == Status.FAIL
    assert "no role binding grants it, so the route answers 403" in outcome.summary


def test_a_denied_token_whose_binding_exists_blames_the_binding() -> None:
    outcome = judge(TokenCheck(), *IRIS, {"review": {"status": {"allowed": False}}})
    assert outcome.status == Status.FAIL
    assert "its role binding does not grant it" in outcome.summary


def test_no_token_secret_is_a_failure_with_the_dashboard_fix() -> None:
    raw = recorded_raw("iris-project")
    raw["secrets"] = [
        s for s in raw["secrets"] if s.get("type") != "kubernetes.io/service-account-token"
    ]
    outcome = judge(TokenCheck(), *IRIS, raw=raw)
    assert outcome.status == Status.FAIL and "no token for iris-model" in outcome.summary


def test_auth_switched_off_passes_and_says_the_route_is_open() -> None:
    raw = recorded_raw("iris-project")
    raw["servingruntimes"][0]["metadata"]["annotations"].pop("enable-auth")
    outcome = judge(TokenCheck(), *IRIS, raw=raw)
    assert outcome.status == Status.PASS and "without a token" in outcome.summary


def test_secrets_a_user_may_not_read_block_the_token_check_unless_given_one() -> None:
    blocked = judge(TokenCheck(), *IRIS, forbidden=("secrets",))
    assert blocked.status == Status.SKIP and blocked.summary.endswith("; pass --token")
    given = judge(
        TokenCheck(),
        *IRIS,
        {"review": {"status": {"allowed": True}}},
        forbidden=("secrets",),
        model_token="a-token",
    )
    assert given.status == Status.PASS


# -- input-shape ------------------------------------------------------------------------------
SIGNATURE = {"signature": ("iris/model.onnx", read_signature(kmeans_model()))}


def test_without_a_request_the_expected_inputs_are_stated() -> None:
    outcome = judge(InputShape(), *IRIS, {**SIGNATURE, "metadata": None})
    assert outcome.status == Status.PASS
    assert "no request given; the model expects X FP32" in outcome.summary


def test_server_metadata_that_disagrees_with_the_bucket_warns() -> None:
    metadata = {"inputs": [{"name": "X", "datatype": "FP64", "shape": [-1, 4]}]}
    outcome = judge(InputShape(), *IRIS, {**SIGNATURE, "metadata": metadata})
    assert outcome.status == Status.WARN
    assert 'input "X": server says FP64, graph says FP32' in outcome.summary


def test_a_request_that_does_not_match_fails_before_anything_is_sent() -> None:
    request = {"inputs": [{"name": "Y", "shape": [1, 4], "datatype": "FP32", "data": [1, 2, 3, 4]}]}
    outcome = judge(InputShape(), *IRIS, {**SIGNATURE, "metadata": None}, request=request)
    assert outcome.status == Status.FAIL and "infer --example" in outcome.remediation


# -- events -----------------------------------------------------------------------------------
def with_warning(seen: datetime) -> dict:
    raw = recorded_raw("unschedulable")
    for event in raw["events"]:
        event["lastTimestamp"] = seen.strftime("%Y-%m-%dT%H:%M:%SZ")
    return raw


def test_a_recent_warning_is_reported_with_its_reason() -> None:
    raw = with_warning(datetime.now(UTC) - timedelta(minutes=5))
    outcome = judge(RecentEvents(), "unschedulable", "iris-model", raw=raw)
    assert outcome.status == Status.WARN and "FailedScheduling" in outcome.summary


def test_warnings_older_than_an_hour_are_history() -> None:
    raw = with_warning(datetime.now(UTC) - timedelta(hours=2))
    outcome = judge(RecentEvents(), "unschedulable", "iris-model", raw=raw)
    assert outcome.status == Status.PASS


def test_a_token_secret_ending_with_a_newline_is_sent_without_it_and_said() -> None:
    """`echo $TOKEN | base64` leaves a newline: it must not reach a header (nor an error line)."""
    import base64

    raw = recorded_raw("iris-project")
    secret = next(s for s in raw["secrets"] if s["type"] == "kubernetes.io/service-account-token")
    secret["data"]["token"] = base64.b64encode(b"a-real-token\n").decode()
    outcome = judge(TokenCheck(), *IRIS, {"review": {"status": {"allowed": True}}}, raw=raw)
    assert outcome.status == Status.PASS
    assert (
        "token from secret default-name-model-server-sa (it had surrounding whitespace, removed)"
        in (outcome.evidence)
    )


def test_a_login_page_answering_200_is_not_reachability() -> None:
    outcome = judge(RouteCheck(), *IRIS, answered(200, "a web page", "an HTML page"))
    assert outcome.status == Status.FAIL
    assert "a login page or proxy stands in front of the route" in outcome.summary
