"""AWS Signature Version 4 for the few read-only S3 requests the doctor sends (GET, HEAD).

Written from AWS's public description of the algorithm (canonical request, string to sign,
derived signing key) so that reading a bucket does not need boto3: importing and building a
boto3 client costs ~0.2 s, more than the rest of a `check`. Only the header form of signing,
with an empty payload, is needed here."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Mapping
from datetime import datetime
from urllib.parse import quote

ALGORITHM = "AWS4-HMAC-SHA256"
EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()


def uri_encode(text: str, *, keep_slash: bool = False) -> str:
    """AWS's UriEncode: every byte but A-Z a-z 0-9 - _ . ~ as %XY (upper case); an object
    key's slashes stay as they are in the path."""
    return quote(text, safe="/-_.~" if keep_slash else "-_.~")


def canonical_query(params: Iterable[tuple[str, str]]) -> str:
    """Names and values encoded, then sorted by name (and value): the order S3 rebuilds."""
    pairs = sorted((uri_encode(k), uri_encode(v)) for k, v in params)
    return "&".join(f"{k}={v}" for k, v in pairs)


def _hmac(key: bytes, text: str) -> bytes:
    return hmac.new(key, text.encode("utf-8"), hashlib.sha256).digest()


def signing_key(secret: str, day: str, region: str, service: str) -> bytes:
    """kSigning = HMAC chain over date, region, service and the terminator."""
    key = _hmac(f"AWS4{secret}".encode(), day)
    for part in (region, service, "aws4_request"):
        key = _hmac(key, part)
    return key


def _trimmed(value: str) -> str:
    return " ".join(value.strip().split())


def signed_headers(
    method: str,
    path: str,
    query: str,
    headers: Mapping[str, str],
    *,
    access_key: str,
    secret_key: str,
    region: str,
    when: datetime,
    service: str = "s3",
    payload_hash: str = EMPTY_SHA256,
) -> dict[str, str]:
    """The headers to send: `headers` (which must hold Host) plus x-amz-date,
    x-amz-content-sha256 and Authorization. `path` is already URI-encoded, `query` canonical."""
    stamp = when.strftime("%Y%m%dT%H%M%SZ")
    day = stamp[:8]
    out = {**headers, "x-amz-date": stamp, "x-amz-content-sha256": payload_hash}
    canonical = {name.lower(): _trimmed(value) for name, value in out.items()}
    names = ";".join(sorted(canonical))
    request = "\n".join(
        [
            method,
            path or "/",
            query,
            "".join(f"{name}:{canonical[name]}\n" for name in sorted(canonical)),
            names,
            payload_hash,
        ]
    )
    scope = f"{day}/{region}/{service}/aws4_request"
    to_sign = "\n".join(
        [ALGORITHM, stamp, scope, hashlib.sha256(request.encode("utf-8")).hexdigest()]
    )
    signature = hmac.new(
        signing_key(secret_key, day, region, service), to_sign.encode("utf-8"), hashlib.sha256
    ).hexdigest()
    out["Authorization"] = (
        f"{ALGORITHM} Credential={access_key}/{scope}, SignedHeaders={names}, Signature={signature}"
    )
    return out
