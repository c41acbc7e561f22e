"""Secrets that are hard to find once escaped: a quote, a backslash, `&<|`, a control character,
a trailing newline, a short value. Planted in a project's data connection and token secret,
quoted back by a server's error and an event, they reach no rendering of the report — not as
they are, not JSON-, XML- or Markdown-escaped, not made visible."""

from __future__ import annotations

import asyncio
import base64
import html
import json
from datetime import UTC, datetime

import pytest

from checks.capture.offline import diagnose_offline, offline_context
from checks.cluster.connect import ClusterConfig
from checks.engine.redaction import redact_report, redactor_for
from checks.engine.report import RENDERERS
from checks.options import SessionOptions
from checks.storage.s3 import StorageError
from checks.text import visible
from tests.helpers import recorded_raw, recorded_snapshot

SECRET_KEY = 'q"uo\\te&<|>\x1b[31mKEY'
ACCESS_KEY = "AK|<&"  # short: masked where it stands alone
TOKEN = "sha-like-token-with-newline\n"
PLANTED = (SECRET_KEY, ACCESS_KEY, TOKEN.strip())


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def planted_project() -> dict:
    raw = recorded_raw("wrong-secret")
    for secret in raw["secrets"]:
        data = secret.get("data") or {}
        if "AWS_SECRET_ACCESS_KEY" in data:
            data["AWS_SECRET_ACCESS_KEY"] = b64(SECRET_KEY)
            data["AWS_ACCESS_KEY_ID"] = b64(ACCESS_KEY)
        if "token" in data:
            data["token"] = b64(TOKEN)
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    for event in raw["events"]:
        event["message"] = f"proxy said: Authorization: Bearer {TOKEN.strip()} rejected"
        event["type"], event["lastTimestamp"] = "Warning", now
    return raw


def forms(value: str) -> set[str]:
    """The value, and how each renderer could have escaped it."""
    return {
        value,
        json.dumps(value)[1:-1],
        html.escape(value),
        html.escape(value, quote=False),
        visible(value),
        value.replace("|", "\\|"),
    }


@pytest.mark.parametrize("output", sorted(RENDERERS))
def test_planted_secrets_reach_no_rendering(output: str) -> None:
    snapshot = recorded_snapshot("wrong-secret", planted_project())
    echoed = StorageError(
        "bad-credentials",
        f"S3 rejected key {ACCESS_KEY} with secret {SECRET_KEY} (SignatureDoesNotMatch)",
    )
    ctx = offline_context(snapshot, "iris-model", {"bucket": echoed})
    report = asyncio.run(diagnose_offline(ctx))
    cluster = ClusterConfig(server="https://api.example:6443", namespace="wrong-secret")
    redacted = redact_report(report, redactor_for(snapshot, SessionOptions(), cluster))
    rendered = RENDERERS[output](redacted)
    assert "••••••••" in rendered  # the echoes were there, masked
    for value in PLANTED:
        for form in forms(value):
            assert form not in rendered, (output, form)
