"""The lab's S3 and inference endpoint, through boto3 and httpx only, as a user's scripts would."""

from __future__ import annotations

import json

import boto3
import httpx
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from kubernetes import client

from tests.helpers import lab_tls, secret_value

SEED_REQUEST = {
    "inputs": [{"name": "X", "shape": [1, 4], "datatype": "FP32", "data": [3, 4, 3, 2]}]
}
APPS = "apps.rhoai-lab.test"


def connection_s3(admin_client, namespace: str, secret_key: str | None = None):
    def value(key: str) -> str:
        return secret_value(admin_client, namespace, "aws-connection-models", key)

    s3 = boto3.client(
        "s3",
        endpoint_url=value("AWS_S3_ENDPOINT"),
        region_name=value("AWS_DEFAULT_REGION"),
        aws_access_key_id=value("AWS_ACCESS_KEY_ID"),
        aws_secret_access_key=secret_key or value("AWS_SECRET_ACCESS_KEY"),
        config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}),
    )
    return s3, value("AWS_S3_BUCKET")


def route_post(
    lab: dict,
    host: str,
    path: str,
    body: dict | None = None,
    token: str | None = None,
    method: str = "POST",
) -> httpx.Response:
    """Call a route host through the lab router, with the right SNI and Host header."""
    headers = {"Host": host}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    with httpx.Client(verify=lab_tls(lab), timeout=10) as http:
        return http.request(
            method,
            f"https://{lab['router']}{path}",
            json=body,
            headers=headers,
            extensions={"sni_hostname": host},
        )


def model_token(admin_client, namespace: str, sa: str) -> str:
    return secret_value(admin_client, namespace, f"default-name-{sa}", "token")


def test_lists_the_model_prefix_with_the_connections_credentials(admin_client) -> None:
    s3, bucket = connection_s3(admin_client, "iris-project")
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket, Prefix="iris")["Contents"]]
    assert keys == ["iris/rf_iris.onnx"]


def test_wrong_secret_key_really_fails(admin_client) -> None:
    s3, bucket = connection_s3(admin_client, "iris-project", secret_key="x" * 40)
    with pytest.raises(ClientError) as raised:
        s3.list_objects_v2(Bucket=bucket)
    assert raised.value.response["Error"]["Code"] in ("SignatureDoesNotMatch", "InvalidAccessKeyId")


def test_wrong_secret_scenario_holds_a_key_s3_rejects(admin_client) -> None:
    s3, bucket = connection_s3(admin_client, "wrong-secret")
    with pytest.raises(ClientError) as raised:
        s3.list_objects_v2(Bucket=bucket)
    assert raised.value.response["Error"]["Code"] == "SignatureDoesNotMatch"


def test_seed_request_with_the_model_token_returns_a_prediction(lab, admin_client) -> None:
    token = model_token(admin_client, "iris-project", "model-server-sa")
    host = f"iris-model-iris-project.{APPS}"
    response = route_post(lab, host, "/v2/models/iris-model/infer", SEED_REQUEST, token)
    assert response.status_code == 200, response.text
    outputs = {o["name"]: o for o in response.json()["outputs"]}
    assert set(outputs) == {"label", "scores"}
    assert outputs["label"]["datatype"] == "INT64" and outputs["scores"]["shape"] == [1, 3]
    assert response.json()["model_name"].startswith("iris-model__isvc-")


def test_modelmesh_route_without_token_gets_the_oauth_login_page(lab) -> None:
    response = route_post(
        lab, f"iris-model-iris-project.{APPS}", "/v2/models/iris-model/infer", SEED_REQUEST
    )
    assert response.status_code == 403
    assert "<title>Log In</title>" in response.text


def test_kserve_route_without_token_gets_401_from_authorino(lab, admin_client) -> None:
    host = f"pricing-pricing-project.{APPS}"
    response = route_post(lab, host, "/v2/models/pricing", method="GET")
    assert response.status_code == 401
    assert response.headers["x-ext-auth-reason"] == "credential not found"
    token = model_token(admin_client, "pricing-project", "pricing-sa")
    metadata = route_post(lab, host, "/v2/models/pricing", token=token, method="GET")
    assert metadata.status_code == 200
    assert [i["name"] for i in metadata.json()["inputs"]] == ["features", "discount"]
    body = {
        "inputs": [
            {"name": "features", "shape": [2, 3], "datatype": "FP32", "data": [1, 2, 3, 4, 5, 6]},
            {"name": "discount", "shape": [2, 1], "datatype": "FP32", "data": [0, 0.5]},
        ]
    }
    answer = route_post(lab, host, "/v2/models/pricing/infer", body, token)
    assert answer.status_code == 200, answer.text
    assert answer.json()["outputs"][0]["shape"] == [2, 1]


def test_token_without_role_binding_is_refused(lab, admin_client) -> None:
    token = model_token(admin_client, "token-no-rolebinding", "model-server-sa")
    response = route_post(
        lab,
        f"iris-model-token-no-rolebinding.{APPS}",
        "/v2/models/iris-model/infer",
        SEED_REQUEST,
        token,
    )
    assert response.status_code == 403


def test_route_paths_outside_the_modelmesh_prefix_hit_the_router_503(lab, admin_client) -> None:
    token = model_token(admin_client, "iris-project", "model-server-sa")
    response = route_post(
        lab, f"iris-model-iris-project.{APPS}", "/v2/health/ready", token=token, method="GET"
    )
    assert response.status_code == 503
    assert "Application is not available" in response.text


def test_no_route_for_the_route_disabled_scenario(lab, admin_client) -> None:
    routes = client.CustomObjectsApi(admin_client).list_namespaced_custom_object(
        "route.openshift.io", "v1", "route-disabled", "routes"
    )["items"]
    assert routes == []
    response = route_post(
        lab, f"iris-model-route-disabled.{APPS}", "/v2/models/iris-model/infer", SEED_REQUEST
    )
    assert response.status_code == 503


def test_version_folder_missing_answers_404_from_ovms(lab, admin_client) -> None:
    token = model_token(admin_client, "no-version-folder", "iris-sa")
    response = route_post(
        lab, f"iris-no-version-folder.{APPS}", "/v2/models/iris/infer", SEED_REQUEST, token
    )
    assert response.status_code == 404
    assert response.json() == {"error": "Model with requested version is not found"}


def isvc(admin_client, namespace: str, name: str) -> dict:
    return client.CustomObjectsApi(admin_client).get_namespaced_custom_object(
        "serving.kserve.io", "v1beta1", namespace, "inferenceservices", name
    )


FAILURES = {
    ("wrong-path", "fraud"): "No model found in fraud-model",
    ("bucket-root", "fraud-detection"): "no such file or directory",
    # botocore turns a 200 it cannot parse into a retried 500: that is what the runtime logs
    ("console-endpoint", "iris"): "Internal Server Error",
    ("wrong-secret", "iris-model"): "SignatureDoesNotMatch",
    ("bucket-typo", "iris"): "NoSuchBucket",
    ("no-scheme", "iris"): "Invalid endpoint",
    ("opset-too-new", "iris"): "23",
    ("pickle-model", "purchase-amount"): "mymodel.pkl",
}


@pytest.mark.parametrize(("namespace", "name"), sorted(FAILURES))
def test_broken_scenarios_show_what_the_lab_observed(admin_client, namespace, name) -> None:
    status = isvc(admin_client, namespace, name)["status"]["modelStatus"]
    assert "FailedToLoad" in status["states"].values()
    assert FAILURES[(namespace, name)] in status["lastFailureInfo"]["message"]


def test_the_console_endpoint_really_is_an_html_page(admin_client) -> None:
    endpoint = secret_value(
        admin_client, "console-endpoint", "aws-connection-models", "AWS_S3_ENDPOINT"
    )
    response = httpx.get(endpoint + "/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")


def test_pod_faults(admin_client) -> None:
    core = client.CoreV1Api(admin_client)
    pending = core.list_namespaced_pod("unschedulable").items[0]
    assert pending.status.phase == "Pending"
    assert pending.status.conditions[0].reason == "Unschedulable"
    crashing = core.list_namespaced_pod("oom-crashloop").items[0]
    main = next(c for c in crashing.status.container_statuses if c.name == "kserve-container")
    assert main.state.waiting.reason == "CrashLoopBackOff"
    assert main.last_state.terminated.reason == "OOMKilled"
    assert main.last_state.terminated.exit_code == 137


def test_healthy_scenarios_are_loaded(admin_client) -> None:
    for namespace, name in (("iris-project", "iris-model"), ("pricing-project", "pricing")):
        states = isvc(admin_client, namespace, name)["status"]["modelStatus"]["states"]
        assert states["activeModelState"] == "Loaded", json.dumps(states)


def test_a_big_model_reads_back_whole_and_by_range_as_uploaded(admin_client) -> None:
    """The 40 MB many-weights model is held without moto's copy per read (lab/s3_backend.py):
    whole, by range, by suffix and past its end, S3 answers as for any object."""
    import hashlib

    from lab.models_model_dir import build_many_weights

    uploaded = build_many_weights()
    s3, bucket = connection_s3(admin_client, "md-many-weights")
    key = "many/1/model.onnx"
    head = s3.head_object(Bucket=bucket, Key=key)
    assert head["ContentLength"] == len(uploaded)
    assert head["ETag"].strip('"') == hashlib.md5(uploaded).hexdigest()
    assert s3.get_object(Bucket=bucket, Key=key)["Body"].read() == uploaded
    for first, last in ((0, 99), (123_456, 200_000), (len(uploaded) - 10, len(uploaded) + 50)):
        answer = s3.get_object(Bucket=bucket, Key=key, Range=f"bytes={first}-{last}")
        assert answer["Body"].read() == uploaded[first : last + 1]
    suffix = s3.get_object(Bucket=bucket, Key=key, Range="bytes=-64")["Body"].read()
    assert suffix == uploaded[-64:]
    with pytest.raises(ClientError) as raised:
        s3.get_object(Bucket=bucket, Key=key, Range=f"bytes={len(uploaded)}-")
    assert raised.value.response["Error"]["Code"] == "InvalidRange"
    # read again whole after the ranges: nothing consumed or cut
    assert s3.get_object(Bucket=bucket, Key=key)["Body"].read() == uploaded
