"""S3 for a data connection, read-only, through boto3 configured as the storage initializer
configures it (s3_boto.py), with errors classified for a person (s3_errors.py).

Every call is bounded by --request-timeout as a whole (boto3's own timeouts are per socket
read, and its retries add up); when the deadline ends retries, the line names what they met.
"""

from __future__ import annotations

import builtins
import threading
from dataclasses import dataclass, replace
from typing import Any

from checks.storage.s3_errors import (
    UNLOADABLE_CA,
    StorageError,
    classify_exception,
    tls_failure,
)
from checks.storage.s3_target import S3Target
from checks.storage.threads import call_with_deadline
from checks.transport.pools import shared_client

PAGE = 1000  # S3's own page size
_warming: list[threading.Thread] = []
LIST_LIMIT = 100_000  # objects: past this a listing stops, and says why


def warm_up() -> None:
    """Import boto3 and load S3's model in a daemon thread, once per process, while the caller
    waits on the network: a diagnosis that reads S3 then finds its client ready."""
    if _warming:
        return

    def work() -> None:
        from checks.storage.s3_boto import warm

        warm()

    _warming.append(threading.Thread(target=work, daemon=True, name="rhoai-doctor-boto3"))
    _warming[0].start()


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
    cause: str = ""  # why it is truncated, in words

    @property
    def keys(self) -> list[str]:
        return [o.key for o in self.objects]


class Storage:
    """One bucket through one data connection's settings; read-only."""

    def __init__(self, target: S3Target) -> None:
        self.target = target
        self._client: Any = None
        self._trust: tuple[str | bool, str] | None = None

    def trust(self) -> tuple[str | bool, str]:
        """(boto3's verify, in words): what the pod verifies the endpoint's certificate with."""
        if self._trust is None:
            from checks.storage.s3_trust import pod_verify

            self._trust = pod_verify(self.target)
        return self._trust

    def prepare(self) -> None:
        """Build (or find) the client: importing boto3 and loading its S3 model is local work,
        done before any deadline starts, so a loaded machine's import is never "S3 did not
        answer". Raises StorageError for settings no client can be built from."""
        self._s3()

    def _s3(self) -> Any:
        if self._client is not None:
            return self._client
        if not self.target.endpoint.lower().startswith(("http://", "https://")):
            raise StorageError(
                "no-scheme",
                f"the S3 endpoint {self.target.endpoint!r} has no http:// or https:// in front",
            )
        if not self.target.anonymous and not (
            self.target.access_key_id and self.target.secret_access_key
        ):
            raise StorageError(
                "missing-field",
                "the connection has no access key id or secret access key and anonymous is "
                "not on: boto3 in the storage initializer fails the same way (Unable to locate "
                "credentials)",
            )
        # One client per distinct connection (the bucket is a parameter of each call), kept
        # for the sweep.
        verify, _ = self.trust()
        key = (replace(self.target, bucket="", source="", ca_configmap_note=""), verify)
        self._client = shared_client(key, self._new_client)
        return self._client

    def _new_client(self) -> Any:
        from botocore.exceptions import InvalidRegionError

        from checks.storage.s3_boto import build_client

        try:
            return build_client(self.target, self.trust()[0])
        except InvalidRegionError as error:
            raise StorageError(
                "missing-field",
                f"the region {self.target.region!r} (AWS_DEFAULT_REGION) is not one boto3 "
                "accepts: the storage initializer fails the same way",
            ) from error
        except ValueError as error:
            raise StorageError(
                "no-scheme",
                f"the S3 endpoint {self.target.endpoint!r} is not a usable URL: {error}",
            ) from error

    def _call(self, function: Any, *args: Any, key: str = "") -> Any:
        """One S3 operation (boto3's retries included) within the deadline."""
        self.prepare()
        log: list[Any] = []

        def noted() -> Any:
            from checks.storage.s3_boto import note_attempts

            note_attempts(log)
            return function(*args)

        try:
            return call_with_deadline(self.target.timeout, noted)
        except TimeoutError:
            raise self._late(log, key) from None
        except StorageError:
            raise
        except Exception as error:  # boto3's and botocore's exceptions, named
            raise self._named(error, key) from error

    def _named(self, error: BaseException, key: str = "") -> StorageError:
        found = classify_exception(self.target, error, self.trust()[1], key)
        if found.kind != "tls" or found.code == UNLOADABLE_CA:
            return found
        from checks.storage.s3_trust import local_accepts, local_words

        local = local_words(self.target, local_accepts(self.target, self.target.timeout))
        return tls_failure(self.target, str(error), self.trust()[1], local)

    def _late(self, log: list[Any], key: str) -> StorageError:
        """The deadline ended the call: what the last attempt met, when one failed."""
        within = f"within {self.target.timeout:g} s (--request-timeout)"
        last = log[-1] if log else None
        if isinstance(last, tuple) and last[0] == "answer":
            status = int(last[1])
            found = classify_exception(self.target, _answer_error(status, last[2]), "", key)
            return StorageError(found.kind, f"{found} (retried: no success {within})", found.code)
        if isinstance(last, BaseException):
            found = self._named(last, key)
            if found.kind != "timeout":
                return StorageError(found.kind, f"{found} (retried: no success {within})")
        return StorageError("timeout", f"{self.target.endpoint} did not answer {within}")

    def settings(self) -> builtins.list[str]:
        """Evidence lines: where the settings come from and what the pod's boto3 does with them."""
        target = self.target
        region = "empty" if target.region == "" else target.region or "not set (us-east-1)"
        how = [
            f"region {region}",
            "virtual-hosted addressing" if target.virtual else "path-style addressing",
            "unsigned (anonymous)" if target.anonymous else "signed (SigV4)",
        ]
        if target.session_token and not target.anonymous:
            how.append("with a session token")
        lines = [
            f"S3 as the storage initializer's boto3 reads it ({target.source}): " + ", ".join(how)
        ]
        if target.tls:
            verify, words = self.trust()
            lines.append(
                f"TLS not verified: {words}" if verify is False else f"TLS verified with {words}"
            )
        return lines

    def local_disagrees(self) -> str:
        """A line when this machine's trust store would refuse what the pod's ConfigMap CA
        accepts ('' when they agree, or it cannot tell)."""
        from checks.storage.s3_trust import local_accepts

        if local_accepts(self.target, self.target.timeout) is False:
            store = "--s3-ca" if self.target.ca_bundle else "this machine's trust store"
            return (
                f"{store} would refuse the certificate of {self.target.endpoint}; the pod "
                f"trusts it through the ConfigMap {self.target.ca_configmap}"
            )
        return ""

    # -- operations ------------------------------------------------------------------
    def check_bucket(self) -> None:
        """Cheapest proof that endpoint, credentials and bucket work together."""
        self._call(lambda: self._s3().list_objects_v2(Bucket=self.target.bucket, MaxKeys=1))

    def list(self, prefix: str, *, delimiter: str = "", limit: int = LIST_LIMIT) -> Listing:
        """Every object under `prefix`, page after page, up to `limit` objects."""
        objects: list[ObjectInfo] = []
        prefixes: list[str] = []
        token = ""
        while True:
            asked: dict[str, Any] = {
                "Bucket": self.target.bucket,
                "Prefix": prefix,
                "MaxKeys": min(limit, PAGE),
            }
            if delimiter:
                asked["Delimiter"] = delimiter
            if token:
                asked["ContinuationToken"] = token
            page = self._call(lambda asked=asked: self._s3().list_objects_v2(**asked))
            objects += [
                ObjectInfo(str(o.get("Key", "")), int(o.get("Size", 0) or 0))
                for o in page.get("Contents") or []
            ]
            prefixes += [str(p.get("Prefix", "")) for p in page.get("CommonPrefixes") or []]
            token = str(page.get("NextContinuationToken", "") or "")
            more = bool(page.get("IsTruncated")) and bool(token)
            if not more or len(objects) >= limit:
                cut = more or len(objects) > limit
                cause = (
                    f"the listing stopped at {limit:,} objects (its cap); there are more"
                    if cut and limit == LIST_LIMIT
                    else ""
                )
                return Listing(prefix, tuple(objects[:limit]), tuple(prefixes), cut, cause)

    def size(self, key: str) -> int:
        answer = self._call(
            lambda: self._s3().head_object(Bucket=self.target.bucket, Key=key), key=key
        )
        return int(answer.get("ContentLength", 0) or 0)

    def read_range(self, key: str, start: int, end: int) -> bytes:
        """Bytes start..end inclusive, with one ranged GET."""
        return bytes(self._call(self._range, key, start, end, key=key))

    def read(self, key: str, limit: int = 64 * 1024 * 1024) -> bytes:
        return bytes(self._call(self._range, key, 0, limit - 1, key=key))

    def _range(self, key: str, start: int, end: int) -> bytes:
        limit = end - start + 1
        answer = self._s3().get_object(
            Bucket=self.target.bucket, Key=key, Range=f"bytes={start}-{end}"
        )
        body = answer["Body"]
        length = int(answer.get("ContentLength", 0) or 0)
        try:
            if length > limit:
                raise StorageError(
                    "not-s3",
                    f"{self.target.endpoint} answered {length:,} bytes to a request for "
                    f"{limit:,}: it ignores Range requests, which an S3 API honours",
                )
            data = body.read(limit)
        finally:
            body.close()
        if length and len(data) < min(length, limit):
            raise StorageError(
                "truncated",
                f"{self.target.endpoint} cut its answer short ({len(data):,} of {length:,} bytes)",
            )
        return bytes(data)

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


def _answer_error(status: int, headers: Any) -> BaseException:
    """The last refusal a retried call met, as boto3 would have raised it."""
    from botocore.exceptions import ClientError

    reason = {500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable"}
    return ClientError(
        {
            "Error": {"Code": str(status), "Message": reason.get(status, "")},
            "ResponseMetadata": {"HTTPStatusCode": status, "HTTPHeaders": dict(headers)},
        },
        "S3",
    )
