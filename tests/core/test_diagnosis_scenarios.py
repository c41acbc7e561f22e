"""The diagnosis against every lab scenario: the root cause fails and names the decisive fact,
its dependents are skipped as blocked, healthy deployments get no fail and no warn."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from checks.catalog import CATALOG
from checks.connect import ConnectionOptions
from checks.engine import Report, Status
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
}


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


@pytest.mark.parametrize("scenario", [s for s in SCENARIOS if s.healthy], ids=lambda s: s.project)
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
