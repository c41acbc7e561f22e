"""S3 through boto3 for a data connection, with errors classified for a person.

boto3 pointed at an HTML page that answers 200 raises nothing (listings come back empty), so
every response is looked at before it is parsed: an S3 API answers XML, not a web page.
"""

from __future__ import annotations

import builtins
import os
from dataclasses import dataclass, field, replace
from typing import Any

from checks.addressing import Override, address
from checks.pools import shared_client
from checks.resources import DataConnection
from checks.storage_errors import StorageError, classify_client_error, classify_transport
from checks.threads import call_with_deadline

LIST_LIMIT = 1000
MiB = 1024 * 1024
ANSWER_LIMIT = 16 * MiB  # a 1,000-key listing page is ~300 KiB
POOL_CONNECTIONS = 50  # per boto3 client: the sweep's deployments in flight share it


@dataclass(frozen=True)
class S3Target:
    endpoint: str
    bucket: str
    region: str
    access_key_id: str = field(repr=False, default="")
    secret_access_key: str = field(repr=False, default="")
    ca_bundle: str | None = None
    verify: bool = True
    timeout: float = 5.0
    overrides: tuple[Override, ...] = ()  # --resolve / --connect-to, as for routes

    @classmethod
    def from_connection(
        cls,
        connection: DataConnection,
        *,
        bucket: str | None = None,
        ca_bundle: str | None = None,
        verify: bool = True,
    ) -> S3Target:
        return cls(
            connection.endpoint,
            bucket or connection.bucket,
            connection.region or "us-east-1",
            connection.access_key_id,
            connection.secret_access_key,
            ca_bundle,
            verify,
        )


@dataclass(frozen=True)
class ObjectInfo:
    key: str
    size: int


@dataclass(frozen=True)
class Listing:
    prefix: str
    objects: tuple[ObjectInfo, ...]
    prefixes: tuple[str, ...]  # "folders" when listed with a delimiter
    truncated: bool

    @property
    def keys(self) -> list[str]:
        return [o.key for o in self.objects]


def _looks_like_html(headers: dict[str, str], body: bytes) -> bool:
    content_type = (headers.get("content-type") or "").lower()
    head = body[:200].lstrip().lower()
    return "html" in content_type or head.startswith((b"<!doctype html", b"<html"))


class Storage:
    """One bucket through one data connection's credentials; read-only."""

    def __init__(self, target: S3Target) -> None:
        self.target = target
        self._client: Any = None

    def _s3(self) -> Any:
        if self._client is not None:
            return self._client
        if not self.target.endpoint.startswith(("http://", "https://")):
            raise StorageError(
                "no-scheme",
                f"the S3 endpoint {self.target.endpoint!r} has no http:// or https:// in front",
            )
        # Same endpoint, credentials, CA and addressing: the same client (the bucket is a
        # parameter of each call, the handlers below read only what the key holds).
        key = (replace(self.target, bucket=""), self._verify())
        self._client = shared_client(key, self._new_client)
        return self._client

    def _new_client(self) -> Any:
        import boto3
        from botocore.config import Config

        try:
            client = boto3.client(
                "s3",
                endpoint_url=self.target.endpoint,
                region_name=self.target.region,
                aws_access_key_id=self.target.access_key_id or None,
                aws_secret_access_key=self.target.secret_access_key or None,
                verify=self._verify(),
                config=Config(
                    connect_timeout=self.target.timeout,
                    read_timeout=self.target.timeout,
                    retries={"max_attempts": 1},
                    s3={"addressing_style": "path"},
                    signature_version="s3v4",
                    max_pool_connections=POOL_CONNECTIONS,
                ),
            )
        except ValueError as error:
            raise StorageError("no-scheme", f"boto3 refuses the endpoint: {error}") from error
        # botocore has already turned an unparseable 200 into a "500" here: the status is not
        # quoted, the body is what tells.
        for operation in ("ListObjectsV2", "HeadObject", "GetObject"):
            client.meta.events.register_first(
                f"before-parse.s3.{operation}", self._refuse_web_pages
            )
        client.meta.events.register("before-send.s3.*", self._before_send)
        self._client = client
        return client

    def _verify(self) -> str | bool:
        """The CA bundle (--s3-ca, else $AWS_CA_BUNDLE as boto3 itself would read it), else the
        system's CAs; False when verification is off."""
        if not self.target.verify:
            return False
        return self.target.ca_bundle or os.environ.get("AWS_CA_BUNDLE") or True

    def _before_send(self, request: Any, event_name: str = "", **_: Any) -> Any:
        """Dial the overriding address (the signed Host header still names the endpoint); send
        a listing here, so an answer larger than any listing is refused before its body is
        read whole (botocore would read all of it first)."""
        addressed = address(request.url, list(self.target.overrides))
        if addressed.via:
            request.headers["Host"] = addressed.headers["Host"]
            request.url = addressed.url
        if not event_name.endswith(".ListObjectsV2"):
            return None
        request.stream_output = True  # botocore's send would read the whole body itself
        response = self._client._endpoint.http_session.send(request)
        declared = str(response.headers.get("content-length", ""))
        if declared.isdigit() and int(declared) > ANSWER_LIMIT:
            response.raw.close()
            raise self._too_large()
        # read here, as botocore would, but stopped at the limit: an answer of unknown length
        # (chunked) or a length that lies would otherwise be read whole
        chunks, size = [], 0
        for chunk in response.raw.stream(64 * 1024):
            size += len(chunk)
            if size > ANSWER_LIMIT:
                response.raw.close()
                raise self._too_large()
            chunks.append(chunk)
        response._content = b"".join(chunks)
        return response

    def _too_large(self) -> StorageError:
        return StorageError(
            "too-large",
            f"{self.target.endpoint} answered more than {ANSWER_LIMIT // MiB} MiB where an S3 "
            "listing is a few hundred KiB: stopped",
        )

    def _refuse_web_pages(self, response_dict: dict, event_name: str = "", **_: Any) -> None:
        """Look at an answer before botocore parses it: a web page, a body cut short or one far
        larger than any S3 listing is named for what it is (botocore would call each "HTTP 500")."""
        headers = {k.lower(): v for k, v in (response_dict.get("headers") or {}).items()}
        body = response_dict.get("body") or b""
        if not isinstance(body, bytes):
            return
        expected = headers.get("content-length", "")
        if (
            expected.isdigit()
            and not event_name.endswith(".HeadObject")
            and len(body) < int(expected)
        ):
            raise StorageError(
                "truncated",
                f"{self.target.endpoint} cut its answer short ({len(body):,} of "
                f"{int(expected):,} bytes): a proxy or the S3 server closed the connection",
            )
        if len(body) > ANSWER_LIMIT:
            raise self._too_large()
        if _looks_like_html(headers, body):
            title = ""
            lowered = body.decode("utf-8", "replace")
            if "<title>" in lowered.lower():
                start = lowered.lower().index("<title>") + 7
                title = lowered[start : lowered.lower().find("</title>", start)].strip()
            what = f' ("{title}")' if title else ""
            raise StorageError(
                "not-s3",
                f"{self.target.endpoint} answered an HTML page{what}, not the S3 API: the endpoint is a web page (a console, "
                "or a login page of a proxy), not the S3 API route",
            )

    def _call(self, operation: str, *, body_limit: int | None = None, **params: Any) -> Any:
        """One S3 operation within the deadline; with `body_limit`, its streamed body is read
        inside the deadline too (at most that many bytes): a server that drips the body or
        ignores the Range header cannot hold the caller."""
        from botocore.exceptions import BotoCoreError, ClientError

        def call() -> Any:
            answer = getattr(self._s3(), operation)(**params)
            if body_limit is not None:
                answer["Body"] = self._read_body(answer, body_limit)
            return answer

        try:
            return call_with_deadline(self.target.timeout, call)
        except TimeoutError:
            raise StorageError(
                "timeout",
                f"{self.target.endpoint} did not answer within {self.target.timeout:g} s "
                "(--request-timeout)",
            ) from None
        except StorageError:
            raise
        except ClientError as error:
            raise classify_client_error(self.target, error) from error
        except BotoCoreError as error:
            raise classify_transport(self.target, error) from error

    def _read_body(self, answer: dict, limit: int) -> bytes:
        from botocore.exceptions import BotoCoreError

        length = int(answer.get("ContentLength") or 0)
        if length > limit:
            answer["Body"].close()
            raise StorageError(
                "not-s3",
                f"{self.target.endpoint} answered {length:,} bytes to a request for {limit:,}: "
                "it ignores Range requests, which an S3 API honours",
            )
        try:
            data = bytes(answer["Body"].read(limit))
        except BotoCoreError as error:
            raise StorageError(
                "truncated",
                f"{self.target.endpoint} cut its answer short: {error}",
            ) from error
        if length and len(data) < min(length, limit):
            raise StorageError(
                "truncated",
                f"{self.target.endpoint} cut its answer short ({len(data):,} of {length:,} bytes)",
            )
        return data

    # -- operations ------------------------------------------------------------------
    def check_bucket(self) -> None:
        """Cheapest proof that endpoint, credentials and bucket work together."""
        self._call("list_objects_v2", Bucket=self.target.bucket, MaxKeys=1)

    def list(self, prefix: str, *, delimiter: str = "", limit: int = LIST_LIMIT) -> Listing:
        params: dict[str, Any] = {
            "Bucket": self.target.bucket,
            "Prefix": prefix,
            "MaxKeys": min(limit, 1000),
        }
        if delimiter:
            params["Delimiter"] = delimiter
        objects: list[ObjectInfo] = []
        prefixes: list[str] = []
        while True:
            page = self._call("list_objects_v2", **params)
            objects += [
                ObjectInfo(o["Key"], int(o.get("Size") or 0)) for o in page.get("Contents") or []
            ]
            prefixes += [p["Prefix"] for p in page.get("CommonPrefixes") or []]
            token = page.get("NextContinuationToken")
            if not page.get("IsTruncated") or not token or len(objects) >= limit:
                return Listing(
                    prefix,
                    tuple(objects[:limit]),
                    tuple(prefixes),
                    bool(page.get("IsTruncated")) or len(objects) > limit,
                )
            params["ContinuationToken"] = token

    def size(self, key: str) -> int:
        return int(self._call("head_object", Bucket=self.target.bucket, Key=key)["ContentLength"])

    def read_range(self, key: str, start: int, end: int) -> bytes:
        """Bytes start..end inclusive, with one ranged GET."""
        answer = self._call(
            "get_object",
            body_limit=end - start + 1,
            Bucket=self.target.bucket,
            Key=key,
            Range=f"bytes={start}-{end}",
        )
        return bytes(answer["Body"])

    def read(self, key: str, limit: int = 64 * 1024 * 1024) -> bytes:
        answer = self._call(
            "get_object",
            body_limit=limit,
            Bucket=self.target.bucket,
            Key=key,
            Range=f"bytes=0-{limit - 1}",
        )
        return bytes(answer["Body"])

    def nearest_prefixes(self, path: str, limit: int = 8) -> tuple[str, builtins.list[str]]:
        """The deepest existing ancestor of `path` and what it holds: the user's likely target."""
        parts = [p for p in path.strip("/").split("/") if p]
        while parts:
            parts.pop()
            parent = "/".join(parts) + "/" if parts else ""
            listing = self.list(parent, delimiter="/", limit=limit)
            entries = list(listing.prefixes) + listing.keys
            if entries:
                return parent, entries[:limit]
        return "", []
