"""S3 failures named for a person: an S3 refusal or a transport failure (as boto3 raises them),
told as which of the credentials, the bucket, the key, the endpoint or the network is wrong."""

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


def _region_words(region: str | None) -> str:
    return "an empty region" if region == "" else (region or "no region (boto3: us-east-1)")


def classify_answer(
    target: S3Target, code: str, status: int, message: str, region: str = "", key: str = ""
) -> StorageError:
    """An S3 refusal in words: which of key, secret, bucket, object or endpoint is wrong.
    `code` is the error document's Code, or the HTTP status as text when there was none (a
    HEAD answer has no body), as boto3 reports it; `key` is the object a HEAD or GET asked for
    (a 404 then means that object, not the bucket); `region` is the bucket's, as S3 says."""
    bucket = target.bucket
    if code in ("InvalidAccessKeyId", "SignatureDoesNotMatch", "InvalidToken", "ExpiredToken"):
        detail = {
            "InvalidAccessKeyId": "the access key id is unknown to the S3 server",
            "SignatureDoesNotMatch": "the secret access key does not match the key id",
        }.get(code, "the session token is not valid (expired, or not for these keys)")
        return StorageError(
            "bad-credentials", f"S3 rejected the credentials ({code}): {detail}", code
        )
    if code == "NoSuchKey" or (key and code == "404" and status == 404):
        return StorageError(
            "no-such-key", f'no such key "{key}" in bucket "{bucket}" (NoSuchKey)', "NoSuchKey"
        )
    if code in ("NoSuchBucket",) or (code == "404" and status == 404):
        return StorageError(
            "no-such-bucket",
            f'bucket "{bucket}" does not exist on {target.endpoint} (NoSuchBucket)',
            "NoSuchBucket",
        )
    if code in ("AccessDenied", "403", "AllAccessDisabled"):
        why = " (requests unsigned: anonymous is on)" if target.anonymous else ""
        return StorageError(
            "access-denied",
            f'S3 denied access to bucket "{bucket}" ({code or status}): {message}{why}',
            code,
        )
    if region and region != target.region:
        return StorageError(
            "http",
            f'S3 error {code}: bucket "{bucket}" is in region {region}, the connection says '
            f"{_region_words(target.region)} (AWS_DEFAULT_REGION)",
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
        kwargs = getattr(current, "kwargs", None)
        inner = kwargs.get("error") if isinstance(kwargs, dict) else None
        current = current.__cause__ or current.__context__ or inner
    return found


UNLOADABLE_CA = "unloadable-ca"  # the code of a CA file ssl refused: no handshake to compare


def _unloadable_ca(error: BaseException) -> bool:
    """ssl refusing the CA file while loading it ([X509] PEM lib), not a handshake's failure."""
    return isinstance(error, ssl.SSLError) and getattr(error, "library", None) in ("X509", "PEM")


def tls_failure(target: S3Target, text: str, trust: str, local: str = "") -> StorageError:
    """Verification failed with the pod's trust; `local` says what this machine's store says."""
    hint = (
        "put the CA that signed its certificate in the ConfigMap odh-kserve-custom-ca-bundle "
        "(cabundle.crt)"
        if target.like_pod
        else "give the CA bundle that signed its certificate with --s3-ca FILE (or $AWS_CA_BUNDLE)"
    )
    return StorageError(
        "tls",
        f"TLS verification of {target.endpoint} failed with {trust}{local} ({text}); {hint}",
    )


def classify_exception(
    target: S3Target, error: BaseException, trust: str = "", key: str = ""
) -> StorageError:
    """A failure before any S3 answer, or an answer boto3 could not read: TLS, timeout, DNS,
    a refused connection, a broken answer, an answer that is not S3's."""
    from botocore import exceptions as boto
    from botocore.parsers import ResponseParserError

    endpoint = target.endpoint
    text = str(error)
    causes = _causes(error)
    if isinstance(error, boto.ClientError):
        found = error.response.get("Error", {}) or {}
        meta = error.response.get("ResponseMetadata", {}) or {}
        headers = meta.get("HTTPHeaders", {}) or {}
        status = int(meta.get("HTTPStatusCode", 0) or 0)
        code = str(found.get("Code", "") or status)
        message = str(found.get("Message", "") or "")
        region = str(found.get("Region", "") or headers.get("x-amz-bucket-region", "") or "")
        operation = getattr(error, "operation_name", "")
        if operation not in ("HeadObject", "GetObject"):
            key = ""
        return classify_answer(target, code, status, message, region, key)
    if isinstance(error, (boto.IncompleteReadError, boto.ResponseStreamingError)):
        return StorageError(
            "truncated",
            f"{endpoint} cut its answer short ({text}): a proxy or the S3 server closed the "
            "connection",
        )
    if isinstance(error, boto.SSLError) or any(isinstance(c, ssl.SSLError) for c in causes):
        if any(_unloadable_ca(c) for c in causes):  # before any handshake: the file itself
            return StorageError(
                "tls",
                f"{trust or 'the CA bundle'} holds no certificate ssl can load ({text}): give "
                "the PEM CA bundle that signed the S3 endpoint's certificate",
                UNLOADABLE_CA,
            )
        return tls_failure(target, text, trust or "the trust store")
    if isinstance(error, (boto.ConnectTimeoutError, boto.ReadTimeoutError)):
        return StorageError(
            "timeout",
            f"{endpoint} did not answer within {target.timeout:g} s (--request-timeout)",
        )
    if isinstance(error, boto.EndpointConnectionError):
        lowered = text.lower()
        if any(isinstance(c, socket.gaierror) for c in causes) or "resolv" in lowered:
            return StorageError("dns", f"cannot resolve the host of {endpoint}")
        return StorageError(
            "refused", f"cannot connect to {endpoint}: connection refused or unreachable"
        )
    if isinstance(error, boto.ConnectionClosedError):
        return StorageError(
            "http", f"{endpoint} closed the connection without a complete answer ({text})"
        )
    if isinstance(error, ResponseParserError):
        return StorageError(
            "not-s3",
            f"{endpoint} answered with a body that is not an S3 answer (boto3 could not parse "
            "it as S3's XML): is this an S3 API endpoint?",
        )
    if isinstance(error, (boto.NoCredentialsError, boto.PartialCredentialsError)):
        return StorageError(
            "missing-field",
            "the connection has no access key id or secret access key (and anonymous is not "
            "on): boto3 in the storage initializer fails the same way (Unable to locate "
            "credentials)",
        )
    return StorageError("http", f"S3 request to {endpoint} failed: {text}")
