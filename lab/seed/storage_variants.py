"""The S3 that the storage scenarios (lab/scenarios_storage.py) differ by: the lab's S3 over TLS
with the lab's CA, the CA bundle ConfigMap odh-model-controller points storage-config at, and a
public bucket read with the service-account secret's anonymous annotation (controllers.md §5)."""

from __future__ import annotations

from lab import objects
from lab.s3 import REGION, LabS3
from lab.scenario_types import Scenario
from lab.scenarios_storage import CA_CONFIGMAP, S3_VARIANTS
from lab.seed.base import CONNECTION, SeederBase

ANONYMOUS_ANNOTATION = "serving.kserve.io/s3-useanoncredential"
VERIFY_ANNOTATION = "serving.kserve.io/s3-verifyssl"
PLACEHOLDER_KEY = (
    "AKIALABANONYMOUS00"  # the dashboard wants a key; an anonymous read never sends it
)


class StorageVariantSeeding(SeederBase):
    tls_s3: LabS3 | None = None  # the lab's S3 over TLS (the same buckets), set by the daemon
    ca_file: str = ""  # the lab CA that signed its certificate

    def _data_connection(self, sc: Scenario) -> dict:
        variant = S3_VARIANTS.get(sc.project, "")
        entry = super()._data_connection(sc)  # type: ignore[misc]  # DashboardSeeding
        if not variant:
            return entry
        if variant in ("private-ca", "ca-not-in-pod", "verify-off"):
            assert self.tls_s3 is not None
            entry["endpoint_url"] = self.tls_s3.endpoint
        if variant == "private-ca":
            entry["cabundle_configmap"] = CA_CONFIGMAP
            with open(self.ca_file, encoding="utf-8") as pem:
                self.store.put(
                    {
                        "kind": "ConfigMap",
                        "metadata": {"name": CA_CONFIGMAP, "namespace": sc.project},
                        "data": {"cabundle.crt": pem.read()},
                    }
                )
        if variant == "anonymous":
            self.s3.public_buckets.add(f"{sc.project}-{sc.bucket}")
            entry.update(access_key_id=PLACEHOLDER_KEY, secret_access_key=PLACEHOLDER_KEY)
        values = {
            "AWS_ACCESS_KEY_ID": entry["access_key_id"],
            "AWS_SECRET_ACCESS_KEY": entry["secret_access_key"],
            "AWS_S3_ENDPOINT": entry["endpoint_url"],
            "AWS_DEFAULT_REGION": entry["region"],
            "AWS_S3_BUCKET": entry["bucket"],
        }
        self.store.put(objects.data_connection(CONNECTION, sc.project, "models", values))
        self.store.put(objects.storage_config(sc.project, {CONNECTION: entry}))
        # what the lab's own storage initializer needs to do as the pod does (lab/runtime.py)
        pod = dict(entry)
        if variant == "private-ca":
            pod["_ca_file"] = self.ca_file
        if variant == "anonymous":
            pod["anonymous"] = "true"
        if variant == "verify-off":
            pod["verify_ssl"] = "0"  # S3_VERIFY_SSL, from the connection's annotation
        return pod

    def _connection_secret(self, sc: Scenario, name: str) -> dict:
        secret = super()._connection_secret(sc, name)  # type: ignore[misc]  # ConnectionSeeding
        variant = S3_VARIANTS.get(sc.project)
        if variant == "anonymous":
            secret["metadata"].setdefault("annotations", {})[ANONYMOUS_ANNOTATION] = "true"
            keys = (PLACEHOLDER_KEY, PLACEHOLDER_KEY)
            self._connection_values(sc, name, secret, keys, self.s3.endpoint)
        if variant == "verify-off":
            assert self.tls_s3 is not None
            secret["metadata"].setdefault("annotations", {})[VERIFY_ANNOTATION] = "0"
            keys = (self.creds.access_key_id, self.creds.secret_access_key)
            self._connection_values(sc, name, secret, keys, self.tls_s3.endpoint)
        return secret

    def _connection_values(
        self, sc: Scenario, name: str, secret: dict, keys: tuple[str, str], endpoint: str
    ) -> None:
        """The Secret's S3 keys, and the storage-config entry odh-model-controller makes of
        them (its own fields only: annotations never reach it)."""
        values = {
            "AWS_ACCESS_KEY_ID": keys[0],
            "AWS_SECRET_ACCESS_KEY": keys[1],
            "AWS_S3_ENDPOINT": endpoint,
            "AWS_DEFAULT_REGION": REGION,
            "AWS_S3_BUCKET": f"{sc.project}-{sc.bucket}",
        }
        for field, value in values.items():
            secret["data"][field] = objects.b64(value)
        entry = objects.storage_config_entry(values, three_x=sc.three_x)
        self.store.put(objects.storage_config(sc.project, {name: entry}))
