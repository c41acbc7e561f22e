"""`rhoai-doctor diff` on a data connection whose endpoint and bucket moved between two bundles:
the non-secret fields are compared (a moved endpoint is not "No differences"), a credential
written into the endpoint URL never reaches the output, nor does any secret value."""

from __future__ import annotations

import base64
import io
import json
import os
import subprocess
import tarfile
from pathlib import Path

import pytest

from lab.control import env_vars
from tests.helpers import secret_value
from tests.helpers.doctor_cli import run_doctor

ROOT = Path(__file__).resolve().parents[2]
CONNECTION = "aws-connection-models"
MOVED = "https://someone:hunter2@moved.example.com:9000/?X-Amz-Signature=abc123"


def doctor(lab: dict, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, **env_vars(lab), "PYTHONPATH": str(ROOT)}
    return run_doctor([*args], timeout=240, cwd=ROOT, env=env)


def moved(source: Path, dest: Path) -> None:
    """The bundle as if the connection's endpoint and bucket had been edited in the dashboard."""
    with tarfile.open(source) as old, tarfile.open(dest, "w:gz") as new:
        for member in old:
            data = old.extractfile(member).read() if member.isfile() else None
            if member.name.endswith("std-healthy/secrets.json"):
                listing = json.loads(data)
                items = listing["items"] if isinstance(listing, dict) else listing
                for item in items:
                    if item["metadata"]["name"] == CONNECTION:
                        item["data"]["AWS_S3_ENDPOINT"] = base64.b64encode(MOVED.encode()).decode()
                        item["data"]["AWS_S3_BUCKET"] = base64.b64encode(b"new-bucket").decode()
                data = json.dumps(listing).encode()
                member.size = len(data)
            new.addfile(member, io.BytesIO(data) if data is not None else None)


@pytest.fixture(scope="module")
def before(lab, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("conn") / "before.tar.gz"
    out = doctor(lab, "bundle", "-n", "std-healthy", "--all", "-o", str(path))
    assert out.returncode == 0, out.stderr
    return path


def test_a_moved_endpoint_and_bucket_are_changes_with_no_credential_shown(
    lab, before, tmp_path, admin_client
) -> None:
    after = tmp_path / "after.tar.gz"
    moved(before, after)
    out = doctor(lab, "diff", str(before), str(after))
    assert out.returncode == 1, out.stdout + out.stderr
    assert "No differences." not in out.stdout
    endpoint = next(line for line in out.stdout.splitlines() if f"{CONNECTION} endpoint" in line)
    assert endpoint.split()[-1] == "https://moved.example.com:9000/"
    doc = json.loads(doctor(lab, "diff", str(before), str(after), "-o", "json").stdout)
    (only,) = doc["deployments"]
    changes = {c["what"]: (c["a"], c["b"]) for c in only["changes"]}
    assert changes[f"connection {CONNECTION} bucket"][1] == "new-bucket"
    assert changes[f"connection {CONNECTION} endpoint"][1] == "https://moved.example.com:9000/"
    for text in (out.stdout, json.dumps(doc)):
        assert "hunter2" not in text and "abc123" not in text and "someone" not in text
        for key in ("AWS_SECRET_ACCESS_KEY", "AWS_ACCESS_KEY_ID"):
            assert secret_value(admin_client, "std-healthy", CONNECTION, key) not in text


def test_the_unchanged_bundle_against_the_live_lab_has_no_difference(lab, before) -> None:
    out = doctor(lab, "diff", str(before), "live", "-n", "std-healthy", "--context", "lab-admin")
    assert out.returncode == 0, out.stdout + out.stderr
    assert "No differences." in out.stdout
