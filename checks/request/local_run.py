"""Run the same tensors through onnxruntime on the model file, and compare with the server."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from checks.errors import DoctorError

NUMPY_TYPES = {
    "FP32": "float32",
    "FP64": "float64",
    "FP16": "float16",
    "INT8": "int8",
    "INT16": "int16",
    "INT32": "int32",
    "INT64": "int64",
    "UINT8": "uint8",
    "UINT16": "uint16",
    "UINT32": "uint32",
    "UINT64": "uint64",
    "BOOL": "bool",
    "BYTES": "object",
}


@dataclass(frozen=True)
class Comparison:
    output: str
    agrees: bool
    detail: str


def run_local(model: bytes, request: dict) -> dict[str, Any]:
    """{output name: numpy array} for the request's inputs; a DoctorError when it cannot run."""
    try:
        return _run(model, request)
    except DoctorError:
        raise
    except Exception as error:  # onnxruntime's errors have many types; all mean "cannot run"
        raise DoctorError(
            "local",
            f"onnxruntime cannot run the model locally: "
            f"{type(error).__name__}: {str(error).splitlines()[0][:200]}",
        ) from error


def _run(model: bytes, request: dict) -> dict[str, Any]:
    import numpy as np
    import onnxruntime

    session = onnxruntime.InferenceSession(model, providers=["CPUExecutionProvider"])
    feeds = {
        t["name"]: np.array(t["data"], dtype=NUMPY_TYPES.get(t["datatype"], "float32")).reshape(
            t["shape"]
        )
        for t in request["inputs"]
    }
    names = [o.name for o in session.get_outputs()]
    return dict(zip(names, session.run(names, feeds), strict=True))


def compare(
    local: dict[str, Any], remote: dict, rtol: float = 1e-4, atol: float = 1e-5
) -> list[Comparison]:
    import numpy as np

    results = []
    outputs = remote.get("outputs") if isinstance(remote, dict) else None
    served = {
        o.get("name"): o
        for o in (outputs if isinstance(outputs, list) else [])
        if isinstance(o, dict)
        and isinstance(o.get("name"), str)  # a name of any other type names nothing
    }
    for name, expected in local.items():
        got = served.get(name)
        if got is None:
            results.append(Comparison(name, False, "the server did not return it"))
            continue
        try:
            actual = np.array(got.get("data"), dtype=expected.dtype).reshape(got.get("shape"))
        except (TypeError, ValueError, OverflowError, RecursionError) as error:
            reason = f"the server's data and shape do not make a tensor ({str(error)[:80]})"
            results.append(Comparison(name, False, reason))
            continue
        note = ""
        if actual.shape != expected.shape:
            if actual.size != expected.size or actual.squeeze().shape != expected.squeeze().shape:
                results.append(
                    Comparison(
                        name, False, f"shape {list(actual.shape)} vs local {list(expected.shape)}"
                    )
                )
                continue
            # Servers differ on size-1 dimensions (MLServer sends [N,1] for [N]): same values.
            note = f"; shape {list(actual.shape)} vs local {list(expected.shape)}"
            actual = actual.reshape(expected.shape)
        if np.allclose(actual, expected, rtol=rtol, atol=atol):
            diff = float(np.max(np.abs(actual - expected))) if actual.size else 0.0
            results.append(Comparison(name, True, f"max abs difference {diff:.2g}{note}"))
        else:
            diff = float(np.max(np.abs(actual.astype(float) - expected.astype(float))))
            results.append(
                Comparison(
                    name,
                    False,
                    f"max abs difference {diff:.3g} exceeds rtol={rtol}, atol={atol}{note}",
                )
            )
    return results
