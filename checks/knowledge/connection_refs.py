"""The 3.x connection reference: does the Secret an InferenceService names in its
`opendatahub.io/connections` annotation exist and carry what odh-model-controller's webhook needs?

Worded close to the webhook's own rejections (odh-model-controller connectionapi), so a person who
saw the admission error recognises it here. Pure: reads recorded objects only.
"""

from __future__ import annotations

from dataclasses import dataclass

from checks import resources
from checks.resources.connections import PROTOCOL_ANNOTATION, PROTOCOLS, TYPE_REFS

ANNOTATION = "opendatahub.io/connections"


@dataclass(frozen=True)
class RefProblem:
    """Why the reference cannot work, and the field to change."""

    summary: str
    remediation: str


def validate(
    dep: resources.Deployment,
    connection: resources.DataConnection | None,
    secrets_here: list[str],
) -> RefProblem | None:
    """None when the reference is usable; otherwise the webhook's reason."""
    name, ns = dep.connection_ref, dep.namespace
    if connection is None:
        hint = (
            f" (a secret {name} exists but lacks the opendatahub.io/dashboard=true label or a "
            "connection-type annotation)"
            if name in secrets_here
            else ""
        )
        return RefProblem(
            f'connection "{name}" referenced by annotation "{ANNOTATION}" not found in '
            f'namespace "{ns}"{hint}',
            f"Create the connection {name} in {ns} (dashboard: Connections), or set the "
            f"deployment's {ANNOTATION} annotation to an existing one.",
        )
    if not connection.protocol_annotation and connection.type_ref not in TYPE_REFS:
        return RefProblem(
            f'connection "{name}" must have a "{PROTOCOL_ANNOTATION}" annotation on the Secret',
            f"Annotate the secret: oc annotate secret {name} -n {ns} "
            f"{PROTOCOL_ANNOTATION}=s3 (or uri, oci).",
        )
    if connection.protocol not in PROTOCOLS:
        return RefProblem(
            f'connection "{name}" has unsupported connection type "{connection.protocol}"; '
            "supported types are s3, uri, oci",
            f"Set {PROTOCOL_ANNOTATION} on the secret {name} to s3, uri or oci.",
        )
    if connection.protocol == "uri" and not connection.uri:
        return RefProblem(
            f"connection \"{name}\" does not contain 'https-host' or 'URI' data key",
            f"Edit the connection {name} and fill its URI field.",
        )
    if connection.protocol == "s3" and not connection.bucket and not dep.storage_bucket:
        return RefProblem(
            f'S3 connection "{name}" has no AWS_S3_BUCKET: the runtime does not know which '
            "bucket to read",
            f"Edit the connection {name} and fill its bucket field.",
        )
    if connection.protocol == "oci" and not connection.docker_config:
        return RefProblem(
            f'OCI connection "{name}" has no .dockerconfigjson: there are no registry '
            "credentials to pull with",
            f"Edit the connection {name} and give the registry credentials (pull secret).",
        )
    return None
