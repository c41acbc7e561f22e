"""3.x Standard (RawDeployment) models, stop/start and quota refusals, on recorded lab objects
(std-* projects): the mode KServe would use, the predictor objects, the states, and the numbers
of a quota refusal."""

from __future__ import annotations

import copy

import pytest

from checks.catalog.deployment_status import DeploymentStatus
from checks.catalog.route import RouteCheck
from checks.catalog.runtime_pods import RuntimePods
from checks.engine.runner import Status
from checks.resources import Deployment, parse_mode, parse_quota_refusal
from tests.helpers import judge, recorded_raw, recorded_snapshot

QUOTA = ("std-quota", "iris")
STOPPED = ("std-stopped", "iris")
HEALTHY = ("std-healthy", "iris")


# -- modes --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("annotation", "status", "name", "label", "source"),
    [
        (None, None, "Standard", "Standard (RawDeployment)", "cluster default"),
        (None, "RawDeployment", "Standard", "Standard (RawDeployment)", "status"),
        (None, "Standard", "Standard", "Standard (RawDeployment)", "status"),
        (None, "Serverless", "Serverless", "Serverless (Knative)", "status"),
        ("RawDeployment", None, "Standard", "Standard (RawDeployment)", "annotation"),
        ("Standard", "RawDeployment", "Standard", "Standard (RawDeployment)", "annotation"),
        ("rawdeployment", None, "Standard", "Standard (RawDeployment)", "annotation"),
        ("Serverless", "Serverless", "Serverless", "Serverless (Knative)", "annotation"),
        ("Knative", None, "Serverless", "Serverless (Knative)", "annotation"),
        ("ModelMesh", None, "ModelMesh", "ModelMesh", "annotation"),
        ("", "ModelMesh", "ModelMesh", "ModelMesh", "status"),
    ],
)
def test_mode_names_are_one_mode_each(annotation, status, name, label, source) -> None:
    mode = parse_mode(annotation, status)
    assert (mode.name, mode.label, mode.source) == (name, label, source)
    assert mode.status == (status or "")


def test_an_unannotated_3x_model_is_standard_not_serverless() -> None:
    raw = recorded_raw("std-healthy")["inferenceservices"][0]
    assert "serving.kserve.io/deploymentMode" not in raw["metadata"]["annotations"]
    dep = Deployment.parse(raw)
    assert (dep.mode, dep.mode_label, dep.status_mode) == (
        "Standard",
        "Standard (RawDeployment)",
        "RawDeployment",
    )
    assert dep.visibility == "exposed" and not dep.stop_requested
    assert dep.platform == "kserve"


def test_the_2x_serverless_models_keep_their_mode() -> None:
    dep = Deployment.parse(recorded_raw("pricing-project")["inferenceservices"][0])
    assert (dep.mode, dep.mode_label) == ("Serverless", "Serverless (Knative)")
    mm = Deployment.parse(recorded_raw("iris-project")["inferenceservices"][0])
    assert mm.mode == "ModelMesh"


def test_the_stop_annotation_is_case_insensitive() -> None:
    raw = recorded_raw("std-stopped")["inferenceservices"][0]
    for value, stopped in (("true", True), ("TRUE", True), ("false", False), ("", False)):
        raw["metadata"]["annotations"]["serving.kserve.io/stop"] = value
        assert Deployment.parse(raw).stop_requested is stopped


# -- predictor objects -------------------------------------------------------------------------
def test_the_predictor_objects_of_a_standard_model_are_found() -> None:
    snap = recorded_snapshot("std-healthy")
    found = snap.predictor_objects(snap.deployments[0])
    assert found.deployment is not None and found.deployment.name == "iris-predictor"
    assert found.deployment.ready == 1
    assert [rs.owners for rs in found.replica_sets] == [("iris-predictor",)]
    assert found.service is not None and found.service.ports[0].port == 80
    assert found.autoscaler is not None and found.autoscaler.target == "iris-predictor"


def test_the_healthy_standard_model_shows_its_mode_objects_and_dashboard_word() -> None:
    outcome = judge(DeploymentStatus(), *HEALTHY)
    assert (outcome.status, outcome.summary) == (Status.PASS, "Loaded")
    evidence = "\n".join(outcome.evidence)
    assert "mode: Standard (RawDeployment) (from status; status.deploymentMode RawDeployment)" in (
        evidence
    )
    assert "dashboard shows Ready (v3.4+; Started on v2.38-v3.3)" in evidence
    assert "deployment iris-predictor: 1/1 ready" in evidence
    assert "service iris-predictor: 80/http->8888" in evidence
    assert "hpa iris-predictor: 1-1 replicas" in evidence


# -- quota ---------------------------------------------------------------------------------------
def test_the_quota_refusal_is_read_into_numbers() -> None:
    event = next(e for e in recorded_raw("std-quota")["events"] if e["reason"] == "FailedCreate")
    refusal = parse_quota_refusal(event["message"])
    assert refusal is not None
    assert refusal.quota == "compute-quota"
    assert refusal.pod.startswith("iris-predictor-")
    assert [(i.resource, i.requested, i.used, i.limited) for i in refusal.items] == [
        ("limits.memory", "8Gi", "4Gi", "10Gi")
    ]


def test_several_resources_over_quota_are_each_kept() -> None:
    refusal = parse_quota_refusal(
        'pods "x-1" is forbidden: exceeded quota: q, requested: limits.memory=8Gi,'
        "requests.cpu=4, used: limits.memory=4Gi,requests.cpu=1, limited: "
        "limits.memory=10Gi,requests.cpu=4"
    )
    assert refusal is not None
    assert refusal.text == (
        "limits.memory: requested 8Gi, used 4Gi, limited 10Gi; "
        "requests.cpu: requested 4, used 1, limited 4"
    )
    assert parse_quota_refusal('pods "x" is forbidden: error looking up service account') is None


def test_the_recorded_quota_agrees_with_the_refusal() -> None:
    snap = recorded_snapshot("std-quota")
    (quota,) = snap.quotas
    assert (quota.name, quota.hard["limits.memory"], quota.used["limits.memory"]) == (
        "compute-quota",
        "10Gi",
        "4Gi",
    )


def test_the_state_word_carries_the_refusal() -> None:
    snap = recorded_snapshot("std-quota")
    state = snap.state_of(snap.deployments[0])
    assert (state.text, state.failed) == ("Pending · FailedCreate (quota compute-quota)", True)
    assert state.dashboard == "dashboard shows Starting"


def test_runtime_pods_names_the_quota_as_the_root_cause() -> None:
    outcome = judge(RuntimePods(), *QUOTA)
    assert outcome.status == Status.FAIL
    assert outcome.summary == (
        "ResourceQuota compute-quota refuses the predictor pod: limits.memory requested 8Gi, "
        "used 4Gi, limited 10Gi"
    )
    assert "resourcequota compute-quota: limits.memory used 4Gi of 10Gi" in outcome.evidence
    assert "ResourceQuota compute-quota" in outcome.remediation


@pytest.mark.parametrize("forbidden", ["deployments", "services", "resourcequotas"])
def test_one_unreadable_kind_keeps_the_quota_diagnosis(forbidden: str) -> None:
    outcome = judge(RuntimePods(), *QUOTA, forbidden=(forbidden,))
    assert outcome.status == Status.FAIL
    assert "compute-quota" in outcome.summary and "8Gi" in outcome.summary
    if forbidden != "resourcequotas":
        assert f"you cannot list {forbidden} in std-quota: forbidden" in outcome.evidence


def test_without_replicasets_or_events_it_still_says_no_pods() -> None:
    outcome = judge(RuntimePods(), *QUOTA, forbidden=("replicasets", "events"))
    assert outcome.status == Status.FAIL
    assert outcome.summary == "no predictor pods for this deployment"


# -- stop / start --------------------------------------------------------------------------------
def test_a_stopped_model_is_a_state_with_a_way_out() -> None:
    outcome = judge(DeploymentStatus(), *STOPPED)
    assert outcome.status == Status.PASS
    assert outcome.summary.startswith("Stopped: serving.kserve.io/stop is true")
    assert outcome.remediation == (
        "Start it (set serving.kserve.io/stop to false, or Start in the dashboard)."
    )
    evidence = "\n".join(outcome.evidence)
    assert "route iris is left behind" in evidence
    assert "not found" not in evidence  # Deployment/Service/HPA are deleted on stop: no fault


def test_a_stopping_model_still_has_pods() -> None:
    raw = recorded_raw("std-stopped")
    raw["pods"] = copy.deepcopy(recorded_raw("std-healthy")["pods"])
    for pod in raw["pods"]:
        pod["metadata"]["namespace"] = "std-stopped"
    snap = recorded_snapshot("std-stopped", raw)
    state = snap.state_of(snap.deployments[0])
    assert (state.word, state.dashboard) == ("Stopping", "dashboard shows Stopping")
    outcome = judge(DeploymentStatus(), *STOPPED, raw=raw)
    assert outcome.status == Status.PASS and outcome.summary.startswith("Stopping")


@pytest.mark.parametrize("check", [RuntimePods(), RouteCheck()], ids=lambda c: c.id)
def test_what_needs_a_running_model_skips_with_the_stop_reason(check) -> None:
    outcome = judge(check, *STOPPED)
    assert (outcome.status, outcome.summary) == (
        Status.SKIP,
        "stopped (serving.kserve.io/stop=true): start it to test",
    )


# -- exposure -------------------------------------------------------------------------------------
def test_a_route_the_model_does_not_own_is_named() -> None:
    raw = recorded_raw("std-healthy")
    raw["routes"][0]["metadata"]["ownerReferences"][0]["uid"] = "someone-else"
    outcome = judge(RouteCheck(), *HEALTHY, raw=raw)
    assert outcome.status == Status.FAIL
    assert outcome.summary.startswith("route iris is not owned by InferenceService iris")


def test_the_label_without_a_route_is_named() -> None:
    raw = recorded_raw("std-healthy")
    raw["routes"] = []
    raw["inferenceservices"][0]["status"]["url"] = (
        "http://iris-predictor.std-healthy.svc.cluster.local"
    )
    outcome = judge(RouteCheck(), *HEALTHY, raw=raw)
    assert outcome.status == Status.FAIL
    assert "visibility=exposed is set but there is no route iris" in outcome.summary


def test_the_visibility_annotation_is_named_as_the_cause() -> None:
    outcome = judge(RouteCheck(), "std-visibility-annotation", "iris")
    assert outcome.status == Status.FAIL
    assert "networking.kserve.io/visibility is an annotation" in outcome.summary
    assert "oc label inferenceservice iris" in outcome.remediation
