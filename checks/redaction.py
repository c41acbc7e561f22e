"""Secrets never reach a face: every secret value a run could have seen (the data connections'
keys, token secrets, the user's own token, --token) is blanked in the Report where the session
makes it, before any renderer or widget sees a word of it."""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable
from dataclasses import replace

from checks.connect import ClusterConfig
from checks.engine import Report, Result
from checks.options import SessionOptions
from checks.snapshot import Snapshot
from checks.text import visible

MASK = "••••••••"
JWT = re.compile(r"eyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]{8,}")
OPENSHIFT_TOKEN = re.compile(r"sha256~[\w-]{20,}")


class Redactor:
    """Replaces known secret values, JWTs and OpenShift tokens with a mask."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self._secrets = sorted({s for s in secrets if s and len(s) >= 4}, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for value in self._secrets:
            text = text.replace(value, MASK)
        text = JWT.sub("<token redacted>", text)
        return OPENSHIFT_TOKEN.sub("<token redacted>", text)


NOT_SECRET_KEYS = frozenset(
    {
        "namespace",
        "ca.crt",
        "service-ca.crt",
        "AWS_S3_ENDPOINT",
        "AWS_DEFAULT_REGION",
        "AWS_S3_BUCKET",
    }
)


def _decoded_values(raw: dict) -> list[str]:
    out = []
    for key, value in (raw.get("data") or {}).items():
        if key in NOT_SECRET_KEYS:
            continue
        try:
            text = base64.b64decode(value or "").decode("utf-8", "replace")
        except ValueError:
            continue
        if len(text) >= 8:
            out.append(text)
    return out


def redactor_for(snapshot: Snapshot, options: SessionOptions, cluster: ClusterConfig) -> Redactor:
    """Every secret value this run could have seen."""
    values = [options.model_token or "", cluster.token or ""]
    for connection in snapshot.connections:
        values += [connection.secret_access_key, connection.access_key_id]
    for raw in snapshot.raw.get("secrets") or []:
        values += _decoded_values(raw)
    return Redactor(values)


def redact_result(result: Result, redact: Redactor) -> Result:
    """Secrets blanked (on the text, before any escaping), then control characters made
    visible: a result can quote an event message or a server's answer."""
    return replace(
        result,
        summary=visible(redact(result.summary)),
        evidence=tuple(visible(redact(line)) for line in result.evidence),
        remediation=visible(redact(result.remediation)),
    )


def redact_report(report: Report, redact: Redactor) -> Report:
    return Report(
        {key: visible(redact(value)) for key, value in report.target.items()},
        [redact_result(result, redact) for result in report.results],
    )
