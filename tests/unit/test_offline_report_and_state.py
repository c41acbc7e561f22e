"""The whole diagnosis from recorded objects and facts (the root cause the live lab gives, its
dependents blocked, what was not recorded skipped), and the one state word every face shows."""

from __future__ import annotations

import asyncio

import pytest

from checks import resources
from checks.capture.offline import diagnose_offline, offline_context
from checks.engine.runner import Status
from tests.helpers import listing, recorded_raw, recorded_snapshot


def test_a_recorded_wrong_path_names_the_same_root_cause_as_the_live_lab() -> None:
    facts = {"bucket": None, "listing": listing(), "nearest": ("", ["fraud/"])}
    ctx = offline_context(recorded_snapshot("wrong-path"), "fraud", facts)
    report = asyncio.run(diagnose_offline(ctx))
    assert [r.id for r in report.root_causes] == ["bucket-path"]
    for dependent in ("model-format", "deployment-status", "input-shape", "route"):
        result = report.result(dependent)
        assert (result.status, result.blocked_by) == (Status.SKIP, "bucket-path")
    token = report.result("token")
    assert token.status == Status.SKIP and "not in the capture" in token.summary
    assert report.target["state"] == "FailedToLoad · CrashLoopBackOff (Error)"


def state_of(project: str, raw: dict | None = None) -> resources.DeploymentState:
    snapshot = recorded_snapshot(project, raw)
    return snapshot.state_of(snapshot.deployments[0])


@pytest.mark.parametrize(
    ("project", "text", "severity"),
    [
        ("iris-project", "Loaded", resources.Severity.OK),
        ("unschedulable", "FailedToLoad · Unschedulable", resources.Severity.FAILED),
        ("oom-crashloop", "Pending · CrashLoopBackOff (OOMKilled)", resources.Severity.FAILED),
        ("wrong-secret", "FailedToLoad · ModelLoadFailed", resources.Severity.FAILED),
    ],
)
def test_the_state_word_is_the_dashboards_plus_our_reason(project, text, severity) -> None:
    state = state_of(project)
    assert (state.text, state.severity) == (text, severity)


def test_a_stale_failure_on_a_loaded_model_stays_a_calm_loaded() -> None:
    state = state_of("iris-project")
    assert state.mark == "✓" and not state.failed


def test_standby_is_ok_and_a_young_pending_is_progressing() -> None:
    raw = recorded_raw("iris-project")
    raw["inferenceservices"][0]["status"]["modelStatus"]["states"] = {
        "activeModelState": "Standby",
        "targetModelState": "Standby",
    }
    assert state_of("iris-project", raw).severity == resources.Severity.OK
    raw["inferenceservices"][0]["status"]["modelStatus"]["states"] = {
        "activeModelState": "Pending",
        "targetModelState": "Loaded",
    }
    state = state_of("iris-project", raw)
    assert (state.text, state.mark) == ("Pending", "…")


def test_an_image_that_cannot_be_pulled_is_a_failure_whatever_the_word() -> None:
    raw = recorded_raw("iris-project")
    container = raw["pods"][0]["status"]["containerStatuses"][0]
    container["state"] = {"waiting": {"reason": "ImagePullBackOff"}}
    state = state_of("iris-project", raw)
    assert state.text == "Loaded · ImagePullBackOff" and state.failed
