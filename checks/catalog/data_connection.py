"""data-connection: the secret, its storage-config entry, and whether S3 accepts it."""

from __future__ import annotations

from checks import facts, resources
from checks.context import CheckContext
from checks.engine import Outcome, Status
from checks.errors import KubeError
from checks.storage import StorageError

REMEDIES = {
    "no-scheme": "Edit the data connection: the endpoint must start with http:// or https:// "
    "(e.g. https://minio-api-minio.apps.example.com).",
    "not-s3": "Edit the data connection: use the S3 API route of your object store (for MinIO "
    "the 'minio-api' route, port 9000), not the web console route.",
    "bad-credentials": "Edit the data connection with the access key and secret key your S3 "
    "administrator gave you; check for pasted spaces.",
    "no-such-bucket": "Edit the data connection's bucket, or create the bucket on the S3 server.",
    "access-denied": "Grant these credentials read access (s3:ListBucket, s3:GetObject) on the "
    "bucket, or use credentials that have it.",
    "dns": "The host in AWS_S3_ENDPOINT does not resolve from here; check the name (the runtime "
    "resolves it inside the cluster: an internal service name is fine for the runtime, "
    "but this check then cannot reach it).",
    "refused": "Nothing answers at AWS_S3_ENDPOINT; check host and port.",
    "tls": "Give the S3 server's CA bundle (odh-kserve-custom-ca-bundle for the runtime).",
    "timeout": "The S3 endpoint did not answer; check host, port and network policies.",
}


class DataConnectionCheck:
    id = "data-connection"
    title = "Data connection"
    depends_on: tuple[str, ...] = ()
    not_for = {
        resources.LLMISVC: "LLMInferenceService: the model comes from model.uri, not a data connection"
    }

    async def run(self, ctx: CheckContext) -> Outcome:
        dep = ctx.deployment
        if dep.storage_uri and not dep.storage_key:
            if "://" not in dep.storage_uri:
                return Outcome.failed(
                    f"storageUri {dep.storage_uri!r} has no scheme, so KServe adds no "
                    "storage-initializer and the model directory stays empty",
                    "Write the URI with its scheme, e.g. s3://bucket/path.",
                    f"storageUri: {dep.storage_uri}",
                )
            return Outcome.passed(f"uses storageUri {dep.storage_uri} (no data connection)")
        if "secrets" in ctx.snapshot.errors:
            raise KubeError("forbidden", ctx.snapshot.error_line("secrets") or "forbidden")
        key = dep.storage_key or "default"
        connection = ctx.connection
        entry = ctx.storage_entry()
        evidence = [f"storage key: {key}"]
        if connection is None:
            names = (
                ", ".join(c.name for c in ctx.snapshot.connections if c.namespace == dep.namespace)
                or "none"
            )
            return Outcome.failed(
                f'storage key "{key}" names no data connection in {dep.namespace} '
                f"(connections: {names})",
                "Select an existing data connection in the deployment, or create one named "
                f'"{key}".',
                *evidence,
            )
        evidence += [
            f"endpoint: {connection.endpoint or '<empty>'}",
            f"bucket: {dep.storage_bucket or connection.bucket or '<empty>'}",
            f"region: {connection.region or '<empty>'}",
        ]
        if entry is None:
            labels = (
                []
                if connection.in_dashboard and connection.managed
                else [
                    "the secret lacks the opendatahub.io/dashboard=true and "
                    "opendatahub.io/managed=true labels"
                ]
            )
            return Outcome.failed(
                f'storage-config has no entry "{key}": the runtime cannot find the connection',
                "odh-model-controller copies only labelled connections into storage-config; "
                "recreate the connection in the dashboard, or wait ~2 min after creating it.",
                *evidence,
                *labels,
            )
        missing = connection.missing_keys()
        if missing:
            return Outcome.failed(
                f"data connection {connection.name} has empty or missing "
                f"keys: {', '.join(missing)}",
                "Edit the data connection and fill every field (the ModelMesh "
                "puller needs the region too).",
                *evidence,
            )
        try:
            await facts.bucket_access(ctx)
        except StorageError as error:
            outcome = Outcome.failed(
                str(error), REMEDIES.get(error.kind, "Fix the data connection."), *evidence
            )
            if error.kind in ("dns", "timeout"):
                return Outcome(
                    Status.ERROR,
                    f"could not reach S3 from here: {error}",
                    outcome.evidence,
                    outcome.remediation,
                )
            return outcome
        return Outcome.passed(
            f"{connection.name}: S3 accepts the credentials and bucket {facts.bucket(ctx)} exists",
            *evidence,
        )
