"""One model request, built from the model itself and used the same way by `infer` and the
console's composer: URL from the route, token from the token secret, body from the ONNX graph
(read from S3), each piece saying where it came from; then validate, send, burst, compare with
a local onnxruntime run, or print as curl."""

from __future__ import annotations

import asyncio
import json
import math
from dataclasses import dataclass, field
from typing import Any

from checks import resources
from checks.endpoints.send import Burst, Sent
from checks.endpoints.v2 import parse_request, validate
from checks.engine import facts
from checks.engine.context import CheckContext
from checks.engine.login_token import LoginTokenOffer
from checks.engine.redaction import Redactor
from checks.errors import DoctorError, ErrorKind
from checks.request.local_run import Comparison, compare, run_local
from checks.request.token_use import TokenUse, token_note

SAMPLE = {"BOOL": True, "BYTES": "text"}
LOCAL_MODEL_LIMIT = 2**31


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


@dataclass
class ModelRequest(TokenUse):
    """The request to one deployment; `body` is the prefilled example (None: no signature)."""

    ctx: CheckContext
    url: str
    token: str | None = field(repr=False)
    token_source: str
    body: dict | None
    signature: Any
    model_key: str
    notes: tuple[str, ...]
    unreadable: str = ""  # why the model's signature is unknown (then `body` is None)
    unreadable_finding: bool = False  # ... because of the model itself (not ONNX, no file)
    login_offer: LoginTokenOffer | None = None  # the composer may ask to send your login's token
    _redactor: tuple[str | None, Redactor] | None = field(default=None, init=False, repr=False)

    @property
    def deployment(self) -> resources.Deployment:
        return self.ctx.isvc

    def problems(self, text: str) -> tuple[dict | None, list[str]]:
        """Parse a body and list what does not match the model (names, types, shapes, ...)."""
        body, problems = parse_request(text)
        if body is not None and self.signature is not None:
            problems = validate(body, self.signature)
        return body, [p.message for p in problems]

    async def send(self, payload: bytes) -> Sent:
        return await self.ctx.routes.send(self.url, payload, self.token, self.deployment.name)

    async def burst(self, payload: bytes, count: int, concurrency: int) -> Burst:
        return await self.ctx.routes.burst(self.url, payload, self.token, count, concurrency)

    async def run_locally(self, body: dict) -> dict[str, Any]:
        """{output: numpy array}: the body through onnxruntime on the model file, no send."""
        if not self.model_key:
            why = self.unreadable or "the model file could not be read from S3"
            raise DoctorError(ErrorKind.NO_MODEL, why)
        storage = facts.storage(self.ctx)
        model = await asyncio.to_thread(storage.read, self.model_key, LOCAL_MODEL_LIMIT)
        return await asyncio.to_thread(run_local, model, body)

    async def compare_locally(self, body: dict, response: dict) -> list[Comparison]:
        """Run the same body through onnxruntime on the model file and compare with `response`."""
        return compare(await self.run_locally(body), response)

    def as_curl(self, body: dict, show_token: bool = False) -> str:
        return self.ctx.routes.as_curl(self.url, body, self.token, show_token)

    def pretty(self, body: dict | None = None) -> str:
        return json.dumps(self.body if body is None else body, indent=2)


async def prepare(ctx: CheckContext, data: list | None = None) -> ModelRequest:
    """Build the request from the cluster; a missing piece is a note, not a crash."""
    dep = ctx.deployment
    if isinstance(dep, resources.LLMService):
        where = dep.url or next(iter(dep.addresses), "") or "its gateway URL"
        raise DoctorError(
            ErrorKind.USAGE,
            f"{dep.name} is an LLMInferenceService: infer sends KServe v2 tensors; call its "
            f"OpenAI API instead ({where}/v1/chat/completions, with a token the AuthPolicy accepts)",
        )
    notes = []
    if dep.stop_requested:  # stopped on purpose: no pods, no status.url (rhoai-3x §2)
        raise DoctorError(
            ErrorKind.NO_ROUTE,
            f"{dep.name} is stopped (serving.kserve.io/stop=true): start it (set "
            "serving.kserve.io/stop to false, or Start in the dashboard) to send it a request",
        )
    base = facts.model_url(ctx)
    if base is None:
        _, why = facts.expected_url(ctx)
        raise DoctorError(
            ErrorKind.NO_ROUTE,
            f"{dep.name} has no external URL ({why}): enable the "
            "route, or call it from inside the cluster at "
            f"{dep.rest_url or dep.internal_url or 'its internal address'}",
        )
    notes.append(f"URL from {facts.expected_url(ctx)[1]}")
    token, source, offer = await facts.request_token(ctx, base)
    notes.append(token_note(token, source))
    key, signature, body, unreadable, finding = "", None, None, "", False
    try:
        key, signature = await facts.model_signature(ctx)
        bucket = facts.storage(ctx).target.bucket
        body = example_request(signature, data)
        notes.append(f"body from the ONNX graph of s3://{bucket}/{key}")
        notes.append(await _metadata_note(ctx, base, token, signature))
    except DoctorError as error:  # no connection, S3 refused, not ONNX: the request still goes
        unreadable, finding = f"the model file could not be read: {error}", error.finding
        notes.append(f"{unreadable} (a body you give is sent unchecked)")
    if dep.platform == resources.MODELMESH:
        notes.append("ModelMesh's REST proxy serves only metadata and infer")
    return ModelRequest(
        ctx=ctx,
        url=f"{base}/infer",
        token=token,
        token_source=source,
        body=body,
        signature=signature,
        model_key=key,
        notes=tuple(notes),
        unreadable=unreadable,
        unreadable_finding=finding,
        login_offer=offer,
    )


async def _metadata_note(ctx: CheckContext, url: str, token: str | None, signature: Any) -> str:
    """Ask the server for the model's metadata, when it answers, and compare with the graph."""
    metadata = await ctx.routes.get_json(url, token)
    if metadata is None:
        return "server metadata not available (the graph alone was used)"
    differences = facts.metadata_disagreements(metadata, signature)
    if not differences:
        return "server metadata agrees with the ONNX graph"
    return "server metadata DISAGREES with the ONNX graph: " + "; ".join(differences)
