"""serving-runtime, runtime-pods and deployment-status on recorded lab objects: the lab's
scenarios, and the branches no scenario reaches (Standby, image pulls, evictions, ...)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from checks.catalog.deployment_status import DeploymentStatus
from checks.catalog.runtime_pods import RuntimePods
from checks.catalog.serving_runtime import ServingRuntime
from checks.engine.runner import Status
from tests.helpers import judge, recorded_raw

IRIS = ("iris-project", "iris-model")
PRICING = ("pricing-project", "pricing")


def states(raw: dict, active: str, target: str = "") -> dict:
    status = raw["inferenceservices"][0]["status"]["modelStatus"]
    status["states"] = {"activeModelState": active, "targetModelState": target or active}
    status.pop("lastFailureInfo", None)
    return raw


# -- serving-runtime --------------------------------------------------------------------------
def test_the_named_runtime_serving_the_format_passes() -> None:
    outcome = judge(ServingRuntime(), *IRIS)
    assert (outcome.status, outcome.summary) == (Status.PASS, "model-server serves onnx:1")


def test_a_missing_runtime_lists_the_ones_there() -> None:
    raw = recorded_raw("iris-project")
    raw["inferenceservices"][0]["spec"]["predictor"]["model"]["runtime"] = "gone"
    outcome = judge(ServingRuntime(), *IRIS, raw=raw)
    assert outcome.status == Status.FAIL
    assert outcome.summary == (
        'runtime "gone" does not exist in iris-project (runtimes there: model-server)'
    )


def test_a_disabled_runtime_fails() -> None:
    raw = recorded_raw("iris-project")
    raw["servingruntimes"][0]["spec"]["disabled"] = True
    outcome = judge(ServingRuntime(), *IRIS, raw=raw)
    assert outcome.status == Status.FAIL and "is disabled" in outcome.summary


def test_a_single_model_deployment_on_a_multi_model_runtime_is_a_platform_mismatch() -> None:
    raw = recorded_raw("pricing-project")
    raw["servingruntimes"][0]["spec"]["multiModel"] = True
    outcome = judge(ServingRuntime(), *PRICING, raw=raw)
    assert outcome.status == Status.FAIL and "multiModel mismatch" in outcome.summary


def test_a_format_the_runtime_does_not_list_fails() -> None:
    raw = recorded_raw("iris-project")
    raw["inferenceservices"][0]["spec"]["predictor"]["model"]["modelFormat"]["name"] = "pytorch"
    outcome = judge(ServingRuntime(), *IRIS, raw=raw)
    assert outcome.status == Status.FAIL
    assert "does not support pytorch:1" in outcome.summary


def test_without_a_runtime_name_one_that_auto_selects_the_format_is_chosen() -> None:
    raw = recorded_raw("iris-project")
    raw["inferenceservices"][0]["spec"]["predictor"]["model"]["runtime"] = ""
    outcome = judge(ServingRuntime(), *IRIS, raw=raw)
    assert outcome.status == Status.PASS and "auto-selected for onnx:1" in outcome.summary


# -- runtime-pods -----------------------------------------------------------------------------
def test_ready_pods_pass() -> None:
    outcome = judge(RuntimePods(), *IRIS)
    assert (outcome.status, outcome.summary) == (Status.PASS, "1/1 runtime pod(s) ready")


def test_an_unschedulable_pod_quotes_the_scheduler() -> None:
    outcome = judge(RuntimePods(), "unschedulable", "iris-model")
    assert outcome.status == Status.FAIL
    assert "cannot be scheduled" in outcome.summary and "Insufficient memory" in outcome.summary


def test_an_oomkilled_container_names_the_exit_code() -> None:
    outcome = judge(RuntimePods(), "oom-crashloop", "iris")
    assert outcome.status == Status.FAIL
    assert "OOMKilled (exit 137)" in outcome.summary


def test_a_crash_while_fetching_the_model_fails_naming_the_storage_checks_as_its_cause() -> None:
    """The pod cannot become ready: that fails here; the runner reports it as a consequence
    when data-connection or bucket-path found why (tests/unit/test_engine.py)."""
    outcome = judge(RuntimePods(), "wrong-path", "fraud")
    assert outcome.status == Status.FAIL
    assert outcome.explained_by == ("data-connection", "bucket-path")
    assert "init container storage-initializer" in outcome.summary
    assert "keeps crashing while fetching the model" in outcome.summary
    assert "No model found in fraud-model" in outcome.summary


@pytest.mark.parametrize(
    ("reason", "words"),
    [
        ("ImagePullBackOff", "cannot pull its image: ImagePullBackOff"),
        ("CreateContainerConfigError", "CreateContainerConfigError"),
    ],
)
def test_a_container_that_cannot_start_fails_with_its_reason(reason: str, words: str) -> None:
    raw = recorded_raw("iris-project")
    container = raw["pods"][0]["status"]["containerStatuses"][0]
    container["state"] = {"waiting": {"reason": reason, "message": "see events"}}
    outcome = judge(RuntimePods(), *IRIS, raw=raw)
    assert outcome.status == Status.FAIL and words in outcome.summary


def test_an_evicted_pod_points_at_the_memory_limit() -> None:
    raw = recorded_raw("iris-project")
    raw["pods"][0]["status"].update({"reason": "Evicted", "message": "low on ephemeral storage"})
    outcome = judge(RuntimePods(), *IRIS, raw=raw)
    assert outcome.status == Status.FAIL
    assert "was evicted: low on ephemeral storage" in outcome.summary


@pytest.mark.parametrize(
    ("target", "words"),
    [(IRIS, "no pods for modelmesh-serving-model-server"), (PRICING, "no predictor pods")],
)
def test_no_pods_is_worded_per_platform(target: tuple[str, str], words: str) -> None:
    raw = recorded_raw(target[0])
    raw["pods"] = []
    outcome = judge(RuntimePods(), *target, raw=raw)
    assert outcome.status == Status.FAIL and outcome.summary.startswith(words)


def test_pods_a_user_may_not_list_make_the_check_unable_to_judge() -> None:
    outcome = judge(RuntimePods(), *IRIS, forbidden=("pods",))
    assert outcome.status == Status.ERROR
    assert outcome.summary == "could not run: you cannot list pods in iris-project: forbidden"


# -- deployment-status ------------------------------------------------------------------------
def test_a_stale_failure_on_a_loaded_model_is_not_a_failure() -> None:
    outcome = judge(DeploymentStatus(), *IRIS)
    assert outcome.status == Status.PASS and "stale" in outcome.summary


def test_standby_passes_because_modelmesh_loads_on_the_first_request() -> None:
    raw = states(recorded_raw("iris-project"), "Standby")
    outcome = judge(DeploymentStatus(), *IRIS, raw=raw)
    assert (outcome.status, outcome.summary) == (
        Status.PASS,
        "Standby: ModelMesh loads it on the first request",
    )


def test_failed_to_load_quotes_the_last_line_of_the_failure() -> None:
    outcome = judge(DeploymentStatus(), "wrong-secret", "iris-model")
    assert outcome.status == Status.FAIL
    assert outcome.summary.startswith("the model failed to load: ")


@pytest.mark.parametrize(
    ("age", "words"), [(timedelta(minutes=1), "still starting"), (timedelta(hours=3), "a while")]
)
def test_a_loading_model_is_young_or_stuck(age: timedelta, words: str) -> None:
    raw = states(recorded_raw("iris-project"), "Loading")
    created = (datetime.now(UTC) - age).strftime("%Y-%m-%dT%H:%M:%SZ")
    raw["inferenceservices"][0]["metadata"]["creationTimestamp"] = created
    outcome = judge(DeploymentStatus(), *IRIS, raw=raw)
    assert outcome.status == Status.WARN and words in outcome.summary
