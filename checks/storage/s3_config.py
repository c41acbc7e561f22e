"""The storage initializer's S3 settings for one deployment, read from where the pod reads them
(controllers.md §5.1-5.2): the deployment's storage-config entry (storage.key; ModelMesh and
2.x connections), else the connection Secret its service account lists (3.x connections):
annotations `serving.kserve.io/s3-*` first, then the Secret's data keys."""

from __future__ import annotations

from checks.resources import DataConnection, StorageConfigEntry
from checks.storage.s3_target import S3Target

AWS_GLOBAL = "https://s3.amazonaws.com"


def _true(value: object) -> bool:
    return str(value).strip().lower() == "true"


def _verify(value: object) -> bool:
    """S3_VERIFY_SSL in ("0", "false") turns verification off; anything else keeps it."""
    return str(value).strip().lower() not in ("0", "false")


def _virtual(endpoint: str, region: str | None, asked: bool) -> bool:
    """S3_USER_VIRTUAL_BUCKET=true, or (v3.4+/master) AWS's global endpoint with a region
    other than us-east-1: the initializer then addresses bucket.host."""
    if asked:
        return True
    return endpoint.rstrip("/") == AWS_GLOBAL and bool(region) and region != "us-east-1"


def from_entry(entry: StorageConfigEntry, bucket: str, ca_bundle: str | None) -> S3Target:
    """`_update_with_storage_spec`: the JSON fields become the initializer's environment."""
    spec = entry.parsed or {}
    endpoint = str(spec.get("endpoint_url", "") or "")
    region = str(spec["region"]) if "region" in spec and spec["region"] is not None else None
    pod_ca = str(spec.get("ca_bundle", "") or "")
    return S3Target(
        endpoint,
        bucket or str(spec.get("bucket", "") or spec.get("default_bucket", "") or ""),
        region,
        str(spec.get("access_key_id", "") or ""),
        str(spec.get("secret_access_key", "") or ""),
        ca_bundle,
        _verify(spec.get("verify_ssl", "true")),
        session_token=str(spec.get("session_token", "") or ""),
        anonymous=_true(spec.get("anonymous", "")),
        virtual=_virtual(endpoint, region, False),
        ca_configmap=str(spec.get("cabundle_configmap", "") or ""),
        pod_ca_path=pod_ca,
        like_pod=True,
        source=f"storage-config entry {entry.key}",
    )


def from_service_account(
    connection: DataConnection, bucket: str, ca_bundle: str | None
) -> S3Target:
    """`BuildS3EnvVars` + `getEndpointConfiguration`: AWS_S3_ENDPOINT (the ODH patch) first;
    an endpoint without a scheme gets http:// only when S3_USE_HTTPS is "0"."""
    settings = dict(connection.s3_settings)
    endpoint = connection.endpoint or settings.get("endpoint", "")
    if endpoint and "://" not in endpoint:
        scheme = "http" if settings.get("usehttps", "").strip() == "0" else "https"
        endpoint = f"{scheme}://{endpoint}"
    region = settings.get("region")
    return S3Target(
        endpoint,
        bucket or connection.bucket,
        region,
        connection.access_key_id,
        connection.secret_access_key,
        ca_bundle,
        _verify(settings.get("verifyssl", "true")),
        session_token=connection.session_token,
        anonymous=_true(settings.get("anonymous", "")),
        virtual=_virtual(endpoint, region, _true(settings.get("virtual", ""))),
        ca_configmap=settings.get("cabundle_configmap", ""),
        pod_ca_path=settings.get("cabundle", ""),
        like_pod=True,
        source=f"the secret {connection.name} of the service account",
    )
