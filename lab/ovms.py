"""What OpenVINO Model Server answers on its KServe v2 REST API for one model, run on onnxruntime.

Status codes, error texts and the order requests are validated in follow OVMS (docs/domain.md §4.3):
number of inputs, names, datatype, rank, batch, shape, value count. Load failures are worded as
OVMS/OpenVINO log them, so a deployment's status shows what the real runtime would show.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from lab.compiled_models import compiled, graph

ONNX_TO_V2 = {
    1: "FP32",
    2: "UINT8",
    3: "INT8",
    4: "UINT16",
    5: "INT16",
    6: "INT32",
    7: "INT64",
    8: "BYTES",
    9: "BOOL",
    10: "FP16",
    11: "FP64",
    12: "UINT32",
    13: "UINT64",
    16: "BF16",
}
V2_TO_NUMPY = {
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
# OVMS release -> the highest ai.onnx opset its bundled ONNX reads (docs/domain.md §6.1).
MAX_OPSET = (
    ((2023, 0), 18),
    ((2023, 2), 19),
    ((2023, 3), 20),
    ((2024, 4), 21),
    ((2024, 5), 22),
    ((2026, 0), 23),
)
VERSION_NOT_FOUND = "Model with requested version is not found"


class ModelLoadError(Exception):
    """The model cannot be loaded; str(e) is the runtime's own wording."""


@dataclass(frozen=True)
class OvmsImage:
    tag: str
    max_onnx_opset: int

    @classmethod
    def from_image(cls, image: str) -> OvmsImage:
        tag = image.rsplit(":", 1)[-1] if ":" in image else image
        match = re.match(r"v?(\d{4})\.(\d+)", tag)
        if not match:
            return cls(tag, 22)
        release = (int(match.group(1)), int(match.group(2)))
        opset = 18
        for since, value in MAX_OPSET:
            if release >= since:
                opset = value
        return cls(tag, opset)


def modelmesh_model_id(isvc_name: str) -> str:
    """ModelMesh's internal model id, `<isvc>__isvc-<10 hex>` (deterministic here)."""
    return f"{isvc_name}__isvc-{hashlib.sha256(isvc_name.encode()).hexdigest()[:10]}"


def modelmesh_rest_error(status: int, ovms_body: dict, model_id: str) -> tuple[int, dict]:
    """OVMS's error as ModelMesh's REST proxy relays it: grpc-gateway's {"code","message"}."""
    text = str(ovms_body.get("error", "")) or "unknown error"
    if status == 404:
        return 404, {
            "code": 5,
            "message": f"inference.GRPCInferenceService/ModelInfer: "
            f"NOT_FOUND: model {model_id} not found: {text}",
        }
    if status >= 500:
        return 500, {
            "code": 13,
            "message": f"inference.GRPCInferenceService/ModelInfer: INTERNAL: {text}",
        }
    return 400, {
        "code": 3,
        "message": f"inference.GRPCInferenceService/ModelInfer: INVALID_ARGUMENT: {text}",
    }


def _shape_text(dims: list[int]) -> str:
    return "(" + ",".join(str(d) for d in dims) + ")"


@dataclass(frozen=True)
class Tensor:
    name: str
    datatype: str
    dims: list[int]  # -1 for dynamic


def _flatten(data: Any) -> list | None:
    if not isinstance(data, list):
        return None
    flat: list = []
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(reversed(item))
        else:
            flat.append(item)
    return flat


def _values_fit(datatype: str, values: list) -> bool:
    if datatype == "BOOL":
        return all(isinstance(v, bool) for v in values)
    if datatype == "BYTES":
        return all(isinstance(v, str) for v in values)
    if datatype.startswith(("FP", "BF")):
        return all(isinstance(v, int | float) and not isinstance(v, bool) for v in values)
    return all(isinstance(v, int) and not isinstance(v, bool) for v in values)


class ServedModel:
    """One model as OVMS serves it: files laid out like the runtime lays them out."""

    def __init__(
        self, name: str, files: Mapping[str, bytes], image: OvmsImage, layout: str
    ) -> None:
        self.name, self.image, self.layout = name, image, layout
        self.log_lines: list[str] = []
        self.available_versions: list[str] = []
        self._session: Any = None
        self.inputs: list[Tensor] = []
        self.outputs: list[Tensor] = []
        model_file = self._pick_version(files)
        if model_file is None:
            return
        path, data = model_file
        self._load(path, data)

    def _pick_version(self, files: Mapping[str, bytes]) -> tuple[str, bytes] | None:
        """The file this runtime opens; only its bytes are read (a pull's are read on demand)."""
        versions: dict[int, dict[str, str]] = {}  # version -> path in it -> path pulled
        loose: dict[str, str] = {}
        for path in files:
            head, _, rest = path.partition("/")
            if rest and head.isdigit() and int(head) > 0:
                versions.setdefault(int(head), {})[rest] = path
            else:
                loose[path] = path
        if self.layout == "kserve":
            if not versions:
                self.log_lines.append("[error] No version found for model in path: /mnt/models")
                return None
            version = max(versions)
            chosen = versions[version]
        elif versions and not loose:
            version, chosen = max(versions), versions[max(versions)]
        else:
            # ModelMesh's adapter: a single file or a plain directory becomes version 1.
            version, chosen = 1, loose or {path: path for path in files}
        self.available_versions = [str(version)]
        onnx_files = sorted(p for p in chosen if p.endswith(".onnx"))
        picked = onnx_files[0] if onnx_files else sorted(chosen)[0]
        return picked, files[chosen[picked]]

    def _load(self, path: str, data: bytes) -> None:
        self.log_lines.append(
            f"[info] Loading model: {self.name}, version: "
            f"{self.available_versions[0]}, from path: {path}"
        )
        try:
            model = graph(data)
            if not model.graph.node and not model.graph.output:
                raise ValueError("no graph")
        except Exception as error:
            raise ModelLoadError(
                f"Error: Model file is invalid or cannot be read ({path}): Cannot create "
                f"ModelProto from the file: {type(error).__name__}"
            ) from error
        opset = max(
            (o.version for o in model.opset_import if o.domain in ("", "ai.onnx")), default=0
        )
        if opset > self.image.max_onnx_opset:
            raise ModelLoadError(
                f"Currently ONNX operator set version: {opset} is unsupported. Falling back to: "
                f"{self.image.max_onnx_opset}. Unsupported operator version: the model "
                f"{path} needs opset {opset}, OVMS {self.image.tag} reads up to "
                f"{self.image.max_onnx_opset}"
            )
        ml_ops = sorted(
            {f"ai.onnx.ml.{n.op_type}" for n in model.graph.node if n.domain == "ai.onnx.ml"}
        )
        if ml_ops:
            raise ModelLoadError(
                "OpenVINO does not support the following ONNX operations: " + ", ".join(ml_ops)
            )
        try:
            self._session = compiled(data)
        except Exception as error:
            raise ModelLoadError(f"Error: Cannot compile model {path}: {error}") from error
        initializers = {i.name for i in model.graph.initializer}
        self.inputs = [self._tensor(v) for v in model.graph.input if v.name not in initializers]
        self.outputs = [self._tensor(v) for v in model.graph.output]
        self.log_lines.append(
            f"[info] Loaded model {self.name}; version: "
            f"{self.available_versions[0]}; inputs: "
            + ", ".join(f"{t.name} {t.datatype} {_shape_text(t.dims)}" for t in self.inputs)
        )

    @staticmethod
    def _tensor(value: Any) -> Tensor:
        tensor_type = value.type.tensor_type
        dims = [
            d.dim_value if d.HasField("dim_value") and d.dim_value > 0 else -1
            for d in tensor_type.shape.dim
        ]
        return Tensor(value.name, ONNX_TO_V2.get(tensor_type.elem_type, "FP32"), dims)

    # -- REST ------------------------------------------------------------------------------
    def ready(self) -> tuple[int, dict]:
        if not self.available_versions or self._session is None:
            return 404, {"error": VERSION_NOT_FOUND}
        return 200, {}

    def metadata(self) -> tuple[int, dict]:
        if self._session is None:
            return 404, {"error": VERSION_NOT_FOUND}
        return 200, {
            "name": self.name,
            "versions": self.available_versions,
            "platform": "OpenVINO",
            "inputs": [
                {"name": t.name, "datatype": t.datatype, "shape": t.dims} for t in self.inputs
            ],
            "outputs": [
                {"name": t.name, "datatype": t.datatype, "shape": t.dims} for t in self.outputs
            ],
        }

    def infer(self, body: bytes, content_type: str | None = None) -> tuple[int, dict]:
        if self._session is None:
            return 404, {"error": VERSION_NOT_FOUND}
        try:
            request = json.loads(body)
        except json.JSONDecodeError as error:
            return 412, {
                "error": f"The file is not valid json - Error: Invalid value. Offset: {error.pos}"
            }
        except UnicodeDecodeError:
            return 412, {
                "error": "The file is not valid json - Error: Invalid encoding in string. Offset: 0"
            }
        if not isinstance(request, dict):
            return 400, {"error": "Request body should be JSON object"}
        tensors = request.get("inputs")
        if not isinstance(tensors, list) or not tensors:
            return 400, {"error": "Invalid JSON structure, missing inputs"}
        parsed = self._parse_inputs(tensors)
        if isinstance(parsed, str):
            return 400, {"error": parsed}
        problem = self._validate(parsed)
        if problem:
            return 400, {"error": problem}
        return self._run(request, parsed)

    def _parse_inputs(self, tensors: list) -> list[tuple[str, str, list[int], list]] | str:
        parsed = []
        for tensor in tensors:
            if (
                not isinstance(tensor, dict)
                or not isinstance(tensor.get("name"), str)
                or not isinstance(tensor.get("shape"), list)
                or not isinstance(tensor.get("datatype"), str)
            ):
                return "Could not parse input content. Not valid ndarray detected"
            if tensor["datatype"] not in V2_TO_NUMPY:
                return "Could not parse input content. Unsupported data precision detected"
            values = _flatten(tensor.get("data"))
            shape = tensor["shape"]
            if (
                values is None
                or not all(isinstance(d, int) for d in shape)
                or not _values_fit(tensor["datatype"], values)
            ):
                return "Could not parse input content. Not valid ndarray detected"
            parsed.append((tensor["name"], tensor["datatype"], shape, values))
        return parsed

    def _validate(self, parsed: list[tuple[str, str, list[int], list]]) -> str | None:
        if len(parsed) != len(self.inputs):
            return f"Invalid number of inputs - Expected: {len(self.inputs)}; Actual: {len(parsed)}"
        given = {name: (datatype, shape, values) for name, datatype, shape, values in parsed}
        for spec in self.inputs:
            if spec.name not in given:
                return f"Missing input with specific name - Required input: {spec.name}"
        for spec in self.inputs:
            datatype, shape, values = given[spec.name]
            where = f"; input name: {spec.name}"
            if any(d < 0 for d in shape):
                return (
                    f"Invalid input shape - Expected: {_shape_text(spec.dims)}; Actual: "
                    f"{_shape_text(shape)}{where}"
                )
            if datatype != spec.datatype:
                return (
                    f"Invalid input precision - Expected: {spec.datatype}; Actual: "
                    f"{datatype}{where}"
                )
            if len(shape) != len(spec.dims):
                return (
                    f"Invalid number of shape dimensions - Expected: "
                    f"{_shape_text(spec.dims)}; Actual: {_shape_text(shape)}{where}"
                )
            if spec.dims and spec.dims[0] > 0 and shape[0] != spec.dims[0]:
                return (
                    f"Invalid input batch size - Expected: {spec.dims[0]}; Actual: "
                    f"{shape[0]}{where}"
                )
            if any(want > 0 and got != want for got, want in zip(shape, spec.dims, strict=True)):
                return (
                    f"Invalid input shape - Expected: {_shape_text(spec.dims)}; Actual: "
                    f"{_shape_text(shape)}{where}"
                )
            expected = 1
            for d in shape:
                expected *= d
            if len(values) != expected:
                return (
                    f"Invalid number of values in tensor proto container - Expected: "
                    f"{expected} values; Actual: {len(values)} values{where}"
                )
        return None

    def _run(self, request: dict, parsed: list) -> tuple[int, dict]:
        import numpy as np

        feeds = {
            name: np.array(values, dtype=V2_TO_NUMPY[datatype]).reshape(shape)
            for name, datatype, shape, values in parsed
        }
        names = [t.name for t in self.outputs]
        # Requested outputs the model lacks are ignored and the known ones returned; with no
        # known name requested, every output comes back.
        wanted = [o.get("name") for o in request.get("outputs") or [] if isinstance(o, dict)]
        selected = [n for n in names if n in wanted] or names
        try:
            results = self._session.run(selected, feeds)
        except Exception as error:
            return 500, {"error": f"Internal server error - {type(error).__name__}"}
        outputs = []
        for name, value in zip(selected, results, strict=True):
            spec = next(t for t in self.outputs if t.name == name)
            outputs.append(
                {
                    "name": name,
                    "shape": list(value.shape),
                    "datatype": spec.datatype,
                    "data": value.flatten().tolist(),
                }
            )
        answer: dict = {
            "model_name": self.name,
            "model_version": self.available_versions[0],
            "outputs": outputs,
        }
        if "id" in request:
            answer["id"] = request["id"]
        return 200, answer
