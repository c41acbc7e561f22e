"""S3 failures named for a person: an S3 error document or a transport failure, told as which of
the credentials, the bucket, the endpoint or the network is wrong."""

from __future__ import annotations

import socket
import ssl
from typing import TYPE_CHECKING

from checks.errors import DoctorError

if TYPE_CHECKING:
    from checks.storage.s3_target import S3Target

MiB = 1024 * 1024
ANSWER_LIMIT = 16 * MiB  # a 1,000-key listing page is ~300 KiB


class StorageError(DoctorError):
    """kinds: no-scheme, missing-field, dns, refused, tls, timeout, not-s3, truncated, too-large,
    bad-credentials, access-denied, no-such-bucket, no-such-key, http."""

    def __init__(self, kind: str, message: str, code: str = "") -> None:
        super().__init__(kind, message)
        self.code = code


def too_large(target: S3Target) -> StorageError:
    return StorageError(
        "too-large",
        f"{target.endpoint} answered more than {ANSWER_LIMIT // MiB} MiB where an S3 "
        "listing is a few hundred KiB: stopped",
    )


def classify_answer(
    target: S3Target, code: str, status: int, message: str, region: str = ""
) -> StorageError:
    """An S3 refusal in words: which of key, secret, bucket or endpoint is wrong. `code` is
    the error document's Code, or the HTTP status as text when there was no document (a HEAD
    answer has no body), as S3 clients report it; `region` is the one S3 says the bucket is in."""
    bucket = target.bucket
    if code in ("InvalidAccessKeyId", "SignatureDoesNotMatch", "InvalidToken"):
        detail = (
            "the access key id is unknown to the S3 server"
            if code == "InvalidAccessKeyId"
            else "the secret access key does not match the key id"
        )
        return StorageError(
            "bad-credentials", f"S3 rejected the credentials ({code}): {detail}", code
        )
    if code in ("NoSuchBucket",) or (code == "404" and status == 404):
        return StorageError(
            "no-such-bucket",
            f'bucket "{bucket}" does not exist on {target.endpoint} (NoSuchBucket)',
            "NoSuchBucket",
        )
    if code in ("AccessDenied", "403", "AllAccessDisabled"):
        return StorageError(
            "access-denied",
            f'S3 denied access to bucket "{bucket}" ({code or status}): {message}',
            code,
        )
    if code in ("NoSuchKey",):
        return StorageError("no-such-key", f"no such object ({code})", code)
    if region and region != target.region:
        return StorageError(
            "http",
            f'S3 error {code}: bucket "{bucket}" is in region {region}, the data connection '
            f"says {target.region} (AWS_DEFAULT_REGION)",
            code,
        )
    if code.isdigit() or not code:
        return StorageError(
            "not-s3" if status and status >= 500 else "http",
            f"{target.endpoint} answered HTTP {status} without an S3 "
            "error document: is this an S3 API endpoint?",
            code,
        )
    return StorageError("http", f"S3 error {code}: {message}", code)


def _causes(error: BaseException) -> list[BaseException]:
    found: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and len(found) < 8:
        found.append(current)
        current = current.__cause__ or current.__context__
    return found


def classify_transport(target: S3Target, error: Exception) -> StorageError:
    """A failure before any S3 answer: TLS, timeout, DNS or a refused connection (httpx's
    exceptions, with the socket or TLS error that caused them)."""
    import httpx

    endpoint = target.endpoint
    text = str(error)
    causes = _causes(error)
    if any(isinstance(c, ssl.SSLError) for c in causes) or "CERTIFICATE_VERIFY_FAILED" in text:
        return StorageError(
            "tls",
            f"TLS verification of {endpoint} failed ({text}); give the CA bundle "
            "that signed its certificate with --s3-ca FILE (or $AWS_CA_BUNDLE)",
        )
    if isinstance(error, httpx.TimeoutException):
        return StorageError(
            "timeout",
            f"{endpoint} did not answer within {target.timeout:g} s (--request-timeout)",
        )
    if isinstance(error, httpx.ConnectError):
        lowered = text.lower()
        if (
            any(isinstance(c, socket.gaierror) for c in causes)
            or "name or service not known" in lowered
            or "resolution" in lowered
        ):
            return StorageError("dns", f"cannot resolve the host of {endpoint}")
        return StorageError(
            "refused", f"cannot connect to {endpoint}: connection refused or unreachable"
        )
    if isinstance(error, httpx.RemoteProtocolError):
        return StorageError(
            "http", f"{endpoint} closed the connection without a complete answer ({text})"
        )
    return StorageError("http", f"S3 request to {endpoint} failed: {text}")
