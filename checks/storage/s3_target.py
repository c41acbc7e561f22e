"""Which bucket, where, with which keys and TLS settings: what every S3 request needs, in a
module of its own so the reader (s3.py), its HTTP client (s3_client.py) and the words for its
failures (s3_errors.py) all import it and none of them imports another back."""

from __future__ import annotations

from dataclasses import dataclass, field

from checks.resources import DataConnection
from checks.transport.addressing import Override


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
