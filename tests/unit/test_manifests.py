"""Manifests as the API server returned them (checks/engine/manifests.py), on recorded lab objects: what
kubectl hides is hidden, what a Secret holds is masked, the rest is the object itself."""

from __future__ import annotations

import copy
import json

from checks.engine.manifests import (
    LAST_APPLIED,
    kubectl_shape,
    manifest_for,
    manifest_of,
    to_json,
    to_yaml,
)
from tests.helpers.recorded import recorded_raw, recorded_snapshot

MASK = "••••••••"


def _secret(raw: dict, name: str) -> dict:
    return next(s for s in raw["secrets"] if s["metadata"]["name"] == name)


def test_an_inference_service_is_itself_with_apiversion_and_kind() -> None:
    raw = recorded_raw("std-healthy")
    isvc = raw["inferenceservices"][0]
    manifest = manifest_of(isvc, "inferenceservices")
    assert list(manifest)[:2] == ["apiVersion", "kind"]
    assert manifest["apiVersion"] == "serving.kserve.io/v1beta1"
    assert manifest["kind"] == "InferenceService"
    assert {k: v for k, v in manifest.items() if k not in ("apiVersion", "kind")} == {
        k: v for k, v in isvc.items() if k not in ("apiVersion", "kind")
    }
    assert manifest["spec"]["predictor"]["model"]["resources"]["requests"]["memory"] == "4Gi"


def test_managed_fields_and_last_applied_are_hidden_other_annotations_kept() -> None:
    raw = copy.deepcopy(recorded_raw("iris-project"))
    secret = _secret(raw, "aws-connection-models")
    value = secret["data"]["AWS_SECRET_ACCESS_KEY"]
    secret["metadata"]["managedFields"] = [{"manager": "kubectl", "operation": "Update"}]
    secret["metadata"]["annotations"][LAST_APPLIED] = json.dumps({"data": secret["data"]})
    secret["stringData"] = {"extra": "plain-text-value"}
    manifest = manifest_of(secret, "secrets")
    assert "managedFields" not in manifest["metadata"]
    assert LAST_APPLIED not in manifest["metadata"]["annotations"]
    assert manifest["metadata"]["annotations"]["openshift.io/display-name"] == "models"
    assert manifest["data"]["AWS_SECRET_ACCESS_KEY"] == MASK
    assert manifest["stringData"] == {"extra": MASK}
    for text in (to_yaml(manifest), to_json(manifest)):
        assert value not in text and "plain-text-value" not in text
        assert "AWS_SECRET_ACCESS_KEY" in text and "AWS_S3_BUCKET" in text
    assert secret["metadata"]["managedFields"], "the snapshot's own object is left as it was"


def test_an_empty_value_says_empty_and_a_token_annotation_is_masked() -> None:
    secret = {
        "metadata": {
            "name": "builder-token",
            "namespace": "p",
            "annotations": {"openshift.io/token-secret.value": "sha256~abc"},
        },
        "type": "kubernetes.io/service-account-token",
        "data": {"token": "", "ca.crt": "Q0E="},
    }
    manifest = manifest_of(secret, "secrets")
    assert manifest["apiVersion"] == "v1" and manifest["kind"] == "Secret"
    assert manifest["data"] == {"token": "<empty>", "ca.crt": MASK}
    assert "sha256~abc" not in to_yaml(manifest)


def test_typed_rows_find_their_object_and_kubectl_shapes_lists() -> None:
    snapshot = recorded_snapshot("std-healthy")
    dep, pod = snapshot.deployments[0], snapshot.pods[0]
    assert manifest_for(snapshot, dep)["metadata"]["name"] == dep.name
    assert manifest_for(snapshot, pod)["kind"] == "Pod"
    both = [manifest_for(snapshot, dep), manifest_for(snapshot, pod)]
    assert kubectl_shape(both[:1], single=True)["kind"] == "InferenceService"
    listed = kubectl_shape(both, single=False)
    assert listed["apiVersion"] == "v1" and listed["kind"] == "List" and len(listed["items"]) == 2
    assert kubectl_shape(both[:1], single=False)["kind"] == "List"


def test_what_others_wrote_is_shown_not_obeyed() -> None:
    hostile = {"metadata": {"name": "x", "annotations": {"note": "a\x1b]52;c;ZXZpbA==\x07b\u202e"}}}
    manifest = manifest_of(hostile, "pods")
    for text in (to_yaml(manifest), to_json(manifest)):
        assert "\x1b" not in text and "\u202e" not in text and "\x07" not in text
    assert json.loads(to_json(manifest))["metadata"]["annotations"]["note"].endswith("b\u202e")


def test_tokens_and_literal_secret_env_values_are_masked_elsewhere_too() -> None:
    jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06c2EifQ.c2lnbmF0dXJlLXBhcnQ"
    pod = {
        "metadata": {"name": "p", "annotations": {"pasted": f"token {jwt}"}},
        "spec": {
            "containers": [
                {
                    "name": "c",
                    "env": [
                        {"name": "AWS_SECRET_ACCESS_KEY", "value": "wJalrXUtnFEMI"},
                        {"name": "AWS_DEFAULT_REGION", "value": "us-east-1"},
                        {"name": "HF_TOKEN", "valueFrom": {"secretKeyRef": {"name": "hf"}}},
                    ],
                }
            ]
        },
    }
    manifest = manifest_of(pod, "pods")
    env = manifest["spec"]["containers"][0]["env"]
    assert env[0] == {"name": "AWS_SECRET_ACCESS_KEY", "value": MASK}
    assert env[1]["value"] == "us-east-1"  # not a secret: kept
    assert env[2]["valueFrom"] == {"secretKeyRef": {"name": "hf"}}
    text = to_yaml(manifest)
    assert jwt not in text and "wJalrXUtnFEMI" not in text and "<token redacted>" in text
