"""What S3 answers, read as the data-connection checks read it: a listing page (keys URL-encoded
as asked), an error document, and the refusals named for a person — the same kinds and words
whichever S3 client sent the request."""

from __future__ import annotations

import pytest

from checks.storage.s3 import S3Target
from checks.storage.s3_errors import classify_answer
from checks.storage.s3_xml import error_fields, listing_page

TARGET = S3Target("https://s3.us-east-1.amazonaws.com", "models", "us-east-1", "AK", "SK")
PAGE = b"""<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Name>models</Name><Prefix>iris%20v2/</Prefix><KeyCount>2</KeyCount><MaxKeys>2</MaxKeys>
  <EncodingType>url</EncodingType><IsTruncated>true</IsTruncated>
  <Contents><Key>iris%20v2/1/model+%C3%BC.onnx</Key><Size>689</Size></Contents>
  <CommonPrefixes><Prefix>iris%20v2/2/</Prefix></CommonPrefixes>
  <NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</NextContinuationToken>
</ListBucketResult>"""


def test_a_listing_page_is_decoded_as_it_was_asked() -> None:
    page = listing_page(PAGE)
    assert page == {
        "contents": [("iris v2/1/model ü.onnx", 689)],
        "prefixes": ["iris v2/2/"],
        "truncated": True,
        "token": "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=",
    }
    assert listing_page(b'{"kind": "List"}') is None
    assert listing_page(b"<Error><Code>NoSuchBucket</Code></Error>") is None


def test_an_error_document_gives_its_code_message_and_region() -> None:
    body = (
        b"<Error><Code>AuthorizationHeaderMalformed</Code><Message>the region 'us-east-1' is "
        b"wrong; expecting 'eu-west-1'</Message><Region>eu-west-1</Region></Error>"
    )
    assert error_fields(body) == (
        "AuthorizationHeaderMalformed",
        "the region 'us-east-1' is wrong; expecting 'eu-west-1'",
        "eu-west-1",
    )
    assert error_fields(b"500 Internal Server Error\n") == ("", "", "")
    assert error_fields(b"<html><title>x</title></html>") == ("", "", "")


@pytest.mark.parametrize(
    ("code", "status", "region", "kind", "words"),
    [
        ("SignatureDoesNotMatch", 403, "", "bad-credentials", "secret access key does not match"),
        ("InvalidAccessKeyId", 403, "", "bad-credentials", "access key id is unknown"),
        ("NoSuchBucket", 404, "", "no-such-bucket", 'bucket "models" does not exist'),
        ("404", 404, "", "no-such-bucket", "(NoSuchBucket)"),
        ("AccessDenied", 403, "", "access-denied", 'denied access to bucket "models"'),
        ("NoSuchKey", 404, "", "no-such-key", "no such object"),
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
