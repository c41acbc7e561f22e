"""Data connections (S3, URI and OCI secrets), the storage-config entries made from them, and any
secret as the secrets pane shows it (keys, never values)."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from datetime import datetime

from checks.resources.common import (
    AWS_KEYS,
    Raw,
    _annotations,
    _decode,
    _in_dashboard,
    _labels,
    _meta,
    parse_time,
)

PROTOCOL_ANNOTATION = "opendatahub.io/connection-type-protocol"
PROTOCOLS = ("s3", "uri", "oci")
# connection-type-ref values the dashboard ships and the webhook still accepts (deprecated)
TYPE_REFS = {"s3": "s3", "uri-v1": "uri", "oci-v1": "oci"}


def connection_protocol(annotations: dict[str, str], values: dict[str, str]) -> str:
    """s3, uri or oci: the protocol annotation first (what the webhook reads), then the
    connection-type-ref, then the legacy connection-type; a secret with none of them but AWS keys
    is an S3 connection (2.x)."""
    for word in (
        annotations.get(PROTOCOL_ANNOTATION, ""),
        TYPE_REFS.get(annotations.get("opendatahub.io/connection-type-ref", ""), ""),
        annotations.get("opendatahub.io/connection-type-ref", ""),
        annotations.get("opendatahub.io/connection-type", ""),
    ):
        if word:
            return word.strip().lower()
    if "URI" in values or "https-host" in values:
        return "uri"
    if ".dockerconfigjson" in values:
        return "oci"
    return "s3"


def registry_auths(docker_config: str) -> dict[str, str]:
    """host -> base64 "user:password" from a .dockerconfigjson; hosts bare (no scheme, no path).

    Bad JSON or odd shapes give an empty mapping: the caller says the secret holds no usable
    credentials."""
    try:
        parsed = json.loads(docker_config) if docker_config else {}
    except ValueError:
        return {}
    auths = parsed.get("auths") if isinstance(parsed, dict) else None
    if not isinstance(auths, dict):
        return {}
    found = {}
    for key, entry in auths.items():
        host = str(key).split("://", 1)[-1].split("/", 1)[0]
        auth = entry.get("auth", "") if isinstance(entry, dict) else ""
        if isinstance(entry, dict) and not auth and entry.get("username"):
            raw = f"{entry.get('username')}:{entry.get('password', '')}".encode()
            auth = base64.b64encode(raw).decode()
        found[host] = str(auth or "")
    return found


# KServe's service-account path: annotation first, then the Secret's data key (s3_secret.go)
S3_SETTINGS = {
    "endpoint": ("serving.kserve.io/s3-endpoint", "S3_ENDPOINT"),
    "usehttps": ("serving.kserve.io/s3-usehttps", "S3_USE_HTTPS"),
    "verifyssl": ("serving.kserve.io/s3-verifyssl", "S3_VERIFY_SSL"),
    "anonymous": ("serving.kserve.io/s3-useanoncredential", "awsAnonymousCredential"),
    "region": ("serving.kserve.io/s3-region", "AWS_DEFAULT_REGION"),
    "virtual": ("serving.kserve.io/s3-usevirtualbucket", "S3_USER_VIRTUAL_BUCKET"),
    "cabundle": ("serving.kserve.io/s3-cabundle", "AWS_CA_BUNDLE"),
    "cabundle_configmap": ("serving.kserve.io/s3-cabundle-configmap", "AWS_CA_BUNDLE_CONFIGMAP"),
}


def _s3_settings(
    annotations: dict[str, str], values: dict[str, str]
) -> tuple[tuple[str, str], ...]:
    found = []
    for name, (annotation, key) in S3_SETTINGS.items():
        if annotation in annotations:
            found.append((name, str(annotations[annotation])))
        elif key in values:
            found.append((name, values[key]))
    return tuple(found)


@dataclass(frozen=True)
class DataConnection:
    """An S3 data connection secret; secret values are kept out of repr and shown masked."""

    name: str
    namespace: str
    display_name: str
    connection_type: str
    in_dashboard: bool
    managed: bool
    keys: tuple[str, ...]
    endpoint: str
    bucket: str
    region: str
    access_key_id: str = field(repr=False, default="")
    secret_access_key: str = field(repr=False, default="")
    protocol: str = "s3"  # s3, uri, oci, or the unsupported word the annotations give
    protocol_annotation: str = ""  # opendatahub.io/connection-type-protocol as written
    type_ref: str = ""  # opendatahub.io/connection-type-ref as written
    secret_type: str = "Opaque"
    uri: str = ""  # URI connections: data key URI (or https-host)
    oci_host: str = ""  # OCI connections: data key OCI_HOST
    docker_config: str = field(repr=False, default="")  # .dockerconfigjson, never shown
    session_token: str = field(repr=False, default="")  # AWS_SESSION_TOKEN, when present
    # what KServe's service-account path reads besides the keys (controllers.md §5.1):
    # serving.kserve.io/s3-* annotations and their data-key twins, as (name, value)
    s3_settings: tuple[tuple[str, str], ...] = ()

    @property
    def kind_label(self) -> str:
        """S3 / URI / OCI, as the TYPE column shows it."""
        return self.protocol.upper() if self.protocol in PROTOCOLS else self.protocol or "?"

    def registry_hosts(self) -> list[str]:
        """The registry hosts the pull secret has credentials for (`auths` keys, bare hosts)."""
        return sorted(registry_auths(self.docker_config))

    @classmethod
    def parse(cls, raw: Raw) -> DataConnection:
        values = _decode(raw.get("data"))
        annotations = _annotations(raw)
        ctype = (
            annotations.get("opendatahub.io/connection-type")
            or annotations.get("opendatahub.io/connection-type-ref")
            or ""
        )
        protocol_annotation = annotations.get(PROTOCOL_ANNOTATION, "")
        type_ref = annotations.get("opendatahub.io/connection-type-ref", "")
        return cls(
            name=_meta(raw).get("name", ""),
            namespace=_meta(raw).get("namespace", ""),
            display_name=annotations.get("openshift.io/display-name", ""),
            connection_type=ctype,
            in_dashboard=_in_dashboard(raw),
            managed=_labels(raw).get("opendatahub.io/managed") == "true",
            keys=tuple(sorted(values)),
            endpoint=values.get("AWS_S3_ENDPOINT", ""),
            bucket=values.get("AWS_S3_BUCKET", ""),
            region=values.get("AWS_DEFAULT_REGION", ""),
            access_key_id=values.get("AWS_ACCESS_KEY_ID", ""),
            secret_access_key=values.get("AWS_SECRET_ACCESS_KEY", ""),
            protocol=connection_protocol(annotations, values),
            protocol_annotation=protocol_annotation,
            type_ref=type_ref,
            secret_type=str(raw.get("type", "Opaque")),
            uri=values.get("https-host") or values.get("URI", ""),
            oci_host=values.get("OCI_HOST", ""),
            docker_config=values.get(".dockerconfigjson", ""),
            session_token=values.get("AWS_SESSION_TOKEN", ""),
            s3_settings=_s3_settings(annotations, values),
        )

    @staticmethod
    def is_connection(raw: Raw) -> bool:
        """Dashboard rule: the dashboard label plus a connection-type annotation (docs/domain.md §1.2)."""
        annotations = _annotations(raw)
        return (
            _in_dashboard(raw)
            and any(
                k in annotations
                for k in (
                    "opendatahub.io/connection-type",
                    "opendatahub.io/connection-type-ref",
                    "opendatahub.io/connection-type-protocol",
                )
            )
        ) or (raw.get("type") == "Opaque" and "AWS_S3_ENDPOINT" in (raw.get("data") or {}))

    def missing_keys(self) -> list[str]:
        values = {
            "AWS_ACCESS_KEY_ID": self.access_key_id,
            "AWS_SECRET_ACCESS_KEY": self.secret_access_key,
            "AWS_S3_ENDPOINT": self.endpoint,
            "AWS_DEFAULT_REGION": self.region,
            "AWS_S3_BUCKET": self.bucket,
        }
        return [k for k in AWS_KEYS if not values[k]]


@dataclass(frozen=True)
class StorageConfigEntry:
    key: str
    parsed: Raw | None  # None when the JSON does not parse
    error: str = ""


def parse_storage_config(raw: Raw) -> dict[str, StorageConfigEntry]:
    entries = {}
    for key, value in _decode(raw.get("data")).items():
        try:
            parsed = json.loads(value)
            entries[key] = StorageConfigEntry(
                key=key,
                parsed=parsed if isinstance(parsed, dict) else None,
                error="" if isinstance(parsed, dict) else "not an object",
            )
        except ValueError as error:
            entries[key] = StorageConfigEntry(key=key, parsed=None, error=f"invalid JSON: {error}")
    return entries


@dataclass(frozen=True)
class SecretInfo:
    """Any secret, for the secrets pane: its keys, never its values."""

    name: str
    namespace: str
    type: str
    keys: tuple[str, ...]
    in_dashboard: bool
    service_account: str
    display_name: str
    created: datetime | None
    token: str = field(repr=False, default="")

    @classmethod
    def parse(cls, raw: Raw) -> SecretInfo:
        values = _decode(raw.get("data"))
        annotations = _annotations(raw)
        return cls(
            name=_meta(raw).get("name", ""),
            namespace=_meta(raw).get("namespace", ""),
            type=str(raw.get("type", "Opaque")),
            keys=tuple(sorted(values)),
            in_dashboard=_in_dashboard(raw),
            service_account=annotations.get("kubernetes.io/service-account.name", ""),
            display_name=annotations.get("openshift.io/display-name", ""),
            created=parse_time(_meta(raw).get("creationTimestamp")),
            token=values.get("token", "")
            if raw.get("type") == "kubernetes.io/service-account-token"
            else "",
        )

    @property
    def is_token(self) -> bool:
        return self.type == "kubernetes.io/service-account-token"
