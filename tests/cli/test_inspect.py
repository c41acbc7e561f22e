"""`rhoai-doctor inspect`: a model's signature from a file or from the lab's S3."""

from __future__ import annotations

import json
import pickle
import subprocess
from pathlib import Path

from tests.helpers.doctor_cli import run_doctor

ROOT = Path(__file__).resolve().parents[2]


def inspect(*args: str) -> subprocess.CompletedProcess:
    return run_doctor(
        ["inspect", *args],
        timeout=60,
        cwd=ROOT,
    )


def test_inspect_a_local_file(tmp_path: Path) -> None:
    from lab.models import build_pricing

    path = tmp_path / "pricing.onnx"
    path.write_bytes(build_pricing())
    out = inspect(str(path))
    assert out.returncode == 0, out.stderr
    assert "features" in out.stdout and "[batch,3]" in out.stdout
    doc = json.loads(inspect(str(path), "-o", "json").stdout)
    assert [i["name"] for i in doc["inputs"]] == ["features", "discount"]
    assert doc["inputs"][0]["dims"] == ["batch", 3]


def test_inspect_s3_through_a_data_connection(kubeconfig: Path) -> None:
    out = inspect(
        "s3://iris-project-models/iris/rf_iris.onnx",
        "--connection",
        "aws-connection-models",
        "-n",
        "iris-project",
        "--kubeconfig",
        str(kubeconfig),
        "-o",
        "json",
    )
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert [(i["name"], i["datatype"]) for i in doc["inputs"]] == [("X", "FP32")]
    assert [o["name"] for o in doc["outputs"]] == ["label", "scores"]
    assert doc["opset_imports"]["ai.onnx"] == 18


def test_a_pickle_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "mymodel.pkl"
    path.write_bytes(pickle.dumps({"weights": [1, 2, 3]}))
    out = inspect(str(path))
    assert out.returncode == 1
    assert out.stderr.startswith(f"error: {path}: ")
    assert len(out.stderr.strip().splitlines()) == 1 and "Traceback" not in out.stderr


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    out = inspect(str(tmp_path / "nope.onnx"))
    assert out.returncode == 2
    assert "cannot read" in out.stderr and "Traceback" not in out.stderr
