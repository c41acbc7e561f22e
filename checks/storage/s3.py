"""S3 for a data connection, read-only, with errors classified for a person.

Requests go through checks/storage/s3_client.py (signed GET/HEAD on httpx, no boto3). Every answer is
looked at before it is parsed: an S3 API answers XML, not a web page, and an HTML page that
answers 200 would otherwise read as an empty listing.
"""

from __future__ import annotations

import builtins
import os
import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from checks.storage.s3_errors import ANSWER_LIMIT, StorageError, classify_answer
from checks.storage.s3_target import S3Target
from checks.storage.s3_xml import error_fields, listing_page
from checks.storage.threads import call_with_deadline
from checks.transport.pools import shared_client

if TYPE_CHECKING:
    from checks.storage.s3_client import S3Answer, S3Client

LIST_LIMIT = 1000


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


_TITLE = re.compile(r"<title>(.*?)</title>", re.IGNORECASE | re.DOTALL)


class Storage:
    """One bucket through one data connection's credentials; read-only."""

    def __init__(self, target: S3Target) -> None:
        self.target = target
        self._client: S3Client | None = None

    def _s3(self) -> S3Client:
        if self._client is not None:
            return self._client
        if not self.target.endpoint.startswith(("http://", "https://")):
            raise StorageError(
                "no-scheme",
                f"the S3 endpoint {self.target.endpoint!r} has no http:// or https:// in front",
            )
        # Same endpoint, credentials, CA and addressing: the same client (the bucket is a
        # parameter of each call).
        key = (replace(self.target, bucket=""), self._verify())
        self._client = shared_client(key, self._new_client)
        return self._client

    def _new_client(self) -> S3Client:
        import httpx

        from checks.storage.s3_client import S3Client

        try:
            return S3Client(self.target, self._verify())
        except (ValueError, httpx.InvalidURL) as error:
            raise StorageError(
                "no-scheme",
                f"the S3 endpoint {self.target.endpoint!r} is not a usable URL: {error}",
            ) from error

    def _verify(self) -> str | bool:
        """The CA bundle (--s3-ca, else $AWS_CA_BUNDLE as boto3 itself would read it), else the
        system's CAs; False when verification is off."""
        if not self.target.verify:
            return False
        return self.target.ca_bundle or os.environ.get("AWS_CA_BUNDLE") or True

    def _judge(self, answer: S3Answer) -> S3Answer:
        """A web page is named for what it is; any other answer but 2xx is S3's refusal,
        classified from its error document (or its status when it has none)."""
        if _looks_like_html(answer.headers, answer.body):
            found = _TITLE.search(answer.body[: 64 * 1024].decode("utf-8", "replace"))
            title = found.group(1).strip() if found else ""
            what = f' ("{title}")' if title else ""
            raise StorageError(
                "not-s3",
                f"{self.target.endpoint} answered an HTML page{what}, not the S3 API: the endpoint is a web page (a console, "
                "or a login page of a proxy), not the S3 API route",
            )
        if 200 <= answer.status < 300:
            return answer
        code, message, region = error_fields(answer.body)
        region = region or answer.headers.get("x-amz-bucket-region", "")
        if not code:
            code, message = str(answer.status), answer.reason
        raise classify_answer(self.target, code, answer.status, message, region)

    def _call(self, function: Any, *args: Any, **kwargs: Any) -> Any:
        """One S3 request within the deadline, its body read inside the deadline too: a server
        that drips the body or ignores the Range header cannot hold the caller (httpx's
        timeouts are per socket read)."""
        from checks.storage.s3_errors import classify_transport

        try:
            return call_with_deadline(self.target.timeout, function, *args, **kwargs)
        except TimeoutError:
            raise StorageError(
                "timeout",
                f"{self.target.endpoint} did not answer within {self.target.timeout:g} s "
                "(--request-timeout)",
            ) from None
        except StorageError:
            raise
        except OSError as error:  # a socket failure httpx did not wrap
            raise classify_transport(self.target, error) from error

    def _list_page(self, params: list[tuple[str, str]]) -> dict[str, Any]:
        answer = self._judge(
            self._s3().request("GET", self.target.bucket, query=params, limit=ANSWER_LIMIT)
        )
        page = listing_page(answer.body)
        if page is None:
            raise StorageError(
                "not-s3",
                f"{self.target.endpoint} answered HTTP {answer.status} with a body that is not "
                "an S3 listing: is this an S3 API endpoint?",
            )
        return page

    def _range(self, key: str, start: int, end: int) -> bytes:
        limit = end - start + 1
        answer = self._judge(
            self._s3().request(
                "GET",
                self.target.bucket,
                key,
                headers={"Range": f"bytes={start}-{end}"},
                limit=limit,
                refuse_larger=False,
            )
        )
        length = answer.declared or 0
        if length > limit:
            raise StorageError(
                "not-s3",
                f"{self.target.endpoint} answered {length:,} bytes to a request for {limit:,}: "
                "it ignores Range requests, which an S3 API honours",
            )
        if length and len(answer.body) < min(length, limit):
            raise StorageError(
                "truncated",
                f"{self.target.endpoint} cut its answer short ({len(answer.body):,} of "
                f"{length:,} bytes)",
            )
        return answer.body

    def _head(self, key: str) -> int:
        answer = self._judge(self._s3().request("HEAD", self.target.bucket, key, limit=0))
        return int(answer.declared or 0)

    # -- operations ------------------------------------------------------------------
    def check_bucket(self) -> None:
        """Cheapest proof that endpoint, credentials and bucket work together."""
        self._call(self._list_page, [("list-type", "2"), ("max-keys", "1")])

    def list(self, prefix: str, *, delimiter: str = "", limit: int = LIST_LIMIT) -> Listing:
        params = [
            ("list-type", "2"),
            ("prefix", prefix),
            ("max-keys", str(min(limit, 1000))),
            ("encoding-type", "url"),
        ]
        if delimiter:
            params.append(("delimiter", delimiter))
        objects: list[ObjectInfo] = []
        prefixes: list[str] = []
        while True:
            page = self._call(self._list_page, params)
            objects += [ObjectInfo(key, size) for key, size in page["contents"]]
            prefixes += page["prefixes"]
            token = page["token"]
            if not page["truncated"] or not token or len(objects) >= limit:
                return Listing(
                    prefix,
                    tuple(objects[:limit]),
                    tuple(prefixes),
                    page["truncated"] or len(objects) > limit,
                )
            params = [p for p in params if p[0] != "continuation-token"]
            params.append(("continuation-token", token))

    def size(self, key: str) -> int:
        return int(self._call(self._head, key))

    def read_range(self, key: str, start: int, end: int) -> bytes:
        """Bytes start..end inclusive, with one ranged GET."""
        return bytes(self._call(self._range, key, start, end))

    def read(self, key: str, limit: int = 64 * 1024 * 1024) -> bytes:
        return bytes(self._call(self._range, key, 0, limit - 1))

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
