"""Malformed objects are data: a field of the wrong type (a broken controller, a hostile object)
becomes one line naming the object, and everything else in the project still shows."""

from __future__ import annotations

from checks.cluster.kinds import DEPLOYMENTS, PODS
from tests.helpers import recorded_raw, recorded_snapshot
from tui.cells import row


def broken_project() -> dict:
    raw = recorded_raw("iris-project")
    bad = dict(raw["inferenceservices"][0], spec={"predictor": {"model": "a string"}})
    bad["metadata"] = dict(bad["metadata"], name="broken-model")
    raw["inferenceservices"].append(bad)
    pod = dict(raw["pods"][0], status={"containerStatuses": "not a list"})
    pod["metadata"] = dict(pod["metadata"], name="broken-pod")
    raw["pods"].append(pod)
    raw["events"].append("not even an object")
    return raw


def test_an_unreadable_object_is_one_line_and_the_rest_still_shows() -> None:
    snapshot = recorded_snapshot("iris-project", broken_project())
    assert [d.name for d in snapshot.deployments] == ["iris-model"]
    (line,) = snapshot.unreadable["inferenceservices"]
    assert line.startswith("inferenceservices iris-project/broken-model could not be read")
    assert [p.name for p in snapshot.pods] == [snapshot.pods[0].name]
    assert snapshot.unreadable["pods"][0].startswith("pods iris-project/broken-pod")
    assert len(snapshot.events) == len(recorded_raw("iris-project")["events"])


def test_the_faces_draw_what_could_be_read() -> None:
    snapshot = recorded_snapshot("iris-project", broken_project())
    rows = [row(DEPLOYMENTS, d, snapshot) for d in DEPLOYMENTS.objects(snapshot)]
    assert [r[0].plain for r in rows] == ["iris-model"]
    assert len([row(PODS, p, snapshot) for p in PODS.objects(snapshot)]) == 1
