"""An `oc adm must-gather` directory written from the lab (as oc writes one) read back as a
capture: every project's deployments and states are there, and the checks re-run on it name the
same root cause as live wherever the objects hold the fact; what they do not hold (S3, the
route's answer, access reviews) is skipped "not in the capture", never a false alarm."""

from __future__ import annotations

import asyncio
import base64
import shutil
from pathlib import Path

import pytest

from checks.capture.must_gather import read_must_gather
from checks.capture.replay import capture_snapshot, diagnose_capture
from checks.cluster.connect import ConnectionOptions
from checks.engine.runner import Status
from checks.errors import DoctorError
from checks.options import SessionOptions
from checks.session import Session
from lab.control import env_vars
from lab.scenarios import SCENARIOS
from tests.helpers.must_gather import IMAGE_DIR, edit_yaml, steady, write_must_gather

# Broken scenarios whose root cause is decided by the objects, pods, events and logs alone.
IN_THE_OBJECTS = {
    "oom-crashloop",
    "unschedulable",
    "conn-oci-empty",
    "vllm-kv-cache",
    "vllm-cuda-oom",
    "vllm-no-gpu",
    "std-quota",
    "route-disabled",
    "std-visibility-annotation",
    "cause-init-crash",  # the crashed instance's log and the kubelet's events are captured
    "cause-liveness",
    "cause-unreconciled",  # no status, and the namespace's labels
}


@pytest.fixture(scope="module")
def gathered(lab, tmp_path_factory) -> Path:
    return write_must_gather(lab, tmp_path_factory.mktemp("mg") / "must-gather.local.5513")


@pytest.fixture(scope="module")
def capture(gathered):
    return read_must_gather(gathered)


def live(lab: dict, namespace: str):
    connection = ConnectionOptions(
        kubeconfig=lab["kubeconfig"], context="lab-admin", namespace=namespace
    )
    return Session(SessionOptions.build(connection, environ=env_vars(lab)))


def test_every_project_and_its_deployments_and_states_are_in_the_capture(lab, capture) -> None:
    async def states() -> dict[str, list[tuple[str, str]]]:
        async with live(lab, "default") as session:
            found = {}
            for project in await session.projects():
                snapshot = await session.snapshot(project.name)
                found[project.name] = [
                    (d.name, snapshot.state_of(d).text) for d in snapshot.all_deployments
                ]
            return found

    expected = asyncio.run(states())
    assert capture.meta.source == "must-gather"
    assert capture.meta.captured_at.endswith("Z") and capture.meta.captured_at[:4].isdigit()
    assert set(expected) <= set(capture.namespaces)
    for namespace, deployments in expected.items():
        snapshot = capture_snapshot(capture, namespace)
        got = [(d.name, snapshot.state_of(d).text) for d in snapshot.all_deployments]
        assert got == deployments, namespace
    assert sum(len(d) for d in expected.values()) >= len(SCENARIOS)


def test_the_top_directory_the_image_directory_and_the_inspect_root_read_alike(gathered) -> None:
    top = read_must_gather(gathered)
    root = read_must_gather(gathered / IMAGE_DIR)
    assert top.objects == root.objects and top.logs == root.logs
    assert top.meta.captured_at == root.meta.captured_at


def test_a_directory_that_is_not_a_must_gather_is_one_clear_line(tmp_path) -> None:
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(DoctorError) as raised:
        read_must_gather(tmp_path)
    assert "not an oc adm must-gather or oc adm inspect directory" in str(raised.value)


def test_previous_logs_are_read_without_the_kubelet_timestamps(capture) -> None:
    crashed = [k for k in capture.logs if k.namespace == "vllm-kv-cache" and k.previous]
    assert crashed, sorted(capture.logs)[:5]
    text = capture.logs[crashed[0]]
    assert text.strip() and not text[:4].isdigit()
    assert "32768" in text  # the KV cache line the crash signature reads


@pytest.mark.parametrize(
    "scenario", [s for s in SCENARIOS if s.project in IN_THE_OBJECTS], ids=lambda s: s.project
)
def test_offline_names_the_same_root_cause_as_live(lab, capture, scenario) -> None:
    async def diagnose():
        async with live(lab, scenario.project) as session:
            return await session.diagnose(scenario.project, scenario.deployment)

    online = asyncio.run(diagnose())
    offline = asyncio.run(diagnose_capture(capture, scenario.project, scenario.deployment))
    table = "\n".join(f"{r.id}: {r.status} {r.summary}" for r in offline.results)
    assert [r.id for r in offline.root_causes] == [scenario.root_cause], table
    assert [r.id for r in online.root_causes] == [scenario.root_cause]
    assert steady(offline.result(scenario.root_cause).summary) == steady(
        online.result(scenario.root_cause).summary
    )
    assert offline.target["state"] == online.target["state"]


@pytest.mark.parametrize(
    "scenario",
    [s for s in SCENARIOS if not s.healthy and s.project not in IN_THE_OBJECTS],
    ids=lambda s: s.project,
)
def test_a_root_cause_the_capture_cannot_hold_is_not_in_the_capture(capture, scenario) -> None:
    """S3, the route's answer, access reviews: the check that needs them skips in words; what
    fails instead is what the objects say (the model failed to load; a pod that cannot become
    ready, quoting its crashed container — issue 23 item 5), never a false alarm."""
    report = asyncio.run(diagnose_capture(capture, scenario.project, scenario.deployment))
    table = "\n".join(f"{r.id}: {r.status} {r.summary}" for r in report.results)
    root = report.result(scenario.root_cause)
    assert root.status == Status.SKIP, table
    assert "not in the capture" in root.summary or root.blocked_by, table
    assert {r.id for r in report.root_causes} <= {"deployment-status", "runtime-pods"}, table
    pods = report.result("runtime-pods")
    if pods.status == Status.FAIL:  # the crash seen in the pod, in the container's own words
        assert "keeps crashing" in pods.summary and ": " in pods.summary, table
    assert not any("empty" in r.summary for r in report.results), table


@pytest.mark.parametrize(
    "scenario",
    [s for s in SCENARIOS if s.healthy and not s.warns],
    ids=lambda s: s.project,
)
def test_healthy_deployments_raise_no_alarm_from_elided_secrets(capture, scenario) -> None:
    report = asyncio.run(diagnose_capture(capture, scenario.project, scenario.deployment))
    table = "\n".join(f"{r.id}: {r.status} {r.summary}" for r in report.results)
    assert report.verdict == Status.PASS, table
    skipped = [r for r in report.results if r.status == Status.SKIP]
    assert all(
        "not in the capture" in r.summary
        or "stopped" in r.summary
        or "generative model" in r.summary
        or r.blocked_by
        for r in skipped
    ), table


def test_elided_values_keep_their_keys_and_an_empty_one_stays_empty(gathered, tmp_path) -> None:
    """oc writes "<N> bytes long": a filled key is present (not "empty"), "0 bytes long" is a
    real empty value and the check names it."""
    copy = shutil.copytree(gathered, tmp_path / "mg")
    secrets = copy / IMAGE_DIR / "namespaces" / "std-healthy" / "core" / "secrets.yaml"

    def empty_bucket(listing: dict) -> None:
        for item in listing["items"]:
            if "AWS_S3_BUCKET" in (item.get("data") or {}):
                item["data"]["AWS_S3_BUCKET"] = base64.b64encode(b"0 bytes long").decode()

    before = read_must_gather(copy)
    connections = capture_snapshot(before, "std-healthy").connections
    assert connections and all(c.missing_keys() == [] for c in connections)
    assert "AWS_SECRET_ACCESS_KEY" in connections[0].keys
    edit_yaml(secrets, empty_bucket)
    report = asyncio.run(diagnose_capture(read_must_gather(copy), "std-healthy", "iris"))
    connection = report.result("data-connection")
    table = "\n".join(f"{r.id}: {r.status} {r.summary}" for r in report.results)
    assert connection.status == Status.FAIL, table
    assert "AWS_S3_BUCKET" in connection.summary and "empty" in connection.summary


def test_a_file_that_is_not_yaml_is_one_line_not_a_crash(gathered, tmp_path) -> None:
    copy = shutil.copytree(gathered, tmp_path / "mg")
    project = copy / IMAGE_DIR / "namespaces" / "oom-crashloop"
    (project / "core" / "events.yaml").write_text("items: [\n  - {unclosed: ")
    isvcs = project / "serving.kserve.io" / "inferenceservices"
    (isvcs / "zz-broken.yaml").write_bytes(b"\x00\xff not: [yaml")
    capture = read_must_gather(copy)
    assert "events.yaml could not be read" in capture.forbidden["oom-crashloop"]["events"]
    lines = capture.unreadable["oom-crashloop"]["inferenceservices"]
    assert len(lines) == 1 and "zz-broken.yaml could not be read" in lines[0]
    report = asyncio.run(diagnose_capture(capture, "oom-crashloop", "iris"))
    assert [r.id for r in report.root_causes] == ["runtime-pods"]
    events = report.result("events")
    assert events.status in (Status.ERROR, Status.SKIP) and "events.yaml" in events.summary
