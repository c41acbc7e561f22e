"""Secret values never enter a capture: each is replaced by a marker that keeps what a diagnosis
needs to see — the key names, the value's length and its first/last character class — so
"trailing space", "empty" and "41 characters" stay visible without the value:

    <redacted len=41 first=alnum last=space>

Names that are not secrets (an S3 endpoint, a bucket, a region, a CA) are kept as they are,
exactly those `checks.engine.redaction.NOT_SECRET_KEYS` already shows; a URI keeps everything but its
query (a signed URL's credentials). Inside a storage-config entry or a .dockerconfigjson the
structure stays, the credentials become markers.

Reading a capture back, `stand_in` turns each marker into a throw-away value of the same length
and classes, so the checks judge "empty", "surrounding whitespace" and "missing key" exactly as
they did live.
"""

from __future__ import annotations

import base64
import json
import re
from typing import Any

from checks.cluster.kube import Raw
from checks.engine.redaction import NOT_SECRET_KEYS, URI_KEYS, decoded_values

MARKER = re.compile(r"<redacted len=(\d+) first=(\w+) last=(\w+)(?: claims=([\w-]+))?>")
JWT_SHAPE = re.compile(r"eyJ[\w-]+\.([\w-]+)\.[\w-]+")
UNSIGNED = "eyJhbGciOiJub25lIn0"  # {"alg":"none"}: a stand-in no server accepts
CREDENTIAL_FIELDS = frozenset(
    {"access_key_id", "secret_access_key", "auth", "password", "identitytoken", "token"}
)
LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"
SAMPLE = {"alnum": "x", "space": " ", "newline": "\n", "punct": "-", "other": "·", "none": ""}


def char_class(char: str) -> str:
    if char == "\n":
        return "newline"
    if char.isspace():
        return "space"
    if char.isalnum():
        return "alnum"
    if char.isprintable() and char.isascii():
        return "punct"
    return "other"


def marker(value: str) -> str:
    if not value:
        return "<redacted len=0 first=none last=none>"
    shape = f"len={len(value)} first={char_class(value[0])} last={char_class(value[-1])}"
    jwt = JWT_SHAPE.fullmatch(value.strip())
    # a service-account token's claims (who it is) are not the secret; its signature is
    return f"<redacted {shape} claims={jwt[1]}>" if jwt else f"<redacted {shape}>"


def stand_in(text: str) -> str:
    """A marker's throw-away twin (same length, same first/last class); other text unchanged."""

    def twin(match: re.Match) -> str:
        length, first, last = int(match[1]), SAMPLE.get(match[2], "x"), SAMPLE.get(match[3], "x")
        if match[4]:
            core = f"{UNSIGNED}.{match[4]}."
            tail = "" if match[3] == "alnum" else last
            return core + "s" * max(8, length - len(core) - len(tail)) + tail
        if length == 0:
            return ""
        if length == 1:
            return first or "x"
        return (first or "x") + "r" * (length - 2) + (last or "x")

    return MARKER.sub(twin, text)


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def _redact_value(key: str, text: str) -> str:
    if key in NOT_SECRET_KEYS:
        return text
    if key in URI_KEYS and "://" in text:
        head, sep, query = text.partition("?")
        return head + (sep + marker(query) if sep else "")
    if key == ".dockerconfigjson" or key == "storage-config" or text.lstrip().startswith("{"):
        try:
            return json.dumps(_redact_json(json.loads(text)))
        except ValueError:
            pass
    return marker(text)


def _redact_json(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            k: marker(str(v)) if k in CREDENTIAL_FIELDS and isinstance(v, str) else _redact_json(v)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_redact_json(v) for v in value]
    return value


def redact_secret(raw: Raw) -> Raw:
    """A Secret as the API returned it, every value a marker (keys kept); stringData too, and
    the last-applied annotation (it holds the values in clear) dropped."""
    out = dict(raw)
    meta = dict(out.get("metadata") or {})
    meta.pop("managedFields", None)
    annotations = dict(meta.get("annotations") or {})
    if annotations.pop(LAST_APPLIED, None) is not None:
        annotations[LAST_APPLIED] = "<redacted>"
    if annotations:
        meta["annotations"] = annotations
    out["metadata"] = meta
    data = {}
    for key, value in (raw.get("data") or {}).items():
        try:
            text = base64.b64decode(value or "").decode("utf-8")
        except ValueError:
            text = None
        data[key] = _b64(marker("") if text is None else _redact_value(key, text))
        if text is None:
            data[key] = _b64(f"<redacted len={len(value or '')} first=other last=other>")
    if "data" in raw:
        out["data"] = data
    if "stringData" in raw:
        out["stringData"] = {
            k: _redact_value(k, str(v)) for k, v in (raw.get("stringData") or {}).items()
        }
    return out


def restore_secret(raw: Raw) -> Raw:
    """A captured Secret with each marker replaced by its stand-in, for the checks to read."""
    data = raw.get("data")
    if not isinstance(data, dict):
        return raw
    restored = {}
    for key, value in data.items():
        try:
            text = base64.b64decode(value or "").decode("utf-8")
        except ValueError:
            restored[key] = value
            continue
        restored[key] = _b64(stand_in(text)) if MARKER.search(text) else value
    return {**raw, "data": restored}


def secret_values(raw: Raw) -> list[str]:
    """The values of a live Secret a capture must never hold (for the Redactor over logs and
    facts), JSON credentials included."""
    values = decoded_values(raw)
    for text in list(values):
        try:
            values += list(_json_credentials(json.loads(text)))
        except ValueError:
            pass
    return [v for v in values if v.strip()]


def _json_credentials(value: Any) -> Any:
    if isinstance(value, dict):
        for k, v in value.items():
            if k in CREDENTIAL_FIELDS and isinstance(v, str):
                yield v
                if k == "auth":  # base64 of user:password
                    try:
                        yield base64.b64decode(v).decode("utf-8", "replace").partition(":")[2]
                    except ValueError:
                        pass
            else:
                yield from _json_credentials(v)
    elif isinstance(value, list):
        for v in value:
            yield from _json_credentials(v)
