"""Observation beats inference (issue 23 item 3): where the tool sent a request, what came back
decides; the objects only explain it. Judged on recorded projects with the answer as a fact."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta

import httpx

from checks.catalog.auth import AuthCheck
from checks.catalog.deployment_status import DeploymentStatus
from checks.catalog.route import RouteCheck
from checks.catalog.runtime_pods import RuntimePods
from checks.catalog.token import TokenCheck
from checks.endpoints.explain import explain
from checks.endpoints.probe import HttpAnswer, ProbeResult, who_answered
from checks.engine.auth_facts import Lookup
from checks.engine.runner import Status
from tests.helpers import judge, recorded_raw

URL = "https://iris-{}.apps.rhoai-lab.test/v2/models/iris"
MM_URL = "https://iris-model-iris-project.apps.rhoai-lab.test/v2/models/iris-model"
HTTPS = Lookup(
    "present",
    "Service iris-predictor",
    {"spec": {"ports": [{"name": "https", "port": 8443, "targetPort": "https"}]}},
)
LOGIN = (
    "https://oauth-openshift.apps.example.com/oauth/authorize?approval_prompt=force"
    "&client_id=system%3Aserviceaccount%3Ans%3Adefault&response_type=code"
)


def probed(url: str, status: int, who: str, detail: str) -> ProbeResult:
    return ProbeResult(url, None, f"{status} from {who}", (), HttpAnswer(status, who, detail))


def test_oauth_proxys_redirect_to_the_login_is_its_refusal_not_a_stray_redirect() -> None:
    """2.x KServe Raw (controllers.md §2): 302 + the authorize URL + the CSRF cookie."""
    response = httpx.Response(
        302,
        headers={"Location": LOGIN, "Set-Cookie": "_oauth_proxy_csrf=abc; Path=/; HttpOnly"},
        content=b'<a href="https://oauth-openshift.apps.example.com/oauth/authorize">Found</a>.\n',
    )
    got = who_answered(response)
    assert (got.status, got.who) == (302, "oauth-proxy")
    words = explain(got, "iris")
    assert "302 from oauth-proxy to the OpenShift login" in words
    assert "https://oauth-openshift.apps.example.com/oauth/authorize" in words
    other = who_answered(httpx.Response(302, headers={"Location": "https://sso.example.com/"}))
    assert other.who == "a redirect"


def test_a_route_not_admitted_that_answers_200_from_the_model_is_a_warning_not_a_failure() -> None:
    raw = recorded_raw("iris-project")
    condition = raw["routes"][0]["status"]["ingress"][0]["conditions"][0]
    condition.update({"status": "False", "message": "host already claimed"})
    facts = {"probe": probed(MM_URL, 200, "model server", "JSON answer")}
    outcome = judge(RouteCheck(), "iris-project", "iris-model", facts, raw=raw)
    assert outcome.status == Status.WARN
    assert outcome.summary.startswith("the route works — 200 from the model — although route ")
    assert "not admitted by the router: host already claimed" in outcome.summary


def test_the_routers_503_while_no_pod_is_ready_is_a_consequence_not_the_route() -> None:
    raw = recorded_raw("std-healthy")
    pod = raw["pods"][0]
    pod["status"]["conditions"] = [
        {"type": "Ready", "status": "False"} if c["type"] == "Ready" else c
        for c in pod["status"]["conditions"]
    ]
    facts = {"probe": probed(URL.format("std-healthy"), 503, "OpenShift router", "no endpoints")}
    outcome = judge(RouteCheck(), "std-healthy", "iris", facts, raw=raw)
    assert outcome.status == Status.WARN
    assert "because no predictor pod is ready" in outcome.summary
    assert "see runtime-pods" in outcome.summary


def test_a_denied_review_while_the_route_answers_200_with_the_token_is_not_a_failure() -> None:
    facts = {
        "review": {"status": {"allowed": False}},
        "probe": probed(URL.format("auth-denied"), 200, "model server", "JSON answer"),
    }
    outcome = judge(TokenCheck(), "auth-denied", "iris", facts, model_token="t0ken")
    assert outcome.status == Status.WARN
    assert outcome.summary.startswith("the request with the token was answered 200 by the model")
    assert "may not get inferenceservices/iris in auth-denied" in outcome.summary


def test_a_denied_token_refused_by_oauth_proxy_says_the_302_not_a_403() -> None:
    answer = who_answered(
        httpx.Response(302, headers={"Location": LOGIN, "Set-Cookie": "_oauth_proxy_csrf=x"})
    )
    facts = {
        "review": {"status": {"allowed": False}},
        "probe": ProbeResult(URL.format("auth-denied"), None, "302", (), answer),
    }
    outcome = judge(TokenCheck(), "auth-denied", "iris", facts, model_token="t0ken")
    assert outcome.status == Status.FAIL
    assert "the route answers 302 from oauth-proxy: a redirect to the OpenShift login" in (
        outcome.summary
    )
    assert "403" not in outcome.summary


def test_a_missing_delegator_binding_while_the_token_is_served_is_a_warning() -> None:
    served = probed(URL.format("auth-no-delegator"), 200, "model server", "JSON answer")
    facts = {
        "auth:delegator": Lookup("missing", "not found"),
        "auth:open-probe": probed(URL.format("auth-no-delegator"), 401, "kube-rbac-proxy", "x"),
        "probe": served,
    }
    outcome = judge(AuthCheck(), "auth-no-delegator", "iris", facts, model_token="t0ken")
    assert outcome.status == Status.WARN
    assert "although ClusterRoleBinding auth-no-delegator-default-auth-delegator is missing" in (
        outcome.summary
    )


def test_no_https_port_while_a_tokenless_request_is_refused_is_a_warning() -> None:
    facts = {
        "auth:delegator": Lookup("present", "ClusterRoleBinding", {}),
        "auth:service": Lookup("present", "Service iris-predictor", {"spec": {"ports": []}}),
        "auth:open-probe": probed(URL.format("auth-healthy"), 401, "kube-rbac-proxy", "x"),
    }
    outcome = judge(AuthCheck(), "auth-healthy", "iris", facts)
    assert outcome.status == Status.WARN
    assert outcome.summary.startswith("a request without a token was refused (401 from ")


def test_token_auth_off_yet_refused_without_a_token_says_what_was_seen() -> None:
    raw = recorded_raw("iris-project")
    raw["servingruntimes"][0]["metadata"]["annotations"].pop("enable-auth")
    facts = {"auth:open-probe": probed(MM_URL, 403, "oauth-proxy", "its 'Log In' page")}
    outcome = judge(TokenCheck(), "iris-project", "iris-model", facts, raw=raw)
    assert outcome.status == Status.PASS
    assert "yet the route refused a request without a token: 403 from oauth-proxy" in (
        outcome.summary
    )


def test_an_inferenceservice_with_no_status_is_never_reconciled_and_says_why() -> None:
    raw = copy.deepcopy(recorded_raw("pricing-project"))
    isvc = raw["inferenceservices"][0]
    isvc.pop("status")
    isvc["metadata"]["annotations"]["serving.kserve.io/deploymentMode"] = "RawDeploymnet"
    created = datetime.now(UTC) - timedelta(hours=1)
    isvc["metadata"]["creationTimestamp"] = created.strftime("%Y-%m-%dT%H:%M:%SZ")
    raw["pods"] = []
    outcome = judge(DeploymentStatus(), "pricing-project", "pricing", raw=raw)
    assert outcome.status == Status.FAIL
    assert outcome.summary.startswith("no controller has reconciled this InferenceService")
    assert '"RawDeploymnet", a mode KServe does not know' in outcome.summary
    pods = judge(RuntimePods(), "pricing-project", "pricing", raw=raw)
    assert pods.status == Status.SKIP and "see deployment-status" in pods.summary


def test_a_failed_to_load_status_while_the_model_answers_200_is_a_warning() -> None:
    facts = {"probe": probed(MM_URL, 200, "model server", "JSON answer")}
    outcome = judge(DeploymentStatus(), "wrong-secret", "iris-model", facts)
    assert outcome.status == Status.WARN
    assert outcome.summary.startswith("the model answers (200 from the model server), although")
    assert "SignatureDoesNotMatch" in outcome.summary
    assert judge(DeploymentStatus(), "wrong-secret", "iris-model").status == Status.FAIL


def test_a_model_server_exiting_on_start_fails_with_its_last_words() -> None:
    """No known signature, no crash-loop yet: the container exited and the pod is not ready."""
    raw = copy.deepcopy(recorded_raw("std-healthy"))
    pod = raw["pods"][0]
    status = pod["status"]["containerStatuses"][0]
    status.update(
        ready=False,
        restartCount=1,
        state={"terminated": {"reason": "Error", "exitCode": 2}},
        lastState={"terminated": {"reason": "Error", "exitCode": 2}},
    )
    pod["status"]["conditions"] = [
        {"type": "Ready", "status": "False"} if c["type"] == "Ready" else c
        for c in pod["status"]["conditions"]
    ]
    key = f"previous-log:{pod['metadata']['name']}/kserve-container"
    facts = {key: "[info] starting\n[error] Invalid --model_path: /mnt/models/v9\n"}
    outcome = judge(RuntimePods(), "std-healthy", "iris", facts, raw=raw)
    assert outcome.status == Status.FAIL
    assert "it exited on start: [error] Invalid --model_path: /mnt/models/v9" in outcome.summary
    assert outcome.explained_by == ("data-connection", "bucket-path", "model-format")


def test_kube_rbac_proxys_500_to_an_allowed_token_fails_the_token_not_the_route() -> None:
    """The proxy's own SubjectAccessReview call failed (controllers.md §2): the request failed,
    so the token check may not pass on the API server's word; the route was reached."""
    failed = (
        "Authorization error (user=system:serviceaccount:auth-healthy:iris-sa, verb=get, "
        "resource=inferenceservices, subresource=)"
    )
    facts = {
        "review": {"status": {"allowed": True}},
        "probe": probed(URL.format("auth-healthy"), 500, "kube-rbac-proxy", failed),
    }
    token = judge(TokenCheck(), "auth-healthy", "iris", facts, model_token="t0ken")
    assert token.status == Status.FAIL
    assert "the API server allows the token, but the route answered 500 from kube-rbac-proxy" in (
        token.summary
    )
    assert "auth-healthy-default-auth-delegator" in token.remediation
    route = judge(RouteCheck(), "auth-healthy", "iris", facts)
    assert route.status == Status.PASS and "500 from kube-rbac-proxy" in route.summary


def test_a_startup_probe_kill_is_named_with_the_probes_words() -> None:
    raw = copy.deepcopy(recorded_raw("std-healthy"))
    pod = raw["pods"][0]
    name = pod["metadata"]["name"]
    status = pod["status"]["containerStatuses"][0]
    status.update(
        ready=False, restartCount=3, lastState={"terminated": {"reason": "Error", "exitCode": 137}}
    )
    pod["status"]["conditions"] = [
        {"type": "Ready", "status": "False"} if c["type"] == "Ready" else c
        for c in pod["status"]["conditions"]
    ]
    template = raw["events"][0]
    for reason, message, kind in (
        ("Unhealthy", "Startup probe failed: HTTP probe failed with statuscode: 503", "Warning"),
        ("Killing", "Container kserve-container failed startup probe, will be restarted", "Normal"),
    ):
        event = copy.deepcopy(template)
        event.update(reason=reason, message=message, type=kind)
        event["metadata"]["name"] = f"{name}.{reason.lower()}"
        raw["events"].append(event)
    facts = {f"previous-log:{name}/kserve-container": "[info] Loading model: iris\n"}
    outcome = judge(RuntimePods(), "std-healthy", "iris", facts, raw=raw)
    assert outcome.status == Status.FAIL
    assert "is killed by its startup probe and restarted (restarts 3, last exit 137)" in (
        outcome.summary
    )
    assert "Startup probe failed: HTTP probe failed with statuscode: 503" in outcome.summary
    assert "startup probe in time" in outcome.remediation


def test_a_crashing_modelmesh_runtime_pod_is_never_one_models_consequence() -> None:
    """The runtime pod is shared by every model of the server: a model check's failure does not
    explain it, so it is never reported as that check's consequence."""
    raw = copy.deepcopy(recorded_raw("iris-project"))
    pod = raw["pods"][0]
    status = pod["status"]["containerStatuses"][0]
    status.update(
        ready=False,
        restartCount=4,
        state={"waiting": {"reason": "CrashLoopBackOff"}},
        lastState={"terminated": {"reason": "Error", "exitCode": 1, "message": "panic: boom"}},
    )
    pod["status"]["conditions"] = [
        {"type": "Ready", "status": "False"} if c["type"] == "Ready" else c
        for c in pod["status"]["conditions"]
    ]
    outcome = judge(RuntimePods(), "iris-project", "iris-model", raw=raw)
    assert outcome.status == Status.FAIL and "panic: boom" in outcome.summary
    assert outcome.explained_by == ()
