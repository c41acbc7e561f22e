"""What a capture stores and reads back: fact values as the checks' own types (errors too), and
secret markers that keep what a diagnosis reads (length, first/last character class)."""

from __future__ import annotations

import base64
import json

import pytest

from checks.capture import facts_codec
from checks.capture.secrets import marker, redact_secret, restore_secret, stand_in
from checks.endpoints.probe import HttpAnswer, ProbeResult
from checks.errors import DoctorError, KubeError, Unmet
from checks.storage.s3 import Listing, ObjectInfo, StorageError


def round_trip(value):
    return facts_codec.decode(json.loads(json.dumps(facts_codec.encode(value))))


def test_fact_values_come_back_as_the_same_types() -> None:
    found = Listing("iris/", (ObjectInfo("iris/model.onnx", 1234),), ("iris/1/",), False)
    probe = ProbeResult(
        "https://x/v2", None, "200", ("dns ok", "tcp ok"), HttpAnswer(200, "model server", "ok")
    )
    for value in (found, probe, ("", ["fraud/"]), b"\x80\x04PK", None, {"$t": "mine"}, [1, "a"]):
        assert round_trip(value) == value


def test_recorded_errors_keep_class_kind_words_and_attributes() -> None:
    for error in (
        StorageError("no-such-bucket", "bucket x does not exist", code="NoSuchBucket"),
        KubeError("unauthorized", "401 Unauthorized", status=401),
        Unmet("secrets are not readable"),
    ):
        back = round_trip(error)
        assert type(back) is type(error) and back.kind == error.kind
        assert str(back) == str(error) and vars(back) == vars(error)


def test_a_bundle_cannot_name_code_outside_ours() -> None:
    hostile = {"$t": "obj", "cls": "os.system", "f": {}}
    with pytest.raises(DoctorError, match="not one of rhoai-doctor's types"):
        facts_codec.decode(hostile)
    odd = facts_codec.decode(
        {"$t": "error", "cls": "builtins.OSError", "kind": "x", "message": "m"}
    )
    assert isinstance(odd, DoctorError) and str(odd) == "m"


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("", "len=0 first=none last=none"),
        ("AKIAEXAMPLE ", "len=12 first=alnum last=space"),
        ("s3cr3t\n", "len=7 first=alnum last=newline"),
    ],
)
def test_markers_keep_length_and_character_classes(value: str, words: str) -> None:
    shown = marker(value)
    assert shown == f"<redacted {words}>"
    twin = stand_in(shown)  # what the checks read offline: same length, same trailing space
    assert len(twin) == len(value)
    assert twin[-1:].isspace() == value[-1:].isspace()
    assert twin != value or not value


def test_a_secret_is_redacted_keeping_keys_and_names_and_read_back_with_stand_ins() -> None:
    def b64(text: str) -> str:
        return base64.b64encode(text.encode()).decode()

    raw = {
        "metadata": {
            "name": "aws-connection-models",
            "annotations": {"kubectl.kubernetes.io/last-applied-configuration": "{secret}"},
        },
        "data": {
            "AWS_ACCESS_KEY_ID": b64("AKIAREALKEY123"),
            "AWS_SECRET_ACCESS_KEY": b64("very-secret-value "),
            "AWS_S3_BUCKET": b64("models"),
            "URI": b64("https://host/model.bin?X-Amz-Signature=abc123"),
        },
        "stringData": {"token": "plain-token"},
    }
    redacted = redact_secret(raw)
    text = json.dumps(redacted)
    for secret in ("AKIAREALKEY123", "very-secret-value", "abc123", "plain-token", "{secret}"):
        assert secret not in text and b64(secret) not in text
    data = {k: base64.b64decode(v).decode() for k, v in redacted["data"].items()}
    assert data["AWS_S3_BUCKET"] == "models"
    assert data["URI"].startswith("https://host/model.bin?<redacted len=")
    assert data["AWS_SECRET_ACCESS_KEY"] == "<redacted len=18 first=alnum last=space>"
    back = restore_secret(redacted)
    key = base64.b64decode(back["data"]["AWS_SECRET_ACCESS_KEY"]).decode()
    assert len(key) == 18 and key.endswith(" ") and key != "very-secret-value "
