"""How a sweep reads the objects that expose LLMInferenceServices (the Gateway API HTTPRoutes and
Gateways, Kuadrant's AuthPolicies: reference rhoai-3x.md §6): one LIST of each across
namespaces instead of a GET per deployment (400 of a 1,000-deployment sweep's ~3,200 requests).

Only what was listed is held: a LIST the user may not make, or an API the cluster does not serve,
leaves the kind out, and the checks ask object by object as a single diagnosis does."""

from __future__ import annotations

import asyncio

from checks.cluster.kube import KubeClient, Raw
from checks.errors import KubeError

GATEWAY_API = "/apis/gateway.networking.k8s.io/v1"
KUADRANT_API = "/apis/kuadrant.io/v1"
EXPOSURE_APIS = {"httproutes": GATEWAY_API, "gateways": GATEWAY_API, "authpolicies": KUADRANT_API}

# plural -> (namespace, name) -> the object as the API server returned it
Exposure = dict[str, dict[tuple[str, str], Raw]]


async def list_exposure(kube: KubeClient) -> Exposure:
    """Each exposure kind across namespaces; the kinds that could not be listed are left out."""

    async def one(plural: str) -> tuple[str, list[Raw] | None]:
        try:
            return plural, await kube.list(f"{EXPOSURE_APIS[plural]}/{plural}")
        except KubeError:
            return plural, None

    held: Exposure = {}
    for plural, items in await asyncio.gather(*(one(p) for p in EXPOSURE_APIS)):
        if items is None:
            continue
        by_name: dict[tuple[str, str], Raw] = {}
        for item in items:
            meta = (item.get("metadata") if isinstance(item, dict) else None) or {}
            namespace, name = meta.get("namespace"), meta.get("name")
            if isinstance(namespace, str) and isinstance(name, str):
                by_name[(namespace, name)] = item
        held[plural] = by_name
    return held
