"""data-connection, bucket-path and model-format on recorded lab objects, with the S3 answers
given as recorded facts: every branch a user can meet, including ones no lab scenario reaches."""

from __future__ import annotations

import pytest

from checks.catalog.bucket_path import BucketPath
from checks.catalog.data_connection import DataConnectionCheck
from checks.catalog.model_format import ModelFormat
from checks.engine.runner import Status
from checks.model_files.onnx import OnnxSignatureError, read_signature
from checks.storage.s3 import StorageError
from tests.helpers import forest_model, judge, kmeans_model, listing, recorded_raw, two_input_model

IRIS = ("iris-project", "iris-model")
OK_BUCKET = {"bucket": None}


# -- data-connection --------------------------------------------------------------------------
def test_a_connection_s3_accepts_passes_naming_the_bucket() -> None:
    outcome = judge(DataConnectionCheck(), *IRIS, OK_BUCKET)
    assert outcome.status == Status.PASS
    assert "S3 accepts the credentials and bucket" in outcome.summary


@pytest.mark.parametrize(
    ("kind", "words"),
    [
        ("bad-credentials", "check for pasted spaces"),
        ("not-s3", "not the web console route"),
        ("no-such-bucket", "create the bucket"),
        ("access-denied", "s3:ListBucket"),
    ],
)
def test_each_refusal_from_s3_gets_its_own_fix(kind: str, words: str) -> None:
    facts = {"bucket": StorageError(kind, f"S3 said {kind}")}
    outcome = judge(DataConnectionCheck(), *IRIS, facts)
    assert (outcome.status, outcome.summary) == (Status.FAIL, f"S3 said {kind}")
    assert words in outcome.remediation


def test_an_unreachable_s3_is_an_error_not_a_verdict_on_the_connection() -> None:
    outcome = judge(DataConnectionCheck(), *IRIS, {"bucket": StorageError("dns", "no such host")})
    assert outcome.status == Status.ERROR
    assert outcome.summary == "could not reach S3 from here: no such host"


def test_a_connection_without_its_storage_config_entry_names_the_labels() -> None:
    raw = recorded_raw("iris-project")
    raw["secrets"] = [s for s in raw["secrets"] if s["metadata"]["name"] != "storage-config"]
    connection = next(s for s in raw["secrets"] if s["metadata"]["name"] == "aws-connection-models")
    connection["metadata"]["labels"] = {}
    outcome = judge(DataConnectionCheck(), *IRIS, OK_BUCKET, raw=raw)
    assert outcome.status == Status.FAIL
    assert 'storage-config has no entry "aws-connection-models"' in outcome.summary
    assert any("opendatahub.io/managed=true" in line for line in outcome.evidence)


def test_an_empty_key_is_named() -> None:
    raw = recorded_raw("iris-project")
    connection = next(s for s in raw["secrets"] if s["metadata"]["name"] == "aws-connection-models")
    connection["data"]["AWS_DEFAULT_REGION"] = ""
    outcome = judge(DataConnectionCheck(), *IRIS, OK_BUCKET, raw=raw)
    assert outcome.status == Status.FAIL
    assert "empty or missing keys: AWS_DEFAULT_REGION" in outcome.summary


def test_a_storage_key_naming_no_connection_lists_the_ones_there() -> None:
    raw = recorded_raw("iris-project")
    raw["inferenceservices"][0]["spec"]["predictor"]["model"]["storage"]["key"] = "nope"
    outcome = judge(DataConnectionCheck(), *IRIS, OK_BUCKET, raw=raw)
    assert outcome.status == Status.FAIL
    assert 'storage key "nope" names no data connection' in outcome.summary
    assert "aws-connection-models" in outcome.summary


def test_a_storage_uri_without_a_scheme_leaves_the_model_directory_empty() -> None:
    raw = recorded_raw("pricing-project")
    model = raw["inferenceservices"][0]["spec"]["predictor"]["model"]
    del model["storage"]
    model["storageUri"] = "models/pricing"
    outcome = judge(DataConnectionCheck(), "pricing-project", "pricing", raw=raw)
    assert outcome.status == Status.FAIL
    assert "has no scheme" in outcome.summary and "storage-initializer" in outcome.summary


def test_secrets_a_user_may_not_list_make_the_check_unable_to_judge() -> None:
    outcome = judge(DataConnectionCheck(), *IRIS, forbidden=("secrets",))
    assert outcome.status == Status.ERROR
    assert outcome.summary == "could not run: you cannot list secrets in iris-project: forbidden"


# -- bucket-path ------------------------------------------------------------------------------
def test_objects_under_the_path_pass() -> None:
    facts = {"listing": listing(("iris/rf_iris.onnx", 1234))}
    outcome = judge(BucketPath(), *IRIS, facts)
    assert outcome.status == Status.PASS
    assert outcome.summary.startswith("1 object(s) under s3://")
    assert outcome.summary.endswith("/iris; the runtime loads iris/rf_iris.onnx (version 1)")


def test_a_typo_in_the_path_names_the_nearest_existing_prefix() -> None:
    facts = {"listing": listing(), "nearest": ("", ["fraud/", "iris/"])}
    outcome = judge(BucketPath(), "wrong-path", "fraud", facts)
    assert outcome.status == Status.FAIL
    assert 'nothing under "fraud-model"' in outcome.summary
    assert 'the nearest existing prefix is "fraud/"' in outcome.summary


def test_a_model_uploaded_at_the_bucket_root_is_named() -> None:
    facts = {"listing": listing(), "nearest": ("", ["model.onnx"])}
    outcome = judge(BucketPath(), "bucket-root", "fraud-detection", facts)
    assert outcome.status == Status.FAIL
    assert "uploaded at the bucket root (model.onnx)" in outcome.summary


def test_an_empty_bucket_says_so() -> None:
    facts = {"listing": listing(), "nearest": ("", [])}
    outcome = judge(BucketPath(), "wrong-path", "fraud", facts)
    assert outcome.status == Status.FAIL and "is empty" in outcome.summary


def test_ovms_on_kserve_needs_a_numeric_version_folder() -> None:
    facts = {"listing": listing(("iris/model.onnx", 100))}
    outcome = judge(BucketPath(), "no-version-folder", "iris", facts)
    assert outcome.status == Status.FAIL
    assert "no numeric version folder" in outcome.summary
    assert "iris/1/model.onnx" in outcome.remediation


def test_a_view_only_user_is_blocked_with_the_reason() -> None:
    outcome = judge(BucketPath(), *IRIS, forbidden=("secrets",))
    assert outcome.status == Status.SKIP
    assert outcome.summary == "blocked: you cannot list secrets in iris-project: forbidden"


# -- model-format -----------------------------------------------------------------------------
def signature_of(model: bytes) -> tuple[str, object]:
    return "iris/model.onnx", read_signature(model)


def test_an_onnx_model_the_runtime_reads_passes() -> None:
    facts = {
        "listing": listing(("iris/model.onnx", 100)),
        "signature": signature_of(kmeans_model()),
    }
    outcome = judge(ModelFormat(), *IRIS, facts)
    assert outcome.status == Status.PASS
    assert outcome.summary.startswith("iris/model.onnx: ONNX")


@pytest.mark.parametrize(
    ("head", "words"),
    [
        (b"\x80\x04\x95", "a Python pickle"),
        (b"PK\x03\x04", "a zip archive"),
        (b"<html><body>", "an HTML or XML document"),
    ],
)
def test_a_file_that_is_not_onnx_is_named_for_what_it_is(head: bytes, words: str) -> None:
    facts = {"listing": listing(("iris/mymodel.pkl", 10)), "head:iris/mymodel.pkl": head}
    outcome = judge(ModelFormat(), *IRIS, facts)
    assert outcome.status == Status.FAIL
    assert f"iris/mymodel.pkl is {words}" in outcome.summary


def test_an_opset_newer_than_the_ovms_image_reads_fails_with_the_limit() -> None:
    facts = {
        "listing": listing(("iris/model.onnx", 100)),
        "signature": signature_of(two_input_model(opset=23, ir_version=10)),
    }
    outcome = judge(ModelFormat(), *IRIS, facts)
    assert outcome.status == Status.FAIL
    assert "opset 23 is newer than the runtime reads" in outcome.summary
    assert "<= 22" in outcome.summary


def test_ai_onnx_ml_operators_cannot_run_on_ovms() -> None:
    facts = {
        "listing": listing(("iris/model.onnx", 100)),
        "signature": signature_of(forest_model()),
    }
    outcome = judge(ModelFormat(), *IRIS, facts)
    assert outcome.status == Status.FAIL and "ai.onnx.ml" in outcome.summary


def test_a_damaged_file_does_not_parse() -> None:
    facts = {
        "listing": listing(("iris/model.onnx", 100)),
        "signature": OnnxSignatureError("truncated ONNX model: the file ends early", "truncated"),
    }
    outcome = judge(ModelFormat(), *IRIS, facts)
    assert outcome.status == Status.FAIL
    assert "does not parse as ONNX: truncated ONNX model" in outcome.summary


def test_other_formats_are_not_inspected() -> None:
    raw = recorded_raw("iris-project")
    raw["inferenceservices"][0]["spec"]["predictor"]["model"]["modelFormat"]["name"] = "sklearn"
    outcome = judge(ModelFormat(), *IRIS, raw=raw)
    assert outcome.status == Status.SKIP and "only ONNX models are inspected" in outcome.summary


def test_a_single_archive_is_unpacked_not_judged_as_a_file() -> None:
    """KServe's initializer unpacks one downloaded .tar/.zip: the archive is not the model file."""
    facts = {"listing": listing(("pricing/model.tar.gz", 4096), prefix="pricing")}
    outcome = judge(ModelFormat(), "pricing-project", "pricing", facts=facts)
    assert outcome.status == Status.SKIP, outcome
    assert (
        "one archive, pricing/model.tar.gz, which the storage initializer unpacks"
        in outcome.summary
    )
    bucket = judge(BucketPath(), "pricing-project", "pricing", facts=facts)
    assert bucket.status == Status.PASS, bucket
    assert any("unpacked into /mnt/models" in line for line in bucket.evidence)
