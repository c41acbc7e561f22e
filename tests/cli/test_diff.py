"""`rhoai-doctor diff A B` as a person answering "it worked yesterday" runs it: two must-gathers
of the lab taken at two moments, the second edited the way a user's cluster changes (an
annotation, the runtime's image and args, a memory limit, a connection key, a deployment gone),
and a must-gather against the live lab."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from lab.control import env_vars
from tests.helpers import secret_value
from tests.helpers.doctor_cli import run_doctor
from tests.helpers.must_gather import IMAGE_DIR, edit_yaml, write_must_gather

ROOT = Path(__file__).resolve().parents[2]
OLD_IMAGE = "quay.io/modh/openvino_model_server:2024.5-release"
NEW_IMAGE = "quay.io/modh/openvino_model_server:2025.1-release"


def diff(lab: dict, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, **env_vars(lab)}
    return run_doctor(
        ["diff", *args, "--context", "lab-admin"],
        timeout=240,
        cwd=ROOT,
        env=env,
    )


@pytest.fixture(scope="module")
def monday(lab, tmp_path_factory) -> Path:
    return write_must_gather(lab, tmp_path_factory.mktemp("monday") / "must-gather.local.1")


@pytest.fixture(scope="module")
def tuesday(lab, tmp_path_factory) -> Path:
    """A second must-gather, later, of a cluster where someone changed things."""
    top = write_must_gather(lab, tmp_path_factory.mktemp("tuesday") / "must-gather.local.2")
    project = top / IMAGE_DIR / "namespaces" / "std-healthy"

    def stop_and_shrink(isvc: dict) -> None:
        isvc["metadata"]["annotations"]["serving.kserve.io/stop"] = "true"
        isvc["spec"]["predictor"]["model"]["resources"]["limits"]["memory"] = "1Gi"

    def upgrade(runtime: dict) -> None:
        container = runtime["spec"]["containers"][0]
        container["image"] = NEW_IMAGE
        container["args"] = [*container.get("args", []), "--log_level=DEBUG"]

    def drop_region(listing: dict) -> None:
        for item in listing["items"]:
            (item.get("data") or {}).pop("AWS_DEFAULT_REGION", None)

    edit_yaml(project / "serving.kserve.io" / "inferenceservices" / "iris.yaml", stop_and_shrink)
    edit_yaml(project / "serving.kserve.io" / "servingruntimes" / "iris.yaml", upgrade)
    edit_yaml(project / "core" / "secrets.yaml", drop_region)
    gone = top / IMAGE_DIR / "namespaces" / "pricing-project" / "serving.kserve.io"
    shutil.rmtree(gone / "inferenceservices")
    return top


def test_two_moments_of_an_unchanged_lab_have_no_difference(lab, monday, tmp_path) -> None:
    later = write_must_gather(lab, tmp_path / "later")
    out = diff(lab, str(monday), str(later))
    assert out.returncode == 0, out.stdout + out.stderr
    assert "No differences." in out.stdout
    assert out.stdout.splitlines()[-1].startswith("0 changed, 0 added, 0 removed, ")


def test_what_changed_is_listed_per_deployment_and_nothing_else(lab, monday, tuesday) -> None:
    out = diff(lab, str(monday), str(tuesday), "-o", "json")
    assert out.returncode == 1, out.stdout + out.stderr
    doc = json.loads(out.stdout)
    by = {(d["namespace"], d["name"]): d for d in doc["deployments"]}
    assert set(by) == {("std-healthy", "iris"), ("pricing-project", "pricing")}
    assert by[("pricing-project", "pricing")]["change"] == "removed"
    changes = {c["what"]: (c["a"], c["b"]) for c in by[("std-healthy", "iris")]["changes"]}
    assert changes["annotation serving.kserve.io/stop"] == ("-", "true")
    assert changes["spec.predictor.model.resources.limits.memory"] == ("4Gi", "1Gi")
    assert changes["runtime iris containers[kserve-container].image"] == (OLD_IMAGE, NEW_IMAGE)
    args = changes["runtime iris containers[kserve-container].args"]
    assert args[1] == args[0] + " --log_level=DEBUG"
    keys = changes["connection aws-connection-models keys"]
    assert "AWS_DEFAULT_REGION" in keys[0] and "AWS_DEFAULT_REGION" not in keys[1]
    assert changes["state"] == ("Loaded", "Stopping · serving.kserve.io/stop=true")
    before, after = changes["check runtime-pods"]
    assert before.startswith("pass") and after.startswith("skip: stopped")
    assert ("iris-project", "iris-model") not in by and "iris-project/iris-model" in doc[
        "unchanged"
    ]


def test_the_table_fits_the_change_on_one_screen_and_names_no_secret(
    lab, monday, tuesday, admin_client
) -> None:
    out = diff(lab, str(monday), str(tuesday))
    assert out.returncode == 1, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0].startswith(f"A  must-gather {monday} (captured 20")
    assert (
        "std-healthy/iris   " in out.stdout and "pricing-project/pricing   only in A" in out.stdout
    )
    image = next(line for line in lines if "containers[kserve-container].image" in line)
    assert OLD_IMAGE in image and NEW_IMAGE in image
    args = next(line for line in lines if "containers[kserve-container].args" in line)
    assert "--log_level=DEBUG" in args and len(args) <= 180
    assert len(lines) < 24
    for key in ("AWS_SECRET_ACCESS_KEY", "AWS_ACCESS_KEY_ID"):
        assert secret_value(admin_client, "std-healthy", "aws-connection-models", key) not in (
            out.stdout
        )


def test_a_must_gather_against_the_live_cluster(lab, monday, tuesday) -> None:
    same = diff(lab, str(monday), "live")
    assert same.returncode == 0, same.stdout + same.stderr
    assert same.stdout.splitlines()[1].startswith("B  live lab-admin (https://127.0.0.1:")
    assert "No differences." in same.stdout
    out = diff(lab, str(tuesday), "live", "-n", "std-healthy", "-o", "json")
    assert out.returncode == 1, out.stdout + out.stderr
    (only,) = json.loads(out.stdout)["deployments"]
    changes = {c["what"]: (c["a"], c["b"]) for c in only["changes"]}
    assert changes["annotation serving.kserve.io/stop"] == ("true", "-")
    captured, live = changes["check data-connection"]  # the region key was gone on Tuesday
    assert captured.startswith("fail") and "AWS_DEFAULT_REGION" in captured
    assert live.startswith("pass: aws-connection-models: S3 accepts")
    assert changes["check route"] == (
        "skip: blocked by data-connection",
        changes["check route"][1],
    )
    assert changes["check route"][1].startswith("pass: reachable")  # live probes the route


def test_nothing_to_compare_is_one_line_exit_2(lab, tmp_path) -> None:
    both_live = diff(lab, "live", "live")
    assert both_live.returncode == 2 and both_live.stdout == ""
    assert both_live.stderr.strip().startswith("error: give at least one capture")
    (tmp_path / "notes").mkdir()
    not_a_capture = diff(lab, str(tmp_path / "notes"), "live")
    assert not_a_capture.returncode == 2
    assert len(not_a_capture.stderr.strip().splitlines()) == 1
    assert "not" in not_a_capture.stderr and "Traceback" not in not_a_capture.stderr
