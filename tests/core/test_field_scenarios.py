"""The 2026 field scenarios (issue 11) diagnosed as `rhoai-doctor check` does: the llm-d model
whose HTTPRoute has no Gateway fails in deployment-status with the condition tree's leaf; the
healthy llm-d model passes with no warning; the half-migrated project's migration check warns
with the pair and the stale label; checks that do not apply to an LLMInferenceService skip with
the reason."""

from __future__ import annotations

import pytest

from checks.engine.runner import Status
from lab.field_scenarios import FIELD_SCENARIOS
from tests.core.test_diagnosis_scenarios import dependents_of, run_diagnosis

FIELD_DECISIVE = {
    "llmd-httproute": (
        "deployment-status",
        ["HTTPRoutesReady", "qwen-kserve-route", "not ready", "RouterReady=False"],
    ),
    "migr-half": ("migration", ["fraud-raw", "modelmesh-enabled=true", "can be deleted"]),
}
ISVC_ONLY = (
    "data-connection",
    "bucket-path",
    "model-format",
    "serving-runtime",
    "route",
    "token",
    "input-shape",
)


def _table(report) -> str:
    return "\n".join(f"{r.id}: {r.status} {r.summary}" for r in report.results)


@pytest.mark.parametrize(
    "scenario", [s for s in FIELD_SCENARIOS if not s.healthy], ids=lambda s: s.project
)
def test_field_root_cause_names_the_fault(lab, kubeconfig, scenario) -> None:
    report = run_diagnosis(lab, kubeconfig, scenario.project, scenario.deployment)
    root_id, words = FIELD_DECISIVE[scenario.project]
    assert root_id == scenario.root_cause
    root, table = report.result(root_id), _table(report)
    assert root.status == Status(scenario.verdict), table
    for word in words:
        assert word in root.summary, table
    others = {r.id: r.status for r in report.results if r.id != root_id}
    assert Status.FAIL not in others.values() and Status.ERROR not in others.values(), table
    if scenario.verdict == "fail":
        for dependent in dependents_of(root_id):
            result = report.result(dependent)
            assert result.status == Status.SKIP, table
            # a check that does not apply says so rather than "blocked by"
            assert result.blocked_by == root_id or result.summary.startswith(
                "LLMInferenceService: "
            ), table
    else:
        assert Status.WARN not in others.values(), table


def test_httproute_evidence_has_the_route_status_and_the_absent_gateway(lab, kubeconfig) -> None:
    report = run_diagnosis(lab, kubeconfig, "llmd-httproute", "qwen")
    status = report.result("deployment-status")
    text = "\n".join((status.summary, *status.evidence))
    assert "Accepted=False (NoMatchingParent)" in text
    assert "gateway openshift-ingress/openshift-ai-inference: not found" in text
    assert "read as serving.kserve.io/v1alpha2" in text
    assert (
        "The Gateway openshift-ingress/openshift-ai-inference does not exist" in status.remediation
    )
    assert "authpolicy llmd-httproute/qwen-kserve-route-authn" in text
    assert "auth: ON (the default for LLMInferenceService" in text
    assert any(e.startswith("condition     HTTPRoutesReady=False") for e in status.evidence), text


def test_healthy_llm_service_passes_and_isvc_only_checks_say_why(lab, kubeconfig) -> None:
    report = run_diagnosis(lab, kubeconfig, "llmd-healthy", "granite")
    table = _table(report)
    assert {r.status for r in report.results} <= {Status.PASS, Status.SKIP}, table
    for check_id in ISVC_ONLY:
        result = report.result(check_id)
        assert result.status == Status.SKIP, table
        assert result.summary.startswith("LLMInferenceService: "), table
        assert result.blocked_by is None
    assert report.result("serving-runtime").summary.startswith(
        "LLMInferenceService: no ServingRuntime"
    )
    assert report.result("deployment-status").summary == "Loaded (Ready=True)"
    assert report.result("runtime-pods").status == Status.PASS, table
    assert report.target["platform"].startswith("llm-d: LLMInferenceService")


@pytest.mark.parametrize(
    ("project", "name"), [("iris-project", "iris-model"), ("pricing-project", "pricing")]
)
def test_a_healthy_2x_deployment_gets_the_deprecation_as_a_note(
    lab, kubeconfig, project, name
) -> None:
    report = run_diagnosis(lab, kubeconfig, project, name)
    migration = report.result("migration")
    assert migration.status == Status.PASS, _table(report)
    assert "deprecated in RHOAI 3.x" in migration.summary
    assert "serves on 2.x (no 3.x sign in this project)" in migration.summary
