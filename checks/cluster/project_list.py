"""The projects a user can see: OpenShift's projects, or plain namespaces on vanilla
Kubernetes (the project list pane, `get projects`, a sweep's project objects)."""

from __future__ import annotations

from checks import resources
from checks.cluster.kube import KubeClient
from checks.errors import KubeError


async def load_projects(kube: KubeClient) -> list[resources.Project]:
    """OpenShift projects the user can see; plain namespaces on vanilla Kubernetes."""
    try:
        items = await kube.list("/apis/project.openshift.io/v1/projects")
    except KubeError as error:
        if error.kind != "not-found":
            raise
        items = await kube.list("/api/v1/namespaces")
    return sorted((resources.Project.parse(x) for x in items), key=lambda p: p.name)
