"""data-connection: the secret, its storage-config entry, and whether S3 accepts it."""

from __future__ import annotations

from checks import resources
from checks.engine import facts
from checks.engine.context import CheckContext
from checks.engine.runner import Outcome, Status
from checks.errors import KubeError, Unmet
from checks.knowledge.connection_refs import validate
from checks.storage.oci_registry import ImageRef, auth_for
from checks.storage.s3 import StorageError

NOT_CAPTURED = (
    "not in the capture"  # the words checks.capture.offline uses for a fact a capture lacks
)

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
        dep = ctx.isvc
        if dep.connection_ref:
            outcome = await self._referenced(ctx)
            if outcome is not None:
                return outcome
        elif dep.storage_uri and not dep.storage_key:
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
        if dep.credentials_from_storage_config and entry is None:
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
        missing = [
            k
            for k in connection.missing_keys()
            if not (k == "AWS_DEFAULT_REGION" and dep.connection_ref)  # optional in 3.x
        ]
        if missing:
            return Outcome.failed(
                f"data connection {connection.name} has empty or missing "
                f"keys: {', '.join(missing)}",
                "Edit the data connection and fill every field (the ModelMesh "
                "puller needs the region too).",
                *evidence,
            )
        if not dep.credentials_from_storage_config:
            account = dep.service_account or f"{connection.name}-sa"
            evidence.append(
                f"credentials: from service account {account} (its secrets), not storage-config"
            )
            if not dep.service_account:
                evidence.append(
                    "spec.predictor.serviceAccountName is empty: the webhook sets it to "
                    f"{connection.name}-sa; without it the storage-initializer has no S3 "
                    "credentials"
                )
            elif dep.service_account != f"{connection.name}-sa":
                evidence.append(
                    f"service account {dep.service_account} was set on the deployment (the "
                    f"webhook keeps it): it must list the secret {connection.name}"
                )
        try:
            evidence += await facts.s3_settings(ctx)
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

    @staticmethod
    async def _referenced(ctx: CheckContext) -> Outcome | None:
        """The `opendatahub.io/connections` Secret (3.x): usable, and of which kind? None: an
        S3 connection, checked below like any other."""
        dep = ctx.isvc
        if "secrets" in ctx.snapshot.errors:
            raise KubeError("forbidden", ctx.snapshot.error_line("secrets") or "forbidden")
        connection = ctx.connection
        here = [s.name for s in ctx.snapshot.secrets if s.namespace == dep.namespace]
        problem = validate(dep, connection, here)
        evidence = [f"annotation opendatahub.io/connections: {dep.connection_ref}"]
        if problem is not None:
            return Outcome.failed(problem.summary, problem.remediation, *evidence)
        assert connection is not None
        if connection.protocol == "uri":
            return await uri_outcome(ctx, connection)
        if connection.protocol == "oci":
            return await oci_outcome(ctx, connection)
        return None


def _inside_cluster(host: str) -> bool:
    return "." not in host or host.endswith((".svc", ".svc.cluster.local", ".cluster.local"))


async def uri_outcome(ctx: CheckContext, connection: resources.DataConnection) -> Outcome:
    """DNS, TCP, TLS and HTTP HEAD against the URI the webhook copies into storageUri."""
    uri = ctx.isvc.storage_uri or connection.uri
    if resources.elided(uri):
        raise Unmet(f"the URI of connection {connection.name}: {NOT_CAPTURED} (value elided)")
    shown = uri.split("?", 1)[0] + ("?…" if "?" in uri else "")  # a signed URL's query is secret
    evidence = [f"connection: {connection.name} (URI)", f"URI: {shown}"]
    if "://" not in uri:
        return Outcome.failed(
            f"the URI {shown!r} of connection {connection.name} has no scheme, so KServe adds "
            "no storage-initializer and the model directory stays empty",
            f"Edit the connection {connection.name}: write the URI with its scheme (https://…).",
            *evidence,
        )
    if not uri.startswith(("http://", "https://")):
        scheme = uri.split("://", 1)[0]
        return Outcome.passed(
            f"{connection.name}: {shown} ({scheme}:// is fetched by the storage-initializer; "
            "not probed from here)",
            *evidence,
        )
    result = await facts.uri_probe(ctx, uri)
    evidence += list(result.steps)
    host = uri.split("://", 1)[1].split("/", 1)[0].rsplit(":", 1)[0]
    if result.failed_step == "dns":
        summary = f"the URI's host {host} does not resolve from here"
        if _inside_cluster(host):
            return Outcome(
                Status.ERROR,
                summary + " (a cluster-internal name: the runtime may still reach it)",
                (*evidence, result.message),
                "Run the check from inside the cluster, or pass --resolve.",
            )
        return Outcome.failed(
            summary + ", so the storage-initializer cannot download the model either",
            f"Fix the host name in the connection {connection.name} (URI field).",
            *evidence,
            result.message,
        )
    if result.failed_step in ("tcp", "http") and result.answer is None:
        return Outcome(
            Status.ERROR,
            f"could not reach the URI's host {host} from here: {result.message}",
            tuple(evidence),
            "Check the host, port and network policies between the cluster and the server.",
        )
    if result.failed_step == "tls":
        return Outcome.failed(
            f"the URI's server {host}: {result.message}",
            "Give the server's CA bundle to the runtime (odh-kserve-custom-ca-bundle).",
            *evidence,
        )
    answer = result.answer
    status = answer.status if answer else 0
    if status in (401, 403):
        return Outcome.failed(
            f"{shown} answers HTTP {status}: the file needs credentials, and a URI connection "
            "carries none",
            "Use a public or pre-signed URL, or an S3 connection with credentials.",
            *evidence,
        )
    if status == 404:
        return Outcome.failed(
            f"{shown} answers HTTP 404: no file at that URL",
            f"Fix the path in the URI of connection {connection.name}.",
            *evidence,
        )
    if status >= 400:
        return Outcome.warned(
            f"{shown} answers HTTP {status}", "Check the URL in a browser.", *evidence
        )
    if answer is not None and answer.who == "a redirect":  # checks.endpoints.probe names the target
        return Outcome.warned(
            f"{shown} answers HTTP {status}, {answer.detail}: the "
            "storage-initializer follows redirects (it downloads with python requests), so the "
            "model comes from there; this check did not follow it",
            f"Put the final URL in the URI of connection {connection.name}, or check the "
            "redirect's target is reachable from the cluster.",
            *evidence,
        )
    return Outcome.passed(f"{connection.name}: {shown} answers HTTP {status}", *evidence)


async def oci_outcome(ctx: CheckContext, connection: resources.DataConnection) -> Outcome:
    """The pull secret against the oci:// image: hosts that match, then the registry's answer."""
    dep = ctx.isvc
    uri = dep.storage_uri
    evidence = [f"connection: {connection.name} (OCI)", f"storageUri: {uri or '<empty>'}"]
    ref = ImageRef.parse(uri) if uri.startswith("oci://") else None
    if ref is None:
        return Outcome.failed(
            f"the deployment uses OCI connection {connection.name} but its storageUri "
            f"{uri!r} is not an oci://registry/repository:tag URI",
            "Set the model URI to oci://<registry>/<repository>:<tag> (an image with the model "
            "under /models).",
            *evidence,
        )
    if resources.elided(connection.docker_config):
        raise Unmet(
            f"the pull secret of connection {connection.name}: {NOT_CAPTURED} (value elided)"
        )
    auths = resources.registry_auths(connection.docker_config)
    hosts = sorted(auths)
    evidence.append("pull secret registries: " + (", ".join(hosts) or "none"))
    if connection.oci_host:
        evidence.append(f"OCI_HOST: {connection.oci_host}")
    if dep.pull_secrets:
        evidence.append("imagePullSecrets: " + ", ".join(dep.pull_secrets))
    if connection.name not in dep.pull_secrets:
        evidence.append(
            f"{connection.name} is not in spec.predictor.imagePullSecrets: the kubelet pulls "
            "without its credentials (the webhook adds it)"
        )
    basic = auth_for(auths, ref)
    oci_host = connection.oci_host.split("://", 1)[-1].split("/", 1)[0]
    if basic is None or (oci_host and oci_host not in (ref.host, ref.bare_host)):
        return Outcome.failed(
            f"the image is on {ref.host} but connection {connection.name} holds credentials "
            f"for {', '.join(hosts) or 'no registry'}: the registry host within the model URI "
            "must match the connection's registry host",
            f"Use a connection for {ref.host}, or fix the registry in the model URI.",
            *evidence,
        )
    answer = await facts.registry_answer(ctx, ref, basic)
    evidence += list(answer.steps)
    init = facts.modelcar_init(ctx)
    if init is not None and (init.reason or init.last_message):
        evidence.append(
            f"{init.name}: {init.reason or init.state} {init.message or init.last_message}".strip()
        )
    if answer.kind == "ok":
        return Outcome.passed(f"{connection.name}: {answer.summary}", *evidence)
    if answer.kind == "unreachable":
        return Outcome(
            Status.ERROR,
            f"could not reach registry {ref.host} from here: {answer.summary}",
            tuple(evidence),
            "Check the registry host and the network between here and it.",
        )
    remedies = {
        "unauthorized": f"Edit the connection {connection.name} with a user and password (or "
        f"robot token) that may pull from {ref.host}.",
        "denied": f"Give the connection's account pull access to {ref.repository}.",
        "manifest-unknown": "Fix the repository or tag in the model URI (oci://…:<tag>); "
        "list the tags with `skopeo list-tags docker://" + f"{ref.host}/{ref.repository}`.",
    }
    return Outcome.failed(
        f"{answer.summary}, so the pod cannot pull {ref}",
        remedies.get(answer.kind, "Check the registry."),
        *evidence,
    )
