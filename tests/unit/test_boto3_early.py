"""boto3 starts loading as soon as the InferenceServices are listed, and only when the one asked
for takes its model from S3 (a data connection or an s3:// URI): `check` on it overlaps the
import with the slower LISTs, and a deployment whose model is elsewhere never loads boto3.
Each case runs in a fresh interpreter, so what is imported is that case's alone."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import json, sys
from checks.session import warm_when_listed
from checks.storage import s3
kind, items = json.loads(sys.argv[1])
warm_when_listed("iris-model")(kind, items)
for thread in s3._warming:
    thread.join(60)
print("boto3" in sys.modules)
"""


def isvc(name: str, model: dict) -> dict:
    return {
        "apiVersion": "serving.kserve.io/v1beta1",
        "kind": "InferenceService",
        "metadata": {"name": name, "namespace": "p"},
        "spec": {"predictor": {"model": {"modelFormat": {"name": "onnx"}, **model}}},
    }


def loads_boto3(kind: str, items: list[dict]) -> bool:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps([kind, items])],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.strip() == "True"


@pytest.mark.parametrize(
    "model",
    [{"storage": {"key": "aws-connection-models", "path": "iris"}}, {"storageUri": "s3://b/iris"}],
    ids=["data-connection", "s3-uri"],
)
def test_a_model_on_s3_starts_boto3_when_its_deployment_is_listed(model: dict) -> None:
    assert loads_boto3("inferenceservices", [isvc("other", {}), isvc("iris-model", model)])


@pytest.mark.parametrize(
    ("kind", "name", "model"),
    [
        ("inferenceservices", "iris-model", {"storageUri": "oci://quay.io/m/iris:1"}),
        ("inferenceservices", "iris-model", {"storageUri": "hf://org/model"}),
        ("inferenceservices", "other", {"storageUri": "s3://b/iris"}),
        ("pods", "iris-model", {"storageUri": "s3://b/iris"}),
    ],
    ids=["oci", "hf", "another-deployment", "another-kind"],
)
def test_anything_else_never_loads_boto3(kind: str, name: str, model: dict) -> None:
    assert not loads_boto3(kind, [isvc(name, model)])
