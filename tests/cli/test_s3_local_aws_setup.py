"""The pod's boto3 has none of this machine's AWS setup: a service model a user keeps in
~/.aws/models (botocore reads it before its own) must not change how S3 is read here, or
`check` would judge the bucket through a model the storage initializer never has."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from lab.control import env_vars

ROOT = Path(__file__).resolve().parents[2]
CHECK = ("check", "-n", "iris-project", "iris-model", "-o", "json")


def test_a_local_s3_model_in_home_is_not_used(lab: dict, tmp_path: Path) -> None:
    model = tmp_path / ".aws" / "models" / "s3" / "2006-03-01" / "service-2.json"
    model.parent.mkdir(parents=True)
    model.write_text('{"metadata": {"this is": "not the S3 model"}, "operations": {}}')
    done = subprocess.run(
        [sys.executable, "-m", "rhoai_doctor", *CHECK],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env={**os.environ, **env_vars(lab), "HOME": str(tmp_path)},
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    checks = {c["id"]: c for c in json.loads(done.stdout)["checks"]}
    assert checks["model-format"]["summary"].startswith("iris/rf_iris.onnx: ONNX")
