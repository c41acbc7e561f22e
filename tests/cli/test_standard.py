"""3.x Standard models and stopped ones as `get` and `check` show them, run as a user runs them."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from lab.control import env_vars
from tests.helpers.doctor_cli import run_doctor

ROOT = Path(__file__).resolve().parents[2]


def run(lab: dict, *args: str) -> subprocess.CompletedProcess:
    return run_doctor(
        [*args],
        timeout=90,
        cwd=ROOT,
        env={**os.environ, **env_vars(lab)},
    )


def rows(stdout: str) -> dict[str, str]:
    """NAMESPACE -> its row, for `get deployments -A`."""
    return {line.split()[0]: line for line in stdout.splitlines()[1:]}


def test_get_all_namespaces_shows_standard_and_stopped(lab) -> None:
    out = run(lab, "get", "deployments", "-A")
    assert out.returncode == 0, out.stderr
    found = rows(out.stdout)
    assert found["std-healthy"].split()[1:4] == ["iris", "Loaded", "kserve/Standard"]
    assert "Stopped · serving.kserve.io/stop=true" in found["std-stopped"]
    assert "kserve/Standard" in found["std-stopped"]
    assert "Pending · FailedCreate (quota compute-quota)" in found["std-quota"]
    assert found["pricing-project"].split()[3] == "kserve"  # 2.x Serverless unchanged
    assert found["iris-project"].split()[3] == "modelmesh"


def test_get_wide_shows_the_mode_and_what_the_controller_recorded(lab) -> None:
    out = run(lab, "get", "isvc", "-n", "std-healthy", "-o", "wide")
    assert out.returncode == 0, out.stderr
    header, row = out.stdout.splitlines()
    assert "MODE" in header and "STATUS MODE" in header
    assert "MODE" in header and "DASHBOARD" in header
    assert "Standard (RawDeployment)" in row and row.split()[-2:] == ["RawDeployment", "Ready"]
    mm = run(lab, "get", "isvc", "-n", "pricing-project", "-o", "wide")
    assert "Serverless (Knative)" in mm.stdout


def test_check_on_a_stopped_model_exits_0_and_says_how_to_start_it(lab) -> None:
    out = run(lab, "check", "-n", "std-stopped", "iris")
    assert out.returncode == 0, out.stdout + out.stderr
    lines = out.stdout.splitlines()
    assert lines[0] == (
        "Diagnosis of std-stopped/iris (kserve, Standard (RawDeployment)) — "
        "state: Stopped · serving.kserve.io/stop=true"
    )
    assert "(runtime-pods): stopped (serving.kserve.io/stop=true): start it to test" in out.stdout
    assert "→ Start it (set serving.kserve.io/stop to false, or Start in the dashboard)." in (
        out.stdout
    )
    assert lines[1].startswith("Verdict: pass")  # the verdict first, the detail after


def test_check_names_the_quota_with_its_numbers(lab) -> None:
    out = run(lab, "check", "-n", "std-quota", "iris", "-o", "json")
    assert out.returncode == 1, out.stdout + out.stderr
    doc = json.loads(out.stdout)
    pods = next(c for c in doc["checks"] if c["id"] == "runtime-pods")
    assert pods["status"] == "fail"
    assert pods["summary"] == (
        "ResourceQuota compute-quota refuses the predictor pod: limits.memory requested 8Gi, "
        "used 4Gi, limited 10Gi"
    )
    assert doc["target"]["mode"] == "Standard (RawDeployment)"


def test_infer_on_a_stopped_model_says_it_is_stopped_in_one_line(lab) -> None:
    out = run(lab, "infer", "-n", "std-stopped", "iris")
    assert out.returncode == 2, out.stdout + out.stderr
    assert out.stderr.splitlines() == [
        "error: iris is stopped (serving.kserve.io/stop=true): start it (set "
        "serving.kserve.io/stop to false, or Start in the dashboard) to send it a request"
    ]


def test_infer_on_the_healthy_standard_model_answers_through_its_route(lab) -> None:
    out = run(lab, "infer", "-n", "std-healthy", "iris")
    assert out.returncode == 0, out.stdout + out.stderr
    assert out.stdout.splitlines()[0] == (
        "POST https://iris-std-healthy.apps.rhoai-lab.test/v2/models/iris/infer"
    )
    assert "200 from model server" in out.stdout
