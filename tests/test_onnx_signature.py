"""The ONNX signature reader agrees with `onnx.load` on real graphs and fails cleanly otherwise."""

from __future__ import annotations

import glob
import os
import pickle
from pathlib import Path

import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper, numpy_helper

from checks.onnx_signature import (
    ByteSource,
    OnnxSignatureError,
    RangeReaderSource,
    read_signature,
    read_signature_from_range_reader,
)
from lab.models import build_iris_kmeans, build_iris_linear, build_pricing

BACKEND_DATA = os.path.join(os.path.dirname(onnx.__file__), "backend", "test", "data")
V2 = {"FLOAT": "FP32", "DOUBLE": "FP64", "FLOAT16": "FP16", "BFLOAT16": "BF16", "STRING": "BYTES"}


def expected_type(type_proto: onnx.TypeProto) -> tuple[str, tuple | None]:
    """What the reader should say, computed from onnx's own objects."""
    kind = type_proto.WhichOneof("value")
    if kind == "tensor_type":
        tensor = type_proto.tensor_type
        name = TensorProto.DataType.Name(tensor.elem_type)
        dims = None
        if tensor.HasField("shape"):
            dims = tuple(
                d.dim_value
                if d.HasField("dim_value")
                else (d.dim_param if d.HasField("dim_param") else None)
                for d in tensor.shape.dim
            )
        return V2.get(name, name), dims
    return kind or "UNDEFINED", None


def expected_signature(model: onnx.ModelProto) -> dict:
    initializers = {i.name for i in model.graph.initializer}
    return {
        "inputs": [
            (i.name, *expected_type(i.type))
            for i in model.graph.input
            if i.name not in initializers
        ],
        "outputs": [(o.name, *expected_type(o.type)) for o in model.graph.output],
        "ir_version": model.ir_version,
        "opsets": {(o.domain or "ai.onnx"): o.version for o in model.opset_import},
    }


def actual_signature(path_or_bytes) -> dict:
    sig = read_signature(path_or_bytes)

    def spec(s) -> tuple:
        kind = s.datatype
        for prefix, name in (
            ("SEQUENCE", "sequence_type"),
            ("MAP", "map_type"),
            ("OPTIONAL", "optional_type"),
            ("SPARSE", "sparse_tensor_type"),
        ):
            if kind.startswith(prefix + "("):
                kind = name
        return (s.name, kind, s.dims)

    return {
        "inputs": [spec(s) for s in sig.inputs],
        "outputs": [spec(s) for s in sig.outputs],
        "ir_version": sig.ir_version,
        "opsets": sig.opset_imports,
    }


def test_agrees_with_onnx_load_on_every_backend_test_model() -> None:
    paths = sorted(glob.glob(os.path.join(BACKEND_DATA, "**", "model.onnx"), recursive=True))
    assert len(paths) > 100, f"only {len(paths)} models found under {BACKEND_DATA}"
    mismatches = []
    for path in paths:
        expected = expected_signature(onnx.load(path, load_external_data=False))
        got = actual_signature(path)
        if got != expected:
            mismatches.append(f"{path}: {got} != {expected}")
    assert mismatches == [], f"{len(mismatches)} of {len(paths)} differ:\n" + "\n".join(
        mismatches[:5]
    )


@pytest.mark.parametrize("build", [build_iris_kmeans, build_pricing, lambda: build_iris_linear(23)])
def test_agrees_on_the_lab_models(build) -> None:
    data = build()
    assert actual_signature(data) == expected_signature(onnx.load_from_string(data))


def test_iris_signature_in_v2_terms() -> None:
    sig = read_signature(build_iris_kmeans())
    assert [(s.name, s.datatype, s.v2_dims()) for s in sig.inputs] == [("X", "FP32", [-1, 4])]
    assert [(s.name, s.datatype) for s in sig.outputs] == [("label", "INT64"), ("scores", "FP32")]
    assert sig.opset_imports == {"ai.onnx": 18} and not sig.uses_ai_onnx_ml
    assert read_signature(build_pricing()).inputs[0].dims == ("batch", 3)


def test_ai_onnx_ml_models_are_recognised() -> None:
    from skl2onnx import to_onnx
    from sklearn.datasets import load_iris
    from sklearn.ensemble import RandomForestClassifier

    features, labels = load_iris(return_X_y=True)
    forest = RandomForestClassifier(n_estimators=2, random_state=0).fit(features, labels)
    data = to_onnx(forest, features[:1].astype(np.float32)).SerializeToString()
    sig = read_signature(data)
    assert sig.uses_ai_onnx_ml and "ai.onnx.ml.TreeEnsembleClassifier" in sig.op_types
    assert sig.outputs[1].datatype.startswith("SEQUENCE(MAP(INT64,FP32")


def test_subgraph_domains_count() -> None:
    then = helper.make_graph(
        [helper.make_node("Identity", ["a"], ["o"], domain="")],
        "then",
        [],
        [helper.make_tensor_value_info("o", TensorProto.FLOAT, [1])],
    )
    other = helper.make_graph(
        [helper.make_node("Custom", ["a"], ["o"], domain="com.example")],
        "else",
        [],
        [helper.make_tensor_value_info("o", TensorProto.FLOAT, [1])],
    )
    graph = helper.make_graph(
        [helper.make_node("If", ["c"], ["o"], then_branch=then, else_branch=other)],
        "g",
        [
            helper.make_tensor_value_info("c", TensorProto.BOOL, []),
            helper.make_tensor_value_info("a", TensorProto.FLOAT, [1]),
        ],
        [helper.make_tensor_value_info("o", TensorProto.FLOAT, [1])],
    )
    data = helper.make_model(
        graph, opset_imports=[helper.make_opsetid("", 17), helper.make_opsetid("com.example", 1)]
    )
    sig = read_signature(data.SerializeToString())
    assert sig.operator_domains == {"ai.onnx", "com.example"}
    assert [s.name for s in sig.inputs] == ["c", "a"]


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "the file is empty"),
        (pickle.dumps({"weights": [1, 2]}), "a Python pickle"),
        (b"<!DOCTYPE html><html><body>MinIO Console</body></html>", "an HTML page"),
        (b'{"inputs": []}', "a JSON document"),
        (b"PK\x03\x04rest-of-a-zip", "a zip archive"),
        (b"\x0a\xff\xff\xff\xff\x0f", "truncated"),
        (b"\x00\x01\x02", "field number 0"),
    ],
)
def test_non_onnx_input_gets_a_clear_error(data: bytes, words: str) -> None:
    with pytest.raises(OnnxSignatureError) as raised:
        read_signature(data)
    assert words in str(raised.value)
    assert "\n" not in str(raised.value)


def test_a_pickled_numpy_model_file(tmp_path: Path) -> None:
    path = tmp_path / "mymodel.pkl"
    path.write_bytes(pickle.dumps(np.poly1d([1.0, 2.0])))
    with pytest.raises(OnnxSignatureError, match="pickle"):
        read_signature(path)


@pytest.mark.parametrize("cut", [0.1, 0.5, 0.9, 0.99])
def test_truncated_models_fail_cleanly(cut: float) -> None:
    data = build_iris_kmeans()
    with pytest.raises(OnnxSignatureError):
        read_signature(data[: int(len(data) * cut)])


def test_ranged_reads_take_few_requests() -> None:
    data = build_iris_kmeans()
    calls = []

    def read_range(start: int, end: int) -> bytes:
        calls.append((start, end))
        return data[start : end + 1]

    sig = read_signature_from_range_reader(len(data), read_range)
    assert [s.name for s in sig.inputs] == ["X"] and len(calls) == 1


class SyntheticBigModel(ByteSource):
    """A model whose one initializer holds `payload` zero bytes, synthesised on demand and never
    stored; its inputs and outputs come after the weights, as onnx.save writes them."""

    def __init__(self, payload: int) -> None:
        weights = numpy_helper.from_array(np.zeros(0, dtype=np.float32), "W")
        graph = helper.make_graph(
            [helper.make_node("Mul", ["X", "W"], ["Y"])],
            "big",
            [helper.make_tensor_value_info("X", TensorProto.FLOAT, ["n"])],
            [helper.make_tensor_value_info("Y", TensorProto.FLOAT, ["n"])],
            initializer=[weights],
        )
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
        tensor = model.graph.initializer[0].SerializeToString() + _field_header(9, payload)
        nodes = b"".join(_message(1, n.SerializeToString()) for n in model.graph.node)
        io = b"".join(_message(11, v.SerializeToString()) for v in model.graph.input)
        io += b"".join(_message(12, v.SerializeToString()) for v in model.graph.output)
        graph_head = nodes + _field_header(5, len(tensor) + payload) + tensor
        self._prefix = (
            _varint_field(1, model.ir_version)
            + _field_header(7, len(graph_head) + payload + len(io))
            + graph_head
        )
        self._suffix = io + b"".join(_message(8, o.SerializeToString()) for o in model.opset_import)
        self._payload = payload
        self.requested = 0

    def size(self) -> int:
        return len(self._prefix) + self._payload + len(self._suffix)

    def read(self, offset: int, length: int) -> bytes:
        self.requested += length
        out = bytearray()
        end = min(offset + length, self.size())
        for start, chunk_end, fill in (
            (0, len(self._prefix), self._prefix),
            (len(self._prefix), len(self._prefix) + self._payload, None),
            (len(self._prefix) + self._payload, self.size(), self._suffix),
        ):
            lo, hi = max(offset, start), min(end, chunk_end)
            if lo < hi:
                out += (b"\x00" * (hi - lo)) if fill is None else fill[lo - start : hi - start]
        return bytes(out)


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def _field_header(number: int, length: int) -> bytes:
    return _varint(number << 3 | 2) + _varint(length)


def _message(number: int, body: bytes) -> bytes:
    return _field_header(number, len(body)) + body


def _varint_field(number: int, value: int) -> bytes:
    return _varint(number << 3) + _varint(value)


def test_a_1_gib_model_is_read_with_under_a_mebibyte() -> None:
    source = SyntheticBigModel(1024**3)
    assert source.size() > 1024**3
    reader = RangeReaderSource(source.size(), lambda a, b: source.read(a, b - a + 1))
    sig = read_signature(reader)
    assert [(s.name, s.dims) for s in sig.inputs] == [("X", ("n",))]
    assert [s.name for s in sig.outputs] == ["Y"]
    assert sig.opset_imports == {"ai.onnx": 17} and sig.initializer_count == 1
    assert sig.bytes_read < 1024**2 and source.requested < 1024**2
    assert reader.requests <= 4
