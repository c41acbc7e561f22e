"""`rhoai-doctor get … -o yaml|json` prints the manifests the API server returned, as kubectl
does: one named object bare, several in a v1 List, Secret values masked."""

from __future__ import annotations

import base64
import json
import subprocess
from pathlib import Path

import yaml

from tests.helpers.doctor_cli import run_doctor

ROOT = Path(__file__).resolve().parents[2]
MASK = "••••••••"


def get(kubeconfig: Path, *args: str) -> subprocess.CompletedProcess:
    out = run_doctor(
        ["get", *args, "--kubeconfig", str(kubeconfig)],
        timeout=60,
        cwd=ROOT,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    return out


def test_a_named_deployment_is_its_manifest_bare(kubeconfig: Path, admin_client) -> None:
    from kubernetes import client

    out = get(kubeconfig, "isvc", "-n", "std-healthy", "iris", "-o", "yaml")
    assert out.stdout.startswith("apiVersion: serving.kserve.io/v1beta1\nkind: InferenceService\n")
    assert "security.opendatahub.io/enable-auth: 'true'" in out.stdout
    assert "networking.kserve.io/visibility: exposed" in out.stdout
    assert "modelFormat:" in out.stdout and "model_format" not in out.stdout
    doc = yaml.safe_load(out.stdout)
    assert doc["spec"]["predictor"]["model"]["resources"]["requests"] == {
        "cpu": "1",
        "memory": "4Gi",
    }
    server = client.CustomObjectsApi(admin_client).get_namespaced_custom_object(
        "serving.kserve.io", "v1beta1", "std-healthy", "inferenceservices", "iris"
    )
    server["metadata"].pop("managedFields", None)
    assert doc == server  # the object itself, nothing of ours
    as_json = json.loads(get(kubeconfig, "isvc", "iris", "-n", "std-healthy", "-o", "json").stdout)
    assert as_json == server


def test_several_objects_are_a_list(kubeconfig: Path) -> None:
    doc = json.loads(get(kubeconfig, "pods", "-n", "std-healthy", "-o", "json").stdout)
    assert doc["apiVersion"] == "v1" and doc["kind"] == "List"
    assert doc["items"] and all(item["kind"] == "Pod" for item in doc["items"])
    assert all(item["apiVersion"] == "v1" for item in doc["items"])
    assert "containerStatuses" in doc["items"][0]["status"]
    everywhere = yaml.safe_load(get(kubeconfig, "isvc", "-A", "-o", "yaml").stdout)
    namespaces = {item["metadata"]["namespace"] for item in everywhere["items"]}
    assert {"iris-project", "std-healthy"} <= namespaces


def test_secret_values_are_masked_and_their_keys_shown(kubeconfig: Path, lab: dict) -> None:
    secret = lab["s3_credentials"]["secret_access_key"]
    encoded = base64.b64encode(secret.encode()).decode()
    for kind in ("connections", "secrets"):
        for output in ("json", "yaml"):
            out = get(kubeconfig, kind, "-n", "iris-project", "-o", output)
            assert secret not in out.stdout and encoded not in out.stdout, (kind, output)
    doc = json.loads(
        get(
            kubeconfig, "connections", "aws-connection-models", "-n", "iris-project", "-o", "json"
        ).stdout
    )
    assert doc["kind"] == "Secret" and doc["metadata"]["name"] == "aws-connection-models"
    assert doc["data"]["AWS_SECRET_ACCESS_KEY"] == MASK
    assert doc["metadata"]["annotations"]["opendatahub.io/connection-type"] == "s3"
    listed = json.loads(get(kubeconfig, "secrets", "-n", "iris-project", "-o", "json").stdout)
    values = [v for item in listed["items"] for v in (item.get("data") or {}).values()]
    assert values and set(values) <= {MASK, "<empty>"}


def test_projects_are_their_manifests(kubeconfig: Path) -> None:
    one = json.loads(get(kubeconfig, "projects", "iris-project", "-o", "json").stdout)
    assert one["kind"] == "Project" and one["apiVersion"] == "project.openshift.io/v1"
    assert one["metadata"]["name"] == "iris-project"
    every = json.loads(get(kubeconfig, "projects", "-o", "json").stdout)
    assert every["kind"] == "List" and len(every["items"]) > 1
