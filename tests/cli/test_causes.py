"""`rhoai-doctor check` names the cause, not what it leads to (issue 23 item 5): a predictor pod
that cannot become ready fails runtime-pods with the dead instance's own words, the route's 503
is never the root cause while no pod is ready, and an InferenceService no controller took is
said to be that — with what the controller skips or refuses."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from lab.control import env_vars

ROOT = Path(__file__).resolve().parents[2]


def check(lab: dict, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, **env_vars(lab)}
    return subprocess.run(
        # a generous deadline: the evidence under test (previous logs) must not be cut by a
        # loaded CI machine
        [sys.executable, "-m", "rhoai_doctor", "check", "--request-timeout", "60", *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env=env,
    )


def report(lab: dict, namespace: str, name: str) -> tuple[int, dict]:
    out = check(lab, "-n", namespace, name, "-o", "json")
    return out.returncode, json.loads(out.stdout)


def by_id(doc: dict) -> dict[str, dict]:
    return {c["id"]: c for c in doc["checks"]}


def test_an_init_container_crash_no_signature_knows_is_the_root_cause(lab) -> None:
    """Before: a warning, and 'the router answered 503' failed route as the root cause."""
    code, doc = report(lab, "cause-init-crash", "iris")
    checks = by_id(doc)
    assert code == 1
    assert [c["id"] for c in doc["checks"] if c["status"] == "fail"] == ["runtime-pods"]
    pods = checks["runtime-pods"]
    assert "init container storage-initializer" in pods["summary"]
    assert "No space left on device" in pods["summary"]
    assert (
        'previous log of storage-initializer: "OSError: [Errno 28] No space left on device: '
        "'/mnt/models/1/model.onnx'\"" in pods["evidence"]
    )
    assert any(
        e.startswith("event on pod iris-predictor-") and "BackOff" in e for e in pods["evidence"]
    )
    assert (checks["route"]["status"], checks["route"]["summary"]) == (
        "skip",
        "blocked by runtime-pods",
    )


def test_a_liveness_killed_model_server_fails_with_the_probe_and_its_last_words(lab) -> None:
    out = check(lab, "-n", "cause-liveness", "iris")
    assert out.returncode == 1, out.stdout + out.stderr
    assert "[✗] Runtime pods (runtime-pods)" in out.stdout
    # the lab's ticker restarts crash-looping containers as time passes: the count grows
    assert re.search(
        r"is killed by its liveness probe and restarted \(restarts \d+, last exit 137\)", out.stdout
    )
    assert "Liveness probe failed" in out.stdout
    assert "initialDelaySeconds" in out.stdout
    assert "Reading model file: /mnt/models/1/model.onnx (3.2 GiB)" in out.stdout
    assert "[-] Route reachability (route): blocked by runtime-pods" in out.stdout


def test_a_never_reconciled_deployment_says_so_and_why(lab) -> None:
    code, doc = report(lab, "cause-unreconciled", "iris-model")
    checks = by_id(doc)
    assert code == 1
    assert [c["id"] for c in doc["checks"] if c["status"] == "fail"] == ["deployment-status"]
    status = checks["deployment-status"]
    assert status["summary"].startswith(
        "no controller has reconciled this InferenceService: it has no status at all"
    )
    assert "modelmesh-enabled=true" in status["summary"]
    assert checks["runtime-pods"]["status"] == "skip"
    assert "see deployment-status" in checks["runtime-pods"]["summary"]


def test_a_crash_a_storage_check_explains_is_its_consequence(lab) -> None:
    """The wrong path's crash-looping storage-initializer: one root cause, the pod says why."""
    _, doc = report(lab, "wrong-path", "fraud")
    pods = by_id(doc)["runtime-pods"]
    assert pods["status"] == "skip"
    assert pods["summary"].startswith("consequence of bucket-path: init container ")
    assert "No model found in fraud-model" in pods["summary"]
