"""Secret values a capture kept only the length of (oc adm inspect's "<N> bytes long", read as
`resources.elided_marker`): the checks never judge the marker as if it were the value (no
"no scheme", no "credentials for no registry", no "empty key"); they say "not in the capture"."""

from __future__ import annotations

import base64

from checks import resources
from checks.capture.must_gather import PUBLIC_KEYS, unelided
from checks.catalog.data_connection import DataConnectionCheck
from checks.engine.runner import Status
from tests.helpers import judge, recorded_raw


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def elide_all(raw: dict) -> dict:
    """Every secret value as a must-gather holds it."""
    for item in raw["secrets"]:
        data = item.get("data") or {}
        item["data"] = {
            k: unelided(k, b64(f"{len(base64.b64decode(v))} bytes long")) for k, v in data.items()
        }
    return raw


def test_oc_elision_becomes_a_marker_and_zero_bytes_stay_empty() -> None:
    assert unelided("AWS_S3_BUCKET", b64("0 bytes long")) == ""
    marker = base64.b64decode(unelided("AWS_SECRET_ACCESS_KEY", b64("40 bytes long"))).decode()
    assert resources.elided(marker) and "40 bytes" in marker
    assert unelided("ca.crt", b64("12 bytes long")) == b64("12 bytes long")  # oc keeps these
    assert "ca.crt" in PUBLIC_KEYS
    assert unelided("token", b64("a real value")) == b64("a real value")


def test_an_elided_uri_is_not_in_the_capture_not_a_uri_without_scheme() -> None:
    raw = elide_all(recorded_raw("conn-uri-dns"))
    raw["inferenceservices"][0]["spec"]["predictor"]["model"].pop("storageUri", None)
    outcome = judge(DataConnectionCheck(), "conn-uri-dns", "granite", raw=raw)
    assert outcome.status == Status.SKIP, outcome
    assert "not in the capture" in outcome.summary and "scheme" not in outcome.summary


def test_an_elided_pull_secret_is_not_in_the_capture_not_credentials_for_no_registry() -> None:
    raw = elide_all(recorded_raw("conn-oci-auth"))
    outcome = judge(DataConnectionCheck(), "conn-oci-auth", "iris", raw=raw)
    assert outcome.status == Status.SKIP, outcome
    assert "pull secret" in outcome.summary and "not in the capture" in outcome.summary


def test_elided_s3_keys_are_present_and_the_bucket_is_not_in_the_capture() -> None:
    raw = elide_all(recorded_raw("std-healthy"))
    outcome = judge(DataConnectionCheck(), "std-healthy", "iris", raw=raw)
    assert outcome.status == Status.SKIP, outcome
    assert outcome.summary == "blocked: bucket: not in the capture"
