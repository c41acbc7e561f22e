"""Open Inference Protocol (KServe v2) requests: validate a request against a model's signature
before it is sent, the way OVMS would judge it (docs/domain.md §4.3, in order: names, datatype, rank, dims, count)."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

V2_DATATYPES = (
    "BOOL",
    "UINT8",
    "UINT16",
    "UINT32",
    "UINT64",
    "INT8",
    "INT16",
    "INT32",
    "INT64",
    "FP16",
    "FP32",
    "FP64",
    "BYTES",
    "BF16",
)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a request, pointing at the input (or output) it concerns."""

    kind: str  # json, structure, name, missing, datatype, rank, dims, count, output
    message: str
    tensor: str = ""


def parse_request(text: str) -> tuple[dict | None, list[Problem]]:
    try:
        body = json.loads(text)
    except json.JSONDecodeError as error:
        return None, [
            Problem(
                "json", f"not valid JSON: {error.msg} at line {error.lineno} column {error.colno}"
            )
        ]
    except ValueError:  # an integer of more than 4,300 digits
        return None, [Problem("json", "not usable JSON: it holds a number too long to read")]
    except RecursionError:
        return None, [Problem("json", "not usable JSON: it is nested too deeply")]
    if not isinstance(body, dict):
        return None, [Problem("structure", "the request body must be a JSON object")]
    return body, []


def _count(data: Any) -> int:
    """How many values nested lists hold (iteratively: no depth is too deep)."""
    count, pending = 0, [data]
    while pending:
        item = pending.pop()
        if isinstance(item, list):
            pending.extend(item)
        else:
            count += 1
    return count


def _number(value: int) -> str:
    """An integer for a message; Python will not print one of more than 4,300 digits."""
    return str(value) if value.bit_length() < 64 else "more than 2^63"


def _shape_text(dims: Any) -> str:
    return "[" + ",".join("?" if d is None or isinstance(d, str) else str(d) for d in dims) + "]"


def _model_dims(spec: Any) -> tuple | None:
    return None if spec.dims is None else tuple(spec.dims)


def validate(body: dict, signature: Any) -> list[Problem]:
    """Everything the server would refuse, and requested outputs the model does not have."""
    problems: list[Problem] = []
    inputs = body.get("inputs")
    if not isinstance(inputs, list) or not inputs:
        return [Problem("structure", 'the request has no "inputs" list')]
    expected = {spec.name: spec for spec in signature.inputs}
    seen: set[str] = set()
    for index, tensor in enumerate(inputs):
        if not isinstance(tensor, dict):
            problems.append(Problem("structure", f"inputs[{index}] is not an object"))
            continue
        name = str(tensor.get("name", ""))
        seen.add(name)
        spec = expected.get(name)
        if spec is None:
            known = ", ".join(expected) or "none"
            problems.append(
                Problem(
                    "name", f'input "{name}" is not an input of the model (it has: {known})', name
                )
            )
            continue
        problems += _validate_tensor(tensor, spec)
    for name in expected:
        if name not in seen:
            problems.append(
                Problem(
                    "missing",
                    f'input "{name}" is missing: the model needs '
                    f"{expected[name].datatype} {_shape_text(expected[name].dims or ())}",
                    name,
                )
            )
    outputs = {spec.name for spec in signature.outputs}
    requested = body.get("outputs")
    if requested is not None and not isinstance(requested, list):
        problems.append(
            Problem("structure", '"outputs" must be a list of {"name": ...} objects', "outputs")
        )
        requested = []
    for index, wanted in enumerate(requested or []):
        output: Any = wanted.get("name") if isinstance(wanted, dict) else None
        if not isinstance(output, str) or output not in outputs:
            problems.append(
                Problem(
                    "output",
                    f'requested output "{output}" is not an output of '
                    f"the model (it has: {', '.join(sorted(outputs))})",
                    str(output or f"outputs[{index}]"),
                )
            )
    return problems


def _validate_tensor(tensor: dict, spec: Any) -> list[Problem]:
    name = spec.name
    datatype = tensor.get("datatype")
    shape = tensor.get("shape")
    if datatype not in V2_DATATYPES:
        return [
            Problem(
                "datatype",
                f'input "{name}": "{datatype}" is not a v2 datatype (use {spec.datatype})',
                name,
            )
        ]
    if datatype != spec.datatype:
        return [
            Problem(
                "datatype",
                f'input "{name}": datatype {datatype}, the model expects {spec.datatype}',
                name,
            )
        ]
    if not isinstance(shape, list) or not all(isinstance(d, int) and d >= 0 for d in shape):
        return [
            Problem(
                "structure",
                f'input "{name}": "shape" must be a list of non-negative integers',
                name,
            )
        ]
    dims = _model_dims(spec)
    if dims is not None and len(shape) != len(dims):
        return [
            Problem(
                "rank",
                f'input "{name}": shape {shape} has {len(shape)} dimensions, '
                f"the model expects {len(dims)}: {_shape_text(dims)}",
                name,
            )
        ]
    if dims is not None:
        for position, (got, want) in enumerate(zip(shape, dims, strict=True)):
            if isinstance(want, int) and want >= 0 and got != want:
                return [
                    Problem(
                        "dims",
                        f'input "{name}": dimension {position} is {got}, the '
                        f"model expects {want} (shape {_shape_text(dims)})",
                        name,
                    )
                ]
    data = tensor.get("data")
    if data is None:
        return [Problem("structure", f'input "{name}" has no "data"', name)]
    count, wanted = _count(data), math.prod(shape)
    if count != wanted:
        return [
            Problem(
                "count",
                f'input "{name}": {_number(count)} values for shape {shape}, '
                f"which holds {_number(wanted)}",
                name,
            )
        ]
    return []
