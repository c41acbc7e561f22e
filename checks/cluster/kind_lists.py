"""One kind's LIST as a snapshot and an informer make it: the preferred served version, else the
older one (404), each item saying which version answered; with the LIST's resourceVersion, so
an informer can watch on from a snapshot's LIST instead of listing again."""

from __future__ import annotations

from checks.cluster.kube import KubeClient, Raw
from checks.cluster.snapshot_kinds import FALLBACK_PREFIXES, KIND_PATHS, kind_path
from checks.errors import KubeError


async def list_kind(kube: KubeClient, kind: str, namespace: str | None) -> list[Raw]:
    """One LIST of `kind` in `namespace` (None: all namespaces)."""
    items, _, _ = await list_kind_versioned(kube, kind, namespace)
    return items


async def list_kind_versioned(
    kube: KubeClient, kind: str, namespace: str | None
) -> tuple[list[Raw], str, str]:
    """(items, the path that answered, the LIST's resourceVersion: "" if it gave none)."""
    path = kind_path(kind, namespace)
    try:
        items, version = await kube.list_versioned(path)
    except KubeError as error:
        older = FALLBACK_PREFIXES.get(kind)
        if error.kind != "not-found" or older is None:
            raise
        path = path.replace(KIND_PATHS[kind][0], older, 1)
        items, version = await kube.list_versioned(path)
    api_version = "/".join(path.removeprefix("/apis/").split("/")[:2])
    for item in items:
        if isinstance(item, dict) and not item.get("apiVersion"):
            item["apiVersion"] = api_version
    return items, path, version
