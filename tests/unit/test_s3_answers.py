"""What S3 refuses, read as the data-connection checks read it: each refusal named for a person,
with the kinds and words boto3's error codes map to (tests/core/test_s3_boto.py reads the same
refusals from moto's server)."""

from __future__ import annotations

import pytest

from checks.storage.s3 import S3Target
from checks.storage.s3_errors import classify_answer

TARGET = S3Target("https://s3.us-east-1.amazonaws.com", "models", "us-east-1", "AK", "SK")


@pytest.mark.parametrize(
    ("code", "status", "region", "kind", "words"),
    [
        ("SignatureDoesNotMatch", 403, "", "bad-credentials", "secret access key does not match"),
        ("InvalidAccessKeyId", 403, "", "bad-credentials", "access key id is unknown"),
        ("NoSuchBucket", 404, "", "no-such-bucket", 'bucket "models" does not exist'),
        ("404", 404, "", "no-such-bucket", "(NoSuchBucket)"),
        ("AccessDenied", 403, "", "access-denied", 'denied access to bucket "models"'),
        ("NoSuchKey", 404, "", "no-such-key", "no such key"),
        ("AuthorizationHeaderMalformed", 400, "eu-west-1", "http", "is in region eu-west-1"),
        ("PermanentRedirect", 301, "eu-west-1", "http", "AWS_DEFAULT_REGION"),
        ("500", 500, "", "not-s3", "HTTP 500 without an S3 error document"),
        ("401", 401, "", "http", "HTTP 401 without an S3 error document"),
        ("SlowDown", 503, "", "http", "S3 error SlowDown: please slow down"),
    ],
)
def test_refusals_are_named_for_a_person(
    code: str, status: int, region: str, kind: str, words: str
) -> None:
    error = classify_answer(TARGET, code, status, "please slow down", region)
    assert error.kind == kind
    assert words in str(error)


def test_a_missing_object_is_no_such_key_not_a_missing_bucket() -> None:
    """A HEAD answers 404 with no body: for an object that means the key, not the bucket."""
    error = classify_answer(TARGET, "404", 404, "Not Found", key="iris/model.onnx")
    assert error.kind == "no-such-key"
    assert str(error) == 'no such key "iris/model.onnx" in bucket "models" (NoSuchKey)'
