"""The timeline's words (`check --watch`, the diagnosis' `w`): which objects are a deployment's,
how a change is named, and that a name written by others is shown, never obeyed."""

from __future__ import annotations

from checks.cluster.concerns import concerns, describe, state_word
from checks.resources import Deployment
from checks.watching import Moment


def isvc(name: str = "iris", mesh: bool = False) -> Deployment:
    annotations = {"serving.kserve.io/deploymentMode": "ModelMesh" if mesh else "RawDeployment"}
    return Deployment.parse(
        {
            "apiVersion": "serving.kserve.io/v1beta1",
            "kind": "InferenceService",
            "metadata": {"name": name, "namespace": "p", "annotations": annotations},
            "spec": {"predictor": {"model": {"runtime": "ovms", "modelFormat": {"name": "onnx"}}}},
        }
    )


def pod(name: str, labels: dict, waiting: str = "", restarts: int = 0) -> dict:
    state = {"waiting": {"reason": waiting}} if waiting else {"running": {}}
    return {
        "metadata": {"name": name, "namespace": "p", "labels": labels},
        "status": {
            "phase": "Running",
            "containerStatuses": [{"name": "c", "state": state, "restartCount": restarts}],
        },
    }


def test_a_deployments_objects_are_its_own_and_no_others() -> None:
    dep = isvc()
    mine = pod("iris-predictor-x", {"serving.kserve.io/inferenceservice": "iris"})
    other = pod("iris2-predictor-x", {"serving.kserve.io/inferenceservice": "iris2"})
    assert concerns(dep, "pods", mine) and not concerns(dep, "pods", other)
    assert concerns(dep, "deployments", {"metadata": {"name": "iris-predictor", "namespace": "p"}})
    assert not concerns(dep, "deployments", {"metadata": {"name": "iris", "namespace": "q"}})
    assert concerns(dep, "servingruntimes", {"metadata": {"name": "ovms", "namespace": "p"}})
    mesh = isvc(mesh=True)
    assert concerns(
        mesh, "pods", pod("modelmesh-serving-ovms-1", {"name": "modelmesh-serving-ovms"})
    )


def test_a_change_is_named_as_kubectl_words_it() -> None:
    before = pod("iris-predictor-x", {}, restarts=1)
    crashing = pod("iris-predictor-x", {}, waiting="CrashLoopBackOff", restarts=2)
    assert describe("pods", crashing, before, False) == (
        "pod iris-predictor-x Running → CrashLoopBackOff"
    )
    assert describe("pods", pod("iris-predictor-x", {}, restarts=2), before, False) == (
        "pod iris-predictor-x restarts 1 → 2"
    )
    assert describe("pods", before, None, False) == "pod iris-predictor-x created"
    assert describe("pods", before, before, True) == "pod iris-predictor-x deleted"
    assert state_word("inferenceservices", {"status": {"conditions": []}}) == ""


def test_a_hostile_name_is_shown_not_obeyed() -> None:
    hostile = pod("x\x1b]52;c;aGk=\x07\u202e", {}, waiting="Bad\nLine")
    line = Moment(describe("pods", hostile, pod("x", {}), False), at=0).line()
    assert "\x1b" not in line and "\u202e" not in line and "\n" not in line
    assert "␛]52;" in line and "\\u202e" in line
