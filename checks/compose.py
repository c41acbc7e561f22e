"""Compose a v2 inference request from the model itself: URL from the route, token from the token
secret, body from the ONNX graph (read from S3) — and say where each piece came from."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import httpx

from checks import resources as r
from checks.addressing import address, overrides
from checks.catalog.model_format import model_signature
from checks.catalog.route import expected_url
from checks.catalog.token import model_token
from checks.context import CheckContext
from checks.errors import DoctorError, KubeError

SAMPLE = {"BOOL": True, "BYTES": "text"}


@dataclass(frozen=True)
class Prefill:
    url: str
    token: str | None = field(repr=False)
    token_source: str
    request: dict
    signature: Any
    model_key: str
    notes: tuple[str, ...]

    @property
    def infer_url(self) -> str:
        return self.url


def concrete_shape(dims: tuple | None, batch: int = 1) -> list[int]:
    """Dynamic dims become 1 (the first, the batch, becomes `batch`)."""
    shape = []
    for index, dim in enumerate(dims or (1,)):
        if isinstance(dim, int) and dim > 0:
            shape.append(dim)
        else:
            shape.append(batch if index == 0 else 1)
    return shape


def sample_values(datatype: str, count: int) -> list:
    if datatype in SAMPLE:
        return [SAMPLE[datatype]] * count
    if datatype.startswith(("FP", "BF")):
        return [round(0.5 + i * 0.25, 2) for i in range(count)]
    return [i % 3 + 1 for i in range(count)]


def example_request(signature: Any, data: list | None = None) -> dict:
    """Every input with its name, datatype and shape, sample data, and the real outputs."""
    inputs = []
    for spec in signature.inputs:
        shape = concrete_shape(spec.dims)
        values = sample_values(spec.datatype, math.prod(shape))
        if data is not None and len(signature.inputs) == 1:
            per_row = math.prod(shape[1:]) if len(shape) > 1 else 1
            shape = [max(1, len(data) // per_row), *shape[1:]] if shape else [len(data)]
            values = data
        inputs.append(
            {"name": spec.name, "shape": shape, "datatype": spec.datatype, "data": values}
        )
    return {"inputs": inputs, "outputs": [{"name": spec.name} for spec in signature.outputs]}


async def prefill(ctx: CheckContext, data: list | None = None) -> Prefill:
    dep = ctx.deployment
    notes = []
    url, why = expected_url(ctx)
    if url is None:
        raise DoctorError(
            "no-route",
            f"{dep.name} has no external URL ({why}): enable the "
            "route, or call it from inside the cluster at "
            f"{dep.rest_url or dep.internal_url or 'its internal address'}",
        )
    url = url.rstrip("/")
    if not url.endswith(f"/v2/models/{dep.name}"):
        url = f"{url}/v2/models/{dep.name}"
    notes.append(f"URL from {why}")
    try:
        token, source = await model_token(ctx)
    except KubeError as error:
        token, source = None, str(error)
    if token is None and ctx.cluster.token:
        token, source = ctx.cluster.token, f"your own token ({source})"
    notes.append(f"token from {source}")
    key, signature = await model_signature(ctx)
    storage = ctx.storage()
    bucket = storage.target.bucket if storage else "?"
    notes.append(f"body from the ONNX graph of s3://{bucket}/{key}")
    notes.append(await metadata_note(ctx, url, token, signature))
    if dep.platform == r.MODELMESH:
        notes.append("ModelMesh's REST proxy serves only metadata and infer")
    return Prefill(
        f"{url}/infer",
        token,
        source,
        example_request(signature, data),
        signature,
        key,
        tuple(notes),
    )


def metadata_disagreements(metadata: dict, signature: Any) -> list[str]:
    """Where the server's /v2/models/{name} metadata and the ONNX graph differ."""
    found = []
    served = {t.get("name"): t for t in metadata.get("inputs") or [] if isinstance(t, dict)}
    for spec in signature.inputs:
        tensor = served.pop(spec.name, None)
        if tensor is None:
            found.append(f'the server does not list input "{spec.name}"')
            continue
        if tensor.get("datatype") != spec.datatype:
            found.append(
                f'input "{spec.name}": server says {tensor.get("datatype")}, graph '
                f"says {spec.datatype}"
            )
        graph_shape = [d if isinstance(d, int) and d > 0 else -1 for d in spec.dims or ()]
        if spec.dims is not None and list(tensor.get("shape") or []) != graph_shape:
            found.append(
                f'input "{spec.name}": server shape {tensor.get("shape")}, graph '
                f"shape {graph_shape}"
            )
    found += [f'the server lists input "{name}" the graph does not have' for name in served]
    return found


async def fetch_metadata(ctx: CheckContext, url: str, token: str | None) -> dict | None:
    """GET /v2/models/{name} through the route; None when the server does not answer it."""
    from checks.send import http_client

    addressed = address(url, route_rules(ctx))
    headers = dict(addressed.headers)
    if token:
        headers["Authorization"] = f"Bearer {token}"
    try:
        async with http_client(
            ctx.options.route_ca, not ctx.options.insecure, ctx.options.http_timeout
        ) as http:
            response = await http.get(
                addressed.url, headers=headers, extensions=addressed.extensions
            )
        metadata = response.json() if response.status_code == 200 else None
    except (httpx.HTTPError, ValueError):
        return None
    return metadata if isinstance(metadata, dict) else None


async def server_metadata(ctx: CheckContext) -> dict | None:
    """The deployment's metadata from its own server, with its own token, when reachable."""
    url, _ = expected_url(ctx)
    if url is None:
        return None
    url = url.rstrip("/")
    if not url.endswith(f"/v2/models/{ctx.deployment.name}"):
        url = f"{url}/v2/models/{ctx.deployment.name}"
    try:
        token, _ = await model_token(ctx)
    except KubeError:
        token = None
    return await ctx.fact("metadata", lambda: fetch_metadata(ctx, url, token))


async def metadata_note(ctx: CheckContext, url: str, token: str | None, signature: Any) -> str:
    """Ask the server for the model's metadata, when it answers, and compare with the graph."""
    metadata = await fetch_metadata(ctx, url, token)
    if metadata is None:
        return "server metadata not available (the graph alone was used)"
    differences = metadata_disagreements(metadata, signature)
    if not differences:
        return "server metadata agrees with the ONNX graph"
    return "server metadata DISAGREES with the ONNX graph: " + "; ".join(differences)


def route_rules(ctx: CheckContext) -> list:
    return overrides(ctx.cluster.resolve, ctx.cluster.connect_to)
