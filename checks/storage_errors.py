"""S3 failures named for a person: what botocore raises, told as which of the credentials, the
bucket, the endpoint or the network is wrong."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from checks.errors import DoctorError

if TYPE_CHECKING:
    from checks.storage import S3Target


class StorageError(DoctorError):
    """kinds: no-scheme, missing-field, dns, refused, tls, timeout, not-s3, truncated, too-large,
    bad-credentials, access-denied, no-such-bucket, no-such-key, http."""

    def __init__(self, kind: str, message: str, code: str = "") -> None:
        super().__init__(kind, message)
        self.code = code


def classify_client_error(target: S3Target, error: Any) -> StorageError:
    """A botocore ClientError in words: which of key, secret, bucket or endpoint is wrong."""
    info = error.response.get("Error") or {}
    code = str(info.get("Code") or "")
    status = (error.response.get("ResponseMetadata") or {}).get("HTTPStatusCode")
    message = str(info.get("Message") or error)
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
    if code.isdigit() or not code:
        return StorageError(
            "not-s3" if status and status >= 500 else "http",
            f"{target.endpoint} answered HTTP {status} without an S3 "
            "error document: is this an S3 API endpoint?",
            code,
        )
    return StorageError("http", f"S3 error {code}: {message}", code)


def classify_transport(target: S3Target, error: Exception) -> StorageError:
    """A failure before any S3 answer: TLS, timeout, DNS or a refused connection."""
    from botocore.exceptions import (
        ConnectTimeoutError,
        EndpointConnectionError,
        ReadTimeoutError,
        SSLError,
    )

    endpoint = target.endpoint
    text = str(error)
    if isinstance(error, SSLError):
        return StorageError(
            "tls",
            f"TLS verification of {endpoint} failed ({text}); give the CA bundle "
            "that signed its certificate with --s3-ca FILE (or $AWS_CA_BUNDLE)",
        )
    if isinstance(error, ConnectTimeoutError | ReadTimeoutError):
        return StorageError(
            "timeout",
            f"{endpoint} did not answer within {target.timeout:g} s (--request-timeout)",
        )
    if isinstance(error, EndpointConnectionError):
        lowered = text.lower()
        if "name or service not known" in lowered or "resolution" in lowered:
            return StorageError("dns", f"cannot resolve the host of {endpoint}")
        return StorageError(
            "refused", f"cannot connect to {endpoint}: connection refused or unreachable"
        )
    return StorageError("http", f"S3 request to {endpoint} failed: {text}")
