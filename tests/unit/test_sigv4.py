"""SigV4 signing against AWS's published example values (S3 developer guide: "Examples of
signature calculations"; general reference: deriving the signing key). No network."""

from __future__ import annotations

from datetime import UTC, datetime

from checks.storage.sigv4 import (
    EMPTY_SHA256,
    canonical_query,
    signed_headers,
    signing_key,
    uri_encode,
)

KEY_ID = "AKIAIOSFODNN7EXAMPLE"
SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
WHEN = datetime(2013, 5, 24, tzinfo=UTC)
HOST = {"Host": "examplebucket.s3.amazonaws.com"}


def _signature(path: str, query: str, headers: dict[str, str]) -> str:
    signed = signed_headers(
        "GET",
        path,
        query,
        headers,
        access_key=KEY_ID,
        secret_key=SECRET,
        region="us-east-1",
        when=WHEN,
    )
    assert signed["x-amz-content-sha256"] == EMPTY_SHA256
    assert signed["x-amz-date"] == "20130524T000000Z"
    credential, names, signature = signed["Authorization"].split(", ")
    assert credential == f"AWS4-HMAC-SHA256 Credential={KEY_ID}/20130524/us-east-1/s3/aws4_request"
    return f"{names}|{signature.removeprefix('Signature=')}"


def test_the_signing_key_of_the_published_example() -> None:
    key = signing_key("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20120215", "us-east-1", "iam")
    assert key.hex() == "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d"


def test_a_ranged_get_object_signs_as_published() -> None:
    got = _signature("/test.txt", "", {**HOST, "Range": "bytes=0-9"})
    assert got == (
        "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date|"
        "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"
    )


def test_a_listing_signs_as_published() -> None:
    query = canonical_query([("prefix", "J"), ("max-keys", "2")])
    assert query == "max-keys=2&prefix=J"
    got = _signature("/", query, HOST)
    assert got == (
        "SignedHeaders=host;x-amz-content-sha256;x-amz-date|"
        "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7"
    )


def test_uri_encoding_keeps_only_unreserved_characters() -> None:
    assert uri_encode("a b+c/d~e_f.g-h") == "a%20b%2Bc%2Fd~e_f.g-h"
    assert uri_encode("models/ü 1.onnx", keep_slash=True) == "models/%C3%BC%201.onnx"
    assert canonical_query([("b", ""), ("a", "x=y")]) == "a=x%3Dy&b="
