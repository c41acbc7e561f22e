"""ONNX models built for the reader's tests, and what onnx itself says about them."""

from __future__ import annotations

import functools
import glob
import os
from collections.abc import Iterable, Iterator

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from checks.model_files.onnx import OnnxSignature

BACKEND_DATA = os.path.join(os.path.dirname(onnx.__file__), "backend", "test", "data")
# The mapping the reader promises, written out rather than imported from it.
V2 = {
    "FLOAT": "FP32",
    "DOUBLE": "FP64",
    "FLOAT16": "FP16",
    "BFLOAT16": "BF16",
    "STRING": "BYTES",
    "BOOL": "BOOL",
    **{f"{sign}INT{bits}": f"{sign}INT{bits}" for sign in ("", "U") for bits in (8, 16, 32, 64)},
}
MiB = 1024**2


# -- what onnx itself says ---------------------------------------------------------------------


def onnx_datatype(element_type: int) -> str:
    if element_type not in TensorProto.DataType.values():  # damaged bytes, or a newer onnx
        return f"ONNX_TYPE_{element_type}"
    name = TensorProto.DataType.Name(element_type)
    return V2.get(name, name)


def onnx_type(type_proto: onnx.TypeProto) -> tuple[str, tuple | None]:
    """(datatype, dims) the reader should report, computed from onnx's own objects."""
    kind = type_proto.WhichOneof("value")
    if kind in ("tensor_type", "sparse_tensor_type"):
        tensor = getattr(type_proto, kind)
        dims = None
        if tensor.HasField("shape"):
            dims = tuple(
                d.dim_value
                if d.HasField("dim_value")
                else (text(d.dim_param) if d.HasField("dim_param") else None)
                for d in tensor.shape.dim
            )
        datatype = onnx_datatype(tensor.elem_type)
        return (datatype if kind == "tensor_type" else f"SPARSE({datatype})"), dims
    if kind in ("sequence_type", "optional_type"):
        inner = getattr(type_proto, kind)
        element = onnx_type(inner.elem_type)[0] if inner.HasField("elem_type") else "UNDEFINED"
        return f"{kind.split('_')[0].upper()}({element})", None
    if kind == "map_type":
        value_type = type_proto.map_type.value_type
        item = (
            onnx_type(value_type)[0] if type_proto.map_type.HasField("value_type") else "UNDEFINED"
        )
        return f"MAP({onnx_datatype(type_proto.map_type.key_type)},{item})", None
    return ("OPAQUE" if kind == "opaque_type" else "UNDEFINED"), None


def text(value: str | bytes) -> str:
    """protobuf hands back bytes for a string field that is not UTF-8; the reader replaces."""
    return value.decode("utf-8", errors="replace") if isinstance(value, bytes) else value


def onnx_nodes(nodes: Iterable[onnx.NodeProto]) -> Iterator[onnx.NodeProto]:
    """Nodes and, depth first, the nodes of their subgraphs."""
    for node in nodes:
        yield node
        for attribute in node.attribute:
            subgraphs = [attribute.g] if attribute.HasField("g") else []
            for subgraph in [*subgraphs, *attribute.graphs]:
                yield from onnx_nodes(subgraph.node)


def expected_signature(model: onnx.ModelProto) -> dict:
    initializers = [text(i.name) for i in model.graph.initializer]
    initializers += [text(s.values.name) for s in model.graph.sparse_initializer]
    nodes = list(onnx_nodes(model.graph.node))
    nodes += [node for function in model.functions for node in onnx_nodes(function.node)]
    return {
        "inputs": [
            (text(i.name), *onnx_type(i.type))
            for i in model.graph.input
            if text(i.name) not in initializers
        ],
        "outputs": [(text(o.name), *onnx_type(o.type)) for o in model.graph.output],
        "ir_version": model.ir_version,
        "opsets": {(text(o.domain) or "ai.onnx"): o.version for o in model.opset_import},
        "producer": (text(model.producer_name), text(model.producer_version)),
        "initializers": tuple(initializers),
        "op_types": {f"{text(n.domain) or 'ai.onnx'}.{text(n.op_type)}" for n in nodes},
    }


def observed(sig: OnnxSignature) -> dict:
    return {
        "inputs": [(s.name, s.datatype, s.dims) for s in sig.inputs],
        "outputs": [(s.name, s.datatype, s.dims) for s in sig.outputs],
        "ir_version": sig.ir_version,
        "opsets": sig.opset_imports,
        "producer": (sig.producer_name, sig.producer_version),
        "initializers": sig.initializer_names,
        "op_types": set(sig.op_types),
    }


def backend_models() -> list[str]:
    return sorted(glob.glob(os.path.join(BACKEND_DATA, "**", "*.onnx"), recursive=True))


# -- models built here -------------------------------------------------------------------------


@functools.cache
def iris() -> tuple[np.ndarray, np.ndarray]:
    from sklearn.datasets import load_iris

    features, labels = load_iris(return_X_y=True)
    return features.astype(np.float32), labels


@functools.cache
def kmeans_model() -> bytes:
    """What the course notebook exports: skl2onnx `to_onnx` of a KMeans fitted on iris."""
    from skl2onnx import to_onnx
    from sklearn.cluster import KMeans

    features, _ = iris()
    kmeans = KMeans(n_clusters=3, n_init=10, random_state=0).fit(features)
    return to_onnx(kmeans, features[:1]).SerializeToString()


@functools.cache
def forest_model() -> bytes:
    """A random forest: TreeEnsembleClassifier and a ZipMap, both ai.onnx.ml operators."""
    from skl2onnx import to_onnx
    from sklearn.ensemble import RandomForestClassifier

    features, labels = iris()
    forest = RandomForestClassifier(n_estimators=2, max_depth=3, random_state=0)
    return to_onnx(forest.fit(features, labels), features[:1]).SerializeToString()


def two_input_model(opset: int = 17, ir_version: int = 8) -> bytes:
    """price = (features @ W) * (1 - discount), with a symbolic batch dimension."""
    weights = numpy_helper.from_array(np.array([[1.0], [2.0], [3.0]], np.float32), "W")
    one = numpy_helper.from_array(np.array([1.0], np.float32), "one")
    graph = helper.make_graph(
        [
            helper.make_node("MatMul", ["features", "W"], ["base"]),
            helper.make_node("Sub", ["one", "discount"], ["keep"]),
            helper.make_node("Mul", ["base", "keep"], ["price"]),
        ],
        "pricing",
        [
            helper.make_tensor_value_info("features", TensorProto.FLOAT, ["batch", 3]),
            helper.make_tensor_value_info("discount", TensorProto.FLOAT, ["batch", 1]),
        ],
        [helper.make_tensor_value_info("price", TensorProto.FLOAT, ["batch", 1])],
        initializer=[weights, one],
    )
    model = helper.make_model(
        graph, producer_name="tests", opset_imports=[helper.make_opsetid("", opset)]
    )
    model.ir_version = ir_version
    return model.SerializeToString()


def if_model(depth: int = 1, domain: str = "com.example") -> bytes:
    """`depth` If nodes, each inside the else branch of the previous; the innermost else runs a
    custom-domain op, so its domain is only visible to a reader that walks subgraphs."""
    out = helper.make_tensor_value_info("o", TensorProto.FLOAT, [1])
    inner = helper.make_graph(
        [helper.make_node("Custom", ["a"], ["o"], domain=domain)], "g", [], [out]
    )
    for level in range(depth):
        then = helper.make_graph(
            [helper.make_node("Identity", ["a"], ["o"])], f"t{level}", [], [out]
        )
        node = helper.make_node("If", ["c"], ["o"], then_branch=then, else_branch=inner)
        inner = helper.make_graph([node], f"level{level}", [], [out])
    graph = helper.make_graph(
        list(inner.node),
        "main",
        [
            helper.make_tensor_value_info("c", TensorProto.BOOL, []),
            helper.make_tensor_value_info("a", TensorProto.FLOAT, [1]),
        ],
        [out],
    )
    opsets = [helper.make_opsetid("", 17), helper.make_opsetid(domain, 1)]
    return helper.make_model(graph, opset_imports=opsets).SerializeToString()


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def _length_header(number: int, length: int) -> bytes:
    return _varint(number << 3 | 2) + _varint(length)


def _message(number: int, body: bytes) -> bytes:
    return _length_header(number, len(body)) + body
