"""A small S3 reader on httpx's sync client: signed GET/HEAD, path-style, every answer read
within a cap. What the doctor asks of S3 is a listing, a size and a few ranged reads; boto3 for
that cost ~0.2 s of import and client set-up on every `check`.

Transport failures come back as StorageError with the kinds s3_errors.py names; an
answer (any status) comes back as an S3Answer for the caller to judge."""

from __future__ import annotations

import ssl
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import httpx

from checks.storage.s3_errors import StorageError, classify_transport, too_large
from checks.storage.sigv4 import canonical_query, signed_headers, uri_encode
from checks.transport.addressing import Override, address

if TYPE_CHECKING:
    from checks.storage.s3_target import S3Target

POOL_CONNECTIONS = 50  # per client: the sweep's deployments in flight share it
ERROR_LIMIT = 64 * 1024  # of an error document (~300 bytes) or a web page, enough to judge


@dataclass(frozen=True)
class S3Answer:
    status: int
    reason: str
    headers: dict[str, str]  # names in lower case
    body: bytes
    declared: int | None  # Content-Length, when the server stated one


def _tls(verify: str | bool, scheme: str) -> ssl.SSLContext | bool:
    """The context httpx verifies with; a plain-HTTP endpoint never handshakes, so it gets no
    CA bundle to load."""
    if scheme != "https" or verify is False:
        return False
    from checks.endpoints.probe import _verify_context

    return _verify_context(verify if isinstance(verify, str) else None, True)


def _host_header(netloc: str, scheme: str) -> str:
    """The Host header as HTTP clients send it (and S3 verifies it): the scheme's default port
    left out."""
    default = ":443" if scheme == "https" else ":80"
    return netloc[: -len(default)] if netloc.endswith(default) else netloc


class S3Client:
    """One endpoint, one set of credentials; thread-safe (httpx's pool has its own locks)."""

    def __init__(self, target: S3Target, verify: str | bool) -> None:
        self.target = target
        parts = urlsplit(target.endpoint)
        _ = parts.port  # ValueError on a port that is not one
        if not parts.hostname or any(c.isspace() for c in parts.netloc):
            raise ValueError("it names no host, or a host with a space in it")
        self._base = target.endpoint.rstrip("/")
        self._base_path = parts.path.rstrip("/")
        self._host = _host_header(parts.netloc.rsplit("@", 1)[-1], parts.scheme)
        self._overrides: list[Override] = list(target.overrides)
        limits = httpx.Limits(
            max_connections=POOL_CONNECTIONS, max_keepalive_connections=POOL_CONNECTIONS
        )
        self._http = httpx.Client(
            verify=_tls(verify, parts.scheme), timeout=target.timeout, limits=limits
        )

    def _signed(self, method: str, path: str, query: str, extra: dict[str, str]) -> dict:
        headers = {"Host": self._host, **extra}
        if not (self.target.access_key_id and self.target.secret_access_key):
            return headers  # anonymous: a public bucket answers, a private one says AccessDenied
        return signed_headers(
            method,
            path,
            query,
            headers,
            access_key=self.target.access_key_id,
            secret_key=self.target.secret_access_key,
            region=self.target.region,
            when=datetime.now(UTC),
        )

    def request(
        self,
        method: str,
        bucket: str,
        key: str = "",
        *,
        query: Iterable[tuple[str, str]] = (),
        headers: dict[str, str] | None = None,
        limit: int,
        refuse_larger: bool = True,
    ) -> S3Answer:
        """One request; its body read up to `limit` bytes. A body stated or found larger than
        `limit` is refused (too-large) when `refuse_larger`, else returned cut at `limit`
        with `declared` telling the caller what was announced."""
        path = f"{self._base_path}/{uri_encode(bucket)}"
        if key:
            path += "/" + uri_encode(key, keep_slash=True)
        canonical = canonical_query(query)
        url = self._base + path[len(self._base_path) :] + (f"?{canonical}" if canonical else "")
        sent = self._signed(method, path, canonical, dict(headers or {}))
        sent["Accept-Encoding"] = "identity"  # the bytes as stored (unsigned: proxies add it)
        addressed = address(url, self._overrides)
        try:
            with self._http.stream(
                method, addressed.url, headers=sent, extensions=addressed.extensions
            ) as response:
                return self._read(response, method, limit, refuse_larger)
        except httpx.HTTPError as error:
            raise classify_transport(self.target, error) from error
        except (httpx.InvalidURL, ValueError) as error:  # a key or host httpx cannot send
            raise StorageError(
                "http", f"S3 request to {self.target.endpoint} failed: {error}"
            ) from error

    def _read(
        self, response: httpx.Response, method: str, limit: int, refuse_larger: bool
    ) -> S3Answer:
        headers = {k.lower(): v for k, v in response.headers.items()}
        if not 200 <= response.status_code < 300:  # an error document is read whatever was asked
            limit, refuse_larger = ERROR_LIMIT, False
        stated = headers.get("content-length", "")
        declared = int(stated) if stated.isascii() and stated.isdigit() else None
        if declared is not None and declared > limit and refuse_larger and method != "HEAD":
            raise too_large(self.target)
        chunks: list[bytes] = []
        size = 0
        if method != "HEAD" and not (declared is not None and declared > limit):
            try:
                for chunk in response.iter_raw():
                    size += len(chunk)
                    chunks.append(chunk)
                    if size > limit:
                        if refuse_larger:
                            raise too_large(self.target)
                        break
            except httpx.RemoteProtocolError as error:
                if declared is None:
                    raise classify_transport(self.target, error) from error
                raise StorageError(
                    "truncated",
                    f"{self.target.endpoint} cut its answer short ({size:,} of "
                    f"{declared:,} bytes): a proxy or the S3 server closed the connection",
                ) from error
        body = b"".join(chunks)[:limit]
        return S3Answer(response.status_code, response.reason_phrase, headers, body, declared)
