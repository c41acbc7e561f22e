"""Which bucket, where, with which keys and TLS settings: what every S3 request needs, in a
module of its own so the reader (s3.py), its boto3 client (s3_boto.py) and the words for its
failures (s3_errors.py) all import it and none of them imports another back.

The fields are the storage initializer's own settings (controllers.md §5.1-5.2): the endpoint's
scheme decides TLS, the region may be "" (boto3 then signs with an empty region, as the pod
does) or None (not set: boto3's default), and the trust is what the pod verifies with."""

from __future__ import annotations

from dataclasses import dataclass, field

from checks.resources import DataConnection
from checks.transport.addressing import Override


@dataclass(frozen=True)
class S3Target:
    endpoint: str
    bucket: str
    region: str | None
    access_key_id: str = field(repr=False, default="")
    secret_access_key: str = field(repr=False, default="")
    ca_bundle: str | None = None  # a local file: --s3-ca, else $AWS_CA_BUNDLE
    verify: bool = True  # verify_ssl / S3_VERIFY_SSL
    timeout: float = 5.0
    overrides: tuple[Override, ...] = ()  # --resolve / --connect-to, as for routes
    session_token: str = field(repr=False, default="")
    anonymous: bool = False  # anonymous / awsAnonymousCredential: requests go unsigned
    virtual: bool = False  # virtual-hosted addressing (bucket.host), as the initializer decides
    ca_configmap: str = ""  # cabundle_configmap: the pod trusts its cabundle.crt (+ certifi)
    ca_configmap_pem: str = field(repr=False, default="")  # that ConfigMap's PEM, read by GET
    ca_configmap_note: str = ""  # why the ConfigMap's PEM is missing ("forbidden", "no key")
    pod_ca_path: str = ""  # ca_bundle / AWS_CA_BUNDLE: a file inside the pod
    like_pod: bool = False  # built from the deployment: verify as the pod would, not as here
    source: str = ""  # where the settings came from, for the evidence

    @property
    def tls(self) -> bool:
        return self.endpoint.lower().startswith("https://")

    @classmethod
    def from_connection(
        cls,
        connection: DataConnection,
        *,
        bucket: str | None = None,
        ca_bundle: str | None = None,
        verify: bool = True,
    ) -> S3Target:
        """The connection Secret read as boto3 would read its keys (inspect s3://, where no
        deployment says more); an empty region stays empty, as the pod's env has it."""
        return cls(
            connection.endpoint,
            bucket or connection.bucket,
            connection.region,
            connection.access_key_id,
            connection.secret_access_key,
            ca_bundle,
            verify,
            session_token=connection.session_token,
            source=f"data connection {connection.name}",
        )

    def same_requests(self) -> str:
        """A name shared by every target whose S3 requests are the same (settings and keys):
        deployments of a project reading one bucket through one connection ask its listing and
        its model once. Kept in memory only; the keys enter as a digest."""
        import hashlib

        keys = "\0".join((self.access_key_id, self.secret_access_key, self.session_token))
        digest = hashlib.sha256(f"{keys}\0{self.ca_configmap_pem}".encode()).hexdigest()[:24]
        return f"{digest}:{self!r}"
