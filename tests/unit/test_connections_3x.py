"""RHOAI 3.x connections on recorded lab objects: S3 / URI / OCI told apart by their annotations,
the `opendatahub.io/connections` reference judged as the webhook judges it, the pull secret's
registry against the image's, modelcar-init's NOK line, and an empty path never judging another
model's file. Network answers are given as recorded facts."""

from __future__ import annotations

import base64
import json

import pytest

from checks import resources
from checks.catalog.bucket_path import BucketPath
from checks.catalog.data_connection import DataConnectionCheck
from checks.catalog.model_format import ModelFormat
from checks.catalog.runtime_pods import RuntimePods
from checks.endpoints.probe import HttpAnswer, ProbeResult
from checks.engine.runner import Status
from checks.storage.landing import Platform, land
from checks.storage.oci_registry import ImageRef, RegistryAnswer, auth_for
from tests.helpers import judge, listing, recorded_raw

URI = ("conn-uri-dns", "granite")
OCI = ("conn-oci-auth", "iris")
ROOT = ("conn-bucket-root", "fraud")


def secret(raw: dict, name: str) -> dict:
    return next(s for s in raw["secrets"] if s["metadata"]["name"] == name)


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


# -- which kind of connection ---------------------------------------------------------------
@pytest.mark.parametrize(
    ("project", "name", "label"),
    [
        ("conn-uri-dns", "granite-uri", "URI"),
        ("conn-oci-auth", "iris-oci", "OCI"),
        ("conn-bucket-root", "models-bucket", "S3"),
        ("iris-project", "aws-connection-models", "S3"),  # 2.x: legacy annotation only
    ],
)
def test_each_connection_is_recognised_by_its_annotations(project, name, label) -> None:
    raw = secret(recorded_raw(project), name)
    assert resources.DataConnection.is_connection(raw)
    assert resources.DataConnection.parse(raw).kind_label == label


@pytest.mark.parametrize(
    ("annotations", "protocol"),
    [
        ({"opendatahub.io/connection-type-ref": "uri-v1"}, "uri"),
        ({"opendatahub.io/connection-type-ref": "oci-v1"}, "oci"),
        ({"opendatahub.io/connection-type": "s3"}, "s3"),
        ({"opendatahub.io/connection-type-protocol": "GCS"}, "gcs"),
    ],
)
def test_the_protocol_comes_from_the_annotation_the_webhook_reads(annotations, protocol) -> None:
    raw = secret(recorded_raw("conn-uri-dns"), "granite-uri")
    raw["metadata"]["annotations"] = annotations
    assert resources.DataConnection.parse(raw).protocol == protocol


# -- the opendatahub.io/connections reference -----------------------------------------------
def test_a_reference_to_a_missing_secret_is_worded_as_the_webhook_rejects_it() -> None:
    raw = recorded_raw("conn-uri-dns")
    raw["inferenceservices"][0]["metadata"]["annotations"]["opendatahub.io/connections"] = "nope"
    outcome = judge(DataConnectionCheck(), *URI, raw=raw)
    assert outcome.status == Status.FAIL
    assert outcome.summary == (
        'connection "nope" referenced by annotation "opendatahub.io/connections" not found in '
        'namespace "conn-uri-dns"'
    )


def test_a_connection_without_the_protocol_annotation_is_named() -> None:
    raw = recorded_raw("conn-bucket-root")
    secret(raw, "models-bucket")["metadata"]["annotations"] = {
        "opendatahub.io/connection-type": "s3"
    }
    outcome = judge(DataConnectionCheck(), *ROOT, raw=raw)
    assert outcome.status == Status.FAIL
    assert 'must have a "opendatahub.io/connection-type-protocol" annotation' in outcome.summary
    assert "oc annotate secret models-bucket" in outcome.remediation


def test_an_unsupported_connection_type_lists_the_supported_ones() -> None:
    raw = recorded_raw("conn-uri-dns")
    annotations = secret(raw, "granite-uri")["metadata"]["annotations"]
    annotations["opendatahub.io/connection-type-protocol"] = "gcs"
    outcome = judge(DataConnectionCheck(), *URI, raw=raw)
    assert outcome.status == Status.FAIL
    assert 'unsupported connection type "gcs"; supported types are s3, uri, oci' in outcome.summary


def test_a_uri_connection_without_its_key_is_named() -> None:
    raw = recorded_raw("conn-uri-dns")
    secret(raw, "granite-uri")["data"] = {}
    outcome = judge(DataConnectionCheck(), *URI, raw=raw)
    assert outcome.status == Status.FAIL
    assert "does not contain 'https-host' or 'URI' data key" in outcome.summary


def test_an_s3_connection_without_a_bucket_is_named() -> None:
    raw = recorded_raw("conn-bucket-root")
    del secret(raw, "models-bucket")["data"]["AWS_S3_BUCKET"]
    outcome = judge(DataConnectionCheck(), *ROOT, raw=raw)
    assert outcome.status == Status.FAIL and "has no AWS_S3_BUCKET" in outcome.summary


def test_s3_credentials_come_from_the_service_account_without_storage_parameters() -> None:
    outcome = judge(DataConnectionCheck(), *ROOT, {"bucket": None})
    assert outcome.status == Status.PASS
    assert (
        "credentials: from service account models-bucket-sa (its secrets), not storage-config"
        in outcome.evidence
    )


# -- URI ------------------------------------------------------------------------------------
def probe_result(step: str | None, message: str, status: int = 0) -> ProbeResult:
    answer = HttpAnswer(status, "unknown", "") if status else None
    return ProbeResult("u", step, message, ("DNS: x",) if step != "dns" else (), answer)


def test_a_uri_whose_host_does_not_resolve_fails_naming_the_host() -> None:
    facts = {"uri-probe": probe_result("dns", "cannot resolve models.example.invalid")}
    outcome = judge(DataConnectionCheck(), *URI, facts)
    assert outcome.status == Status.FAIL
    assert outcome.summary.startswith(
        "the URI's host models.example.invalid does not resolve from here"
    )


def test_a_cluster_internal_uri_host_is_not_judged_from_outside() -> None:
    raw = recorded_raw("conn-uri-dns")
    raw["inferenceservices"][0]["spec"]["predictor"]["model"]["storageUri"] = (
        "http://models.minio.svc:9000/granite.tar"
    )
    facts = {"uri-probe": probe_result("dns", "cannot resolve models.minio.svc")}
    outcome = judge(DataConnectionCheck(), *URI, facts, raw=raw)
    assert outcome.status == Status.ERROR and "cluster-internal" in outcome.summary


@pytest.mark.parametrize(("status", "verdict"), [(200, Status.PASS), (404, Status.FAIL)])
def test_the_uri_servers_answer_decides(status: int, verdict: Status) -> None:
    outcome = judge(DataConnectionCheck(), *URI, {"uri-probe": probe_result(None, "ok", status)})
    assert outcome.status == verdict
    assert f"HTTP {status}" in outcome.summary


# -- OCI --------------------------------------------------------------------------------------
def oci_raw(hosts: list[str]) -> dict:
    raw = recorded_raw("conn-oci-auth")
    config = {"auths": {h: {"auth": b64("puller:pw")} for h in hosts}}
    secret(raw, "iris-oci")["data"][".dockerconfigjson"] = b64(json.dumps(config))
    return raw


def registry_host() -> str:
    uri = recorded_raw("conn-oci-auth")["inferenceservices"][0]["spec"]["predictor"]["model"]
    return uri["storageUri"].removeprefix("oci://").split("/", 1)[0]


def test_a_pull_secret_for_another_registry_is_named() -> None:
    raw = oci_raw(["quay.io"])
    outcome = judge(DataConnectionCheck(), *OCI, raw=raw)
    assert outcome.status == Status.FAIL
    assert "holds credentials for quay.io" in outcome.summary
    assert "must match the connection's registry host" in outcome.summary


@pytest.mark.parametrize(
    ("kind", "summary", "verdict"),
    [
        ("unauthorized", "unauthorized: registry r rejects the pull secret's credentials", "fail"),
        ("manifest-unknown", "manifest unknown: modelcars/iris:1.0 does not exist", "fail"),
        ("ok", "r/modelcars/iris:1.0 exists and the credentials may pull it", "pass"),
        ("unreachable", "r did not answer", "error"),
    ],
)
def test_the_registrys_answer_decides(kind: str, summary: str, verdict: str) -> None:
    facts = {"registry": RegistryAnswer(401, summary, kind)}
    outcome = judge(DataConnectionCheck(), *OCI, facts, raw=oci_raw([registry_host()]))
    assert outcome.status == verdict
    assert summary in outcome.summary


def test_docker_config_hosts_are_read_bare_and_with_user_and_password() -> None:
    config = json.dumps(
        {
            "auths": {
                "https://quay.io/v1/": {"username": "u", "password": "p"},
                "registry.example.com:5000": {"auth": "eHk="},
            }
        }
    )
    auths = resources.registry_auths(config)
    assert auths == {"quay.io": b64("u:p"), "registry.example.com:5000": "eHk="}
    assert resources.registry_auths("{not json") == {}
    ref = ImageRef.parse("oci://quay.io/org/model:1.4")
    assert ref is not None and (ref.repository, ref.reference) == ("org/model", "1.4")
    assert auth_for(auths, ref) == b64("u:p")
    other = ImageRef.parse("oci://registry.example.com:5000/m@sha256:abc")
    assert other is not None and other.reference == "sha256:abc"
    assert auth_for(auths, other) == "eHk="
    assert ImageRef.parse("oci://quay.io") is None


def test_modelcar_init_nok_means_the_image_has_nothing_under_models() -> None:
    outcome = judge(RuntimePods(), "conn-oci-empty", "iris")
    assert outcome.status == Status.FAIL
    assert "has no files under /models" in outcome.summary
    assert "NOK ... Prefetched but modelcar is invalid" in outcome.summary


def test_a_modelcar_pull_failure_carries_the_registry_words() -> None:
    outcome = judge(RuntimePods(), *OCI)
    assert outcome.status == Status.WARN
    assert "ImagePullBackOff (registry: unauthorized: authentication required)" in outcome.summary


# -- the bucket root / an empty path ---------------------------------------------------------
def test_an_empty_path_with_two_models_at_the_root_names_both_and_the_ambiguity() -> None:
    facts = {"listing": listing(("fraud.onnx", 10), ("pricing.onnx", 10))}
    outcome = judge(BucketPath(), *ROOT, facts)
    assert outcome.status == Status.FAIL
    for words in ("the path is empty", "/mnt/models", "fraud.onnx, pricing.onnx", "ambiguous"):
        assert words in outcome.summary


def test_model_format_judges_no_file_when_the_root_is_ambiguous() -> None:
    facts = {"listing": listing(("fraud.onnx", 10), ("pricing.pkl", 10))}
    outcome = judge(ModelFormat(), *ROOT, facts)
    assert outcome.status == Status.SKIP
    assert "ambiguous" in outcome.summary and "pricing.pkl" in outcome.summary


def test_the_runtime_loads_the_root_version_folder_not_another_models_folder() -> None:
    def keys(*names: str) -> list[tuple[str, int]]:
        return [(n, 10) for n in sorted(names)]

    ovms = Platform("kserve", "ovms")
    chosen = land(keys("other/1/model.onnx", "1/model.onnx", "2/model.onnx", "README"), "", ovms)
    assert [f.key for f in chosen.loaded] == ["2/model.onnx"]
    assert chosen.onnx == "2/model.onnx"
    other = Platform("kserve", "other")
    ir = land(keys("model.xml", "model.bin"), "", other)
    assert ir.model_files == ("model.xml",) and not ir.ambiguous
    mesh = Platform("modelmesh", "ovms")
    assert land(keys("iris/rf_iris.onnx"), "iris", mesh).onnx == "iris/rf_iris.onnx"


def test_the_connection_path_annotation_is_the_path_when_spec_has_none() -> None:
    raw = recorded_raw("conn-bucket-root")
    isvc = raw["inferenceservices"][0]
    isvc["metadata"]["annotations"]["opendatahub.io/connection-path"] = "fraud"
    del isvc["spec"]["predictor"]["model"]["storage"]["path"]
    dep = resources.Deployment.parse(isvc)
    assert (dep.storage_path, dep.connection_name) == ("fraud", "models-bucket")
    isvc["spec"]["predictor"]["model"]["storage"]["path"] = "models/fraud"
    assert resources.Deployment.parse(isvc).storage_path == "models/fraud"  # spec wins


def test_an_s3_deployment_without_its_service_account_says_where_credentials_go_missing() -> None:
    raw = recorded_raw("conn-bucket-root")
    del raw["inferenceservices"][0]["spec"]["predictor"]["serviceAccountName"]
    outcome = judge(DataConnectionCheck(), *ROOT, {"bucket": None}, raw=raw)
    assert any("serviceAccountName is empty" in line for line in outcome.evidence)


@pytest.mark.parametrize(
    ("uri", "verdict", "words"),
    [
        ("models.example.com/granite.tar", Status.FAIL, "has no scheme"),
        ("hf://ibm-granite/granite-3.1-8b", Status.PASS, "not probed from here"),
    ],
)
def test_a_uri_is_probed_only_when_it_is_http(uri: str, verdict: Status, words: str) -> None:
    raw = recorded_raw("conn-uri-dns")
    raw["inferenceservices"][0]["spec"]["predictor"]["model"]["storageUri"] = uri
    outcome = judge(DataConnectionCheck(), *URI, raw=raw)
    assert outcome.status == verdict and words in outcome.summary


def test_the_registry_words_in_the_pull_message_itself_are_used() -> None:
    raw = recorded_raw("conn-oci-auth")
    raw["events"] = []
    pod = raw["pods"][0]
    pod["status"]["initContainerStatuses"][0]["state"] = {
        "waiting": {
            "reason": "ErrImagePull",
            "message": "rpc error: code = Unknown desc = reading manifest 9.9 in "
            "quay.io/org/iris: manifest unknown: manifest unknown",
        }
    }
    outcome = judge(RuntimePods(), *OCI, raw=raw)
    assert outcome.status == Status.WARN
    assert "ErrImagePull (registry: manifest unknown: manifest unknown)" in outcome.summary
