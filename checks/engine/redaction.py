"""Secrets never reach a face: every secret value a run could have seen (the data connections'
keys, token secrets, the user's own token, --token) is blanked in the Report where the session
makes it, before any renderer or widget sees a word of it."""

from __future__ import annotations

import base64
import functools
import json
import re
import shlex
from collections.abc import Iterable
from dataclasses import replace
from urllib.parse import quote, quote_plus

from checks.cluster.connect import ClusterConfig
from checks.cluster.snapshot import Snapshot
from checks.engine.context import CheckContext
from checks.engine.runner import Report, Result
from checks.options import SessionOptions
from checks.text import visible

MASK = "••••••••"
JWT = re.compile(r"eyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]{8,}")
OPENSHIFT_TOKEN = re.compile(r"sha256~[\w-]{20,}")


SHORT = 8  # values shorter than this are masked only where they stand alone (not inside words)


class Redactor:
    """Replaces known secret values, JWTs and OpenShift tokens with a mask.

    A value is looked for as it is and without surrounding whitespace (a token stored with a
    trailing newline is quoted without it). Values of 8 characters or more are masked wherever
    they appear; shorter ones (3 or more) only where they stand alone, so a 4-letter key does
    not blank every word that contains it."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        values = {v for s in secrets if s for v in variants(s)}
        self._secrets = sorted((v for v in values if len(v) >= SHORT), key=len, reverse=True)
        short = sorted((v for v in values if 3 <= len(v) < SHORT), key=len, reverse=True)
        self._short = (
            re.compile("|".join(rf"(?<!\w){re.escape(v)}(?!\w)" for v in short)) if short else None
        )

    def __call__(self, text: str) -> str:
        for value in self._secrets:
            text = text.replace(value, MASK)
        if self._short is not None:
            text = self._short.sub(MASK, text)
        text = JWT.sub("<token redacted>", text)
        return OPENSHIFT_TOKEN.sub("<token redacted>", text)


def variants(secret: str) -> set[str]:
    """Every form a secret is quoted in (issue 22, M5): as stored and stripped; as `visible`
    shows it; JSON-, Python-, shell- and URL-quoted; and, when whitespace or a newline sits
    inside it, each part long enough to mask on its own (an error that quotes half still leaks
    a signature)."""
    forms = {secret, secret.strip()}
    forms |= {p for p in re.split(r"\s+", secret.strip()) if len(p) >= SHORT}
    out = set()
    for form in forms:
        escaped = json.dumps(form)[1:-1]  # and once more: a JSON answer printed inside JSON
        out |= {form, visible(form), escaped, json.dumps(escaped)[1:-1], repr(form)[1:-1]}
        out |= {
            repr(form.encode())[2:-1],
            shlex.quote(form),
            quote(form, safe=""),
            quote_plus(form),
        }
    return {v for v in out if v.strip()}


NOT_SECRET_KEYS = frozenset(
    {
        "namespace",
        "ca.crt",
        "service-ca.crt",
        "AWS_S3_ENDPOINT",
        "AWS_DEFAULT_REGION",
        "AWS_S3_BUCKET",
        "OCI_HOST",  # an OCI connection's registry host and access type: names, not secrets
        "ACCESS_TYPE",
    }
)
URI_KEYS = frozenset({"URI", "https-host"})  # only a URI's query (a signed URL's) is secret


def decoded_values(raw: dict) -> list[str]:
    out = []
    for key, value in (raw.get("data") or {}).items():
        if key in NOT_SECRET_KEYS:
            continue
        try:
            text = base64.b64decode(value or "").decode("utf-8", "replace")
        except ValueError:
            continue
        if key in URI_KEYS and "://" in text:
            text = text.partition("?")[2].partition("#")[0]
        if text.strip():
            out.append(text)
    return out


def redactor_for(snapshot: Snapshot, options: SessionOptions, cluster: ClusterConfig) -> Redactor:
    """Every secret value this run could have seen."""
    values = [options.model_token or "", cluster.token or ""]
    for connection in snapshot.connections:
        values += [connection.secret_access_key, connection.access_key_id]
    for raw in snapshot.raw.get("secrets") or []:
        values += decoded_values(raw)
    return _redactor(tuple(values))


@functools.lru_cache(maxsize=64)  # a project's deployments: one set of secrets, built once
def _redactor(values: tuple[str, ...]) -> Redactor:
    return Redactor(values)


def request_redactor(ctx: CheckContext, token: str | None) -> Redactor:
    """For what a model request prints or keeps: its token, yours, and the project's tokens."""
    values = [token or "", ctx.options.model_token or "", ctx.cluster.token or ""]
    return Redactor(values + [t.token for t in ctx.snapshot.tokens])


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
        {
            key: visible(redact(value)) if isinstance(value, str) else value
            for key, value in report.target.items()
        },
        [redact_result(result, redact) for result in report.results],
        source=visible(redact(report.source)),
    )
