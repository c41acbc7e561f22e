"""`infer --data` nested as the model's rows: the nesting is the shape, batch first (a 2x4 list
for an input of [-1, 4] is a batch of 2), checked against the ONNX graph before anything is sent."""

from __future__ import annotations

from checks.errors import DoctorError, ErrorKind
from checks.request.model_request import ModelRequest


def nested_shape(data: list) -> list[int]:
    """The shape a nested --data spells ([[..4..],[..4..]] is [2, 4]); ragged nesting is a
    usage error, as numpy and the server would refuse it."""
    if not data or not isinstance(data[0], list):
        if any(isinstance(v, list) for v in data):
            raise DoctorError(ErrorKind.USAGE, "--data mixes values and lists: nest it evenly")
        return [len(data)]
    inner = [nested_shape(row) if isinstance(row, list) else None for row in data]
    if any(shape != inner[0] for shape in inner):
        raise DoctorError(
            ErrorKind.USAGE,
            "--data is ragged: every row must have the same length, e.g. [[1,2],[3,4]]",
        )
    return [len(data), *(inner[0] or [])]


def flat(data: list) -> list:
    return (
        [v for row in data for v in flat(row)] if any(isinstance(v, list) for v in data) else data
    )


def apply_nesting(request: ModelRequest, data: list | None) -> None:
    """A nested --data gives the shape, batch first: a 2x4 list for an input of [-1, 4] is a
    batch of 2. A nesting one level short of the input is one sample (batch 1)."""
    if data is None or request.body is None or len(request.body.get("inputs", [])) != 1:
        return
    shape = nested_shape(data)
    if len(shape) < 2:
        return
    tensor = request.body["inputs"][0]
    spec = request.signature.inputs[0] if request.signature is not None else None
    dims = list(spec.dims or ()) if spec is not None else list(tensor["shape"])
    if len(shape) == len(dims) - 1:
        shape = [1, *shape]
    fixed = [d if isinstance(d, int) and d > 0 else None for d in dims]
    if len(shape) != len(dims) or any(
        f not in (None, s) for f, s in zip(fixed, shape, strict=True)
    ):
        wanted = "x".join("N" if f is None else str(f) for f in fixed) or "?"
        model = [-1 if f is None else f for f in fixed]
        raise DoctorError(
            ErrorKind.USAGE,
            f"--data is {'x'.join(map(str, shape))} but input {tensor['name']} takes {wanted} "
            f"(shape {model}): nest it as the model's rows",
        )
    tensor["shape"] = shape
    tensor["data"] = flat(data)
