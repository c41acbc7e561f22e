"""The diagnosis against every lab scenario: the root cause fails and names the decisive fact,
its dependents are skipped as blocked, healthy deployments get no fail and no warn."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from checks.catalog import CATALOG
from checks.cluster.connect import ConnectionOptions
from checks.engine.runner import Report, Status
from checks.options import SessionOptions
from checks.session import Session
from lab.control import env_vars
from lab.scenarios import SCENARIOS

DECISIVE = {
    "wrong-path": ("bucket-path", ['"fraud-model"', '"fraud/"']),
    "bucket-root": ("bucket-path", ["bucket root", "model.onnx"]),
    "console-endpoint": ("data-connection", ["HTML page", "console"]),
    "wrong-secret": ("data-connection", ["SignatureDoesNotMatch"]),
    "bucket-typo": ("data-connection", ['"modles"', "does not exist"]),
    "no-scheme": ("data-connection", ["http://"]),
    "oom-crashloop": ("runtime-pods", ["OOMKilled", "137"]),
    "unschedulable": ("runtime-pods", ["Insufficient memory"]),
    "opset-too-new": ("model-format", ["opset 23", "<= 22"]),
    "pickle-model": ("model-format", ["mymodel.pkl", "pickle"]),
    "route-disabled": ("route", ["enable-route"]),
    "token-no-rolebinding": ("token", ["model-server-sa", "no role binding"]),
    "no-version-folder": ("bucket-path", ["version folder", "iris/1/"]),
    "std-quota": ("runtime-pods", ["compute-quota", "limits.memory", "8Gi", "4Gi", "10Gi"]),
    "std-visibility-annotation": ("route", ["is an annotation", "reads the label"]),
    "conn-uri-dns": ("data-connection", ["does not resolve", "models.example.invalid"]),
    "conn-oci-auth": ("data-connection", ["unauthorized", "credentials", "modelcars/iris:1.0"]),
    "conn-oci-empty": ("runtime-pods", ["/models", "modelcar-init", "NOK"]),
    "conn-bucket-root": (
        "bucket-path",
        ["path is empty", "all of bucket", "fraud.onnx", "pricing.onnx", "ambiguous"],
    ),
    "vllm-kv-cache": ("runtime-pods", ["KV cache", "32768", "--max-model-len=9168"]),
    "vllm-cuda-oom": ("runtime-pods", ["CUDA out of memory", "crashes at start-up"]),
    "vllm-no-gpu": ("runtime-pods", ["Insufficient nvidia.com/gpu"]),
    "auth-denied": ("token", ["Forbidden", "verb=get", "inferenceservices", "iris-sa"]),
    "auth-no-delegator": ("auth", ["auth-no-delegator-default-auth-delegator", "401"]),
    "s3-ca-not-in-pod": ("data-connection", ["TLS verification", "certifi", "as the pod does"]),
    # issue 23 item 5: the pod's failure is the cause, not the router's 503 it leads to
    "cause-init-crash": (
        "runtime-pods",
        ["init container storage-initializer", "never starts", "No space left on device"],
    ),
    "cause-liveness": (
        "runtime-pods",
        ["killed by its liveness probe", "last exit 137", "Liveness probe failed", "refused"],
    ),
    # issue 23 item 3: 2.x KServe Raw's oauth-proxy refuses with a 302 to the OpenShift login
    "auth-2x-denied": ("token", ["iris-sa", "302 from oauth-proxy", "OpenShift login"]),
    "cause-unreconciled": (
        "deployment-status",
        ["no status at all", "ModelMesh", "modelmesh-enabled=true", "label is absent"],
    ),
    "md-mm-empty-path": ("bucket-path", ["ModelMesh puller pulls NOTHING", "_model"]),
    "md-too-large": ("model-format", ["2 GiB", "protobuf"]),
    "md-external-missing": ("model-format", ["weights.bin", "external"]),
}
# Scenarios that work but unsafely: the named check warns, nothing fails.
WARNS = {"auth-open": ("auth", ["anyone who can reach the route", "iris"])}


def run_diagnosis(
    lab: dict,
    kubeconfig: Path,
    namespace: str,
    name: str,
    context: str = "lab-admin",
    request: dict | None = None,
) -> Report:
    """The session as `rhoai-doctor check` builds it in a shell that ran `lab env`."""
    connection = ConnectionOptions(kubeconfig=str(kubeconfig), context=context, namespace=namespace)
    options = SessionOptions.build(connection, request=request, environ=env_vars(lab))

    async def go() -> Report:
        async with Session(options) as session:
            return await session.diagnose(namespace, name)

    return asyncio.run(go())


def dependents_of(check_id: str) -> set[str]:
    found, frontier = set(), {check_id}
    while frontier:
        frontier = {c.id for c in CATALOG if set(c.depends_on) & frontier} - found
        found |= frontier
    return found


@pytest.mark.parametrize(
    "scenario", [s for s in SCENARIOS if not s.healthy], ids=lambda s: s.project
)
def test_root_cause_fails_and_blocks_its_dependents(lab, kubeconfig, scenario) -> None:
    report = run_diagnosis(lab, kubeconfig, scenario.project, scenario.deployment)
    root_id, words = DECISIVE[scenario.project]
    assert root_id == scenario.root_cause
    root = report.result(root_id)
    table = "\n".join(f"{r.id}: {r.status} {r.summary}" for r in report.results)
    assert root.status == Status.FAIL, table
    for word in words:
        assert word in root.summary, table
    assert [r.id for r in report.results if r.status == Status.FAIL] == [root_id], table
    for dependent in dependents_of(root_id):
        result = report.result(dependent)
        assert (result.status, result.blocked_by) == (Status.SKIP, root_id), table
        assert result.summary == f"blocked by {root_id}"


@pytest.mark.parametrize(
    "scenario",
    [s for s in SCENARIOS if s.healthy and not s.stopped and not s.warns],
    ids=lambda s: s.project,
)
def test_healthy_deployments_have_no_fail_and_no_warn(lab, kubeconfig, scenario) -> None:
    report = run_diagnosis(lab, kubeconfig, scenario.project, scenario.deployment)
    table = "\n".join(f"{r.id}: {r.status} {r.summary}" for r in report.results)
    assert report.verdict == Status.PASS
    if scenario.generative:  # no tensor signature: input-shape steps aside, all else passes
        shape = report.result("input-shape")
        assert shape.status == Status.SKIP and "generative model" in shape.summary, table
        assert {r.status for r in report.results if r.id != "input-shape"} == {Status.PASS}, table
        assert "Hugging Face folder" in report.result("model-format").summary, table
        assert "/v1/models" in " ".join(report.result("route").evidence), table
        return
    assert {r.status for r in report.results} == {Status.PASS}, table
    assert "server metadata: agrees with the graph" in report.result("input-shape").evidence
    assert (
        "stale" in report.result("deployment-status").summary or scenario.project != "iris-project"
    )


def test_restricted_user_gets_blocked_checks_not_internal_errors(lab, kubeconfig) -> None:
    """A view-only user cannot read secrets: the checks that need them say so and step aside."""
    report = run_diagnosis(lab, kubeconfig, "iris-project", "iris-model", context="developer")
    by_id = {r.id: r for r in report.results}
    table = "\n".join(f"{r.id}: {r.status} {r.summary}" for r in report.results)
    assert by_id["data-connection"].status == Status.ERROR, table
    assert "you cannot list secrets in iris-project: forbidden" in by_id["data-connection"].summary
    assert by_id["serving-runtime"].status == Status.PASS
    assert by_id["runtime-pods"].status == Status.PASS
    for blocked in ("bucket-path", "model-format", "input-shape", "token"):
        assert by_id[blocked].status == Status.SKIP, table
        assert by_id[blocked].summary.startswith("blocked: you cannot list secrets"), table
    assert not any("internal error" in r.summary for r in report.results), table
    assert report.exit_code == 2


def test_seed_request_asking_for_output0_is_flagged(lab, kubeconfig) -> None:
    request = {
        "inputs": [{"name": "X", "shape": [1, 4], "datatype": "FP32", "data": [3, 4, 3, 2]}],
        "outputs": [{"name": "output0"}],
    }
    report = run_diagnosis(
        lab,
        kubeconfig,
        "iris-project",
        "iris-model",
        request=request,
    )
    shape = report.result("input-shape")
    assert shape.status == Status.FAIL
    assert 'requested output "output0" is not an output of the model' in shape.summary
    assert "label, scores" in shape.summary


def test_a_stopped_model_is_not_a_failure_and_skips_what_needs_it_running(lab, kubeconfig) -> None:
    """serving.kserve.io/stop=true: Stopped is a state; the checks that need a running model step
    aside with the stop as their reason; the Route odh-model-controller left behind is noted."""
    report = run_diagnosis(lab, kubeconfig, "std-stopped", "iris")
    table = "\n".join(f"{r.id}: {r.status} {r.summary}" for r in report.results)
    assert report.verdict == Status.PASS and report.exit_code == 0, table
    assert report.target["state"] == "Stopped · serving.kserve.io/stop=true"
    status = report.result("deployment-status")
    assert status.status == Status.PASS and status.summary.startswith("Stopped"), table
    assert "serving.kserve.io/stop to false" in status.remediation
    assert any("route iris is left behind" in line for line in status.evidence)
    for needs_running in ("runtime-pods", "route", "token", "input-shape"):
        result = report.result(needs_running)
        assert (result.status, result.summary) == (
            Status.SKIP,
            "stopped (serving.kserve.io/stop=true): start it to test",
        ), table
    for still_judged in ("data-connection", "bucket-path", "model-format", "serving-runtime"):
        assert report.result(still_judged).status == Status.PASS, table


@pytest.mark.parametrize("scenario", [s for s in SCENARIOS if s.warns], ids=lambda s: s.project)
def test_working_but_unsafe_deployments_warn_loudly_and_fail_nothing(
    lab, kubeconfig, scenario
) -> None:
    report = run_diagnosis(lab, kubeconfig, scenario.project, scenario.deployment)
    check_id, words = WARNS[scenario.project]
    assert check_id == scenario.warns
    table = "\n".join(f"{r.id}: {r.status} {r.summary}" for r in report.results)
    warned = report.result(check_id)
    assert warned.status == Status.WARN, table
    for word in words:
        assert word in warned.summary, table
    assert [r.id for r in report.results if r.status != Status.PASS] == [check_id], table
    assert report.verdict == Status.WARN


def test_an_open_model_names_the_annotation_and_the_dashboard_gotcha(lab, kubeconfig) -> None:
    """No annotation at all: the dashboard would show it protected; the fix says so."""
    report = run_diagnosis(lab, kubeconfig, "auth-open", "iris")
    auth = report.result("auth")
    assert 'security.opendatahub.io/enable-auth: "true"' in auth.remediation
    assert "Require token authentication" in auth.remediation
    assert 'anything but "false"' in auth.remediation
    assert "annotation security.opendatahub.io/enable-auth: absent" in auth.evidence
    assert any(e.startswith("without a token: 200 from model server") for e in auth.evidence)


def test_standard_auth_shows_the_proxy_and_what_it_refuses(lab, kubeconfig) -> None:
    """3.x Standard: the evidence names kube-rbac-proxy, the delegator binding and port 8443."""
    report = run_diagnosis(lab, kubeconfig, "auth-healthy", "iris")
    auth = report.result("auth")
    table = "\n".join(f"{r.id}: {r.status} {r.summary}" for r in report.results)
    assert auth.status == Status.PASS, table
    assert "a request without a token gets 401 from kube-rbac-proxy" in auth.summary
    evidence = "\n".join(auth.evidence)
    assert "enforced by kube-rbac-proxy in the predictor pod" in evidence
    assert "ClusterRoleBinding auth-healthy-default-auth-delegator: present" in evidence
    assert "Service iris-predictor ports: https 8443->https" in evidence
    assert "without a token: 401 from kube-rbac-proxy: Unauthorized" in evidence


def test_a_user_who_cannot_read_cluster_bindings_gets_could_not_verify(lab, kubeconfig) -> None:
    """The developer may not get clusterrolebindings: evidence says so, no false alarm."""
    report = run_diagnosis(lab, kubeconfig, "auth-no-delegator", "iris", context="developer")
    auth = report.result("auth")
    table = "\n".join(f"{r.id}: {r.status} {r.summary}" for r in report.results)
    assert auth.status == Status.PASS, table
    assert any("you cannot get clusterrolebindings" in e for e in auth.evidence), auth.evidence
    assert not any("internal error" in r.summary for r in report.results), table
