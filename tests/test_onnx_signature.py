"""The ONNX signature reader agrees with `onnx.load` on real graphs, reads big models through a
few small ranged reads, and fails with one clear line on anything that is not a model."""

from __future__ import annotations

import functools
import glob
import os
import pickle
import random
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper, numpy_helper

from checks.onnx_signature import (
    ByteSource,
    BytesSource,
    FileSource,
    OnnxSignature,
    OnnxSignatureError,
    RangeReaderSource,
    TensorSpec,
    read_signature,
    read_signature_from_range_reader,
)

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


# -- agreement with onnx.load ------------------------------------------------------------------


def test_agrees_with_onnx_load_on_every_backend_test_model() -> None:
    paths = backend_models()
    assert sum(os.path.basename(p) == "model.onnx" for p in paths) > 100, BACKEND_DATA
    mismatches = []
    for path in paths:
        expected = expected_signature(onnx.load(path, load_external_data=False))
        got = observed(read_signature(path))
        if got != expected:
            differing = sorted(k for k in expected if got[k] != expected[k])
            mismatches.append(f"{os.path.relpath(path, BACKEND_DATA)}: {differing}")
    assert mismatches == [], f"{len(mismatches)} of {len(paths)} models differ:\n" + "\n".join(
        mismatches
    )


@pytest.mark.parametrize(
    "build",
    [kmeans_model, forest_model, two_input_model, if_model],
    ids=["kmeans", "forest", "two-inputs", "if"],
)
def test_agrees_with_onnx_load_on_models_built_here(build: Callable[[], bytes]) -> None:
    data = build()
    assert observed(read_signature(data)) == expected_signature(onnx.load_from_string(data))


def test_every_source_reads_the_same_signature(tmp_path: Path) -> None:
    data = forest_model()
    path = tmp_path / "forest.onnx"
    path.write_bytes(data)
    with FileSource(path) as file_source:
        from_file_source = read_signature(file_source)
    signatures = [
        read_signature(data),
        read_signature(bytearray(data)),
        read_signature(str(path)),
        read_signature(path),
        from_file_source,
        read_signature(BytesSource(data)),
        read_signature(RangeReaderSource(len(data), lambda a, b: data[a : b + 1], block=64)),
        read_signature_from_range_reader(len(data), lambda a, b: data[a : b + 1]),
    ]
    assert all(observed(s) == observed(signatures[0]) for s in signatures)
    assert all(0 < s.bytes_read <= len(data) for s in signatures)


# -- what the signature says about typical models ----------------------------------------------


def test_kmeans_on_iris_in_v2_terms() -> None:
    data = kmeans_model()
    sig = read_signature(data)
    model = onnx.load_from_string(data)
    assert [(s.name, s.datatype) for s in sig.inputs] == [("X", "FP32")]
    assert sig.inputs[0].dims == onnx_type(model.graph.input[0].type)[1]
    assert sig.inputs[0].dims[1] == 4 and sig.inputs[0].dims[0] in (None, "N", "batch", "None")
    assert sig.inputs[0].v2_dims() == [-1, 4]
    assert [(s.name, s.datatype) for s in sig.outputs] == [("label", "INT64"), ("scores", "FP32")]
    assert sig.producer_name == "skl2onnx" and not sig.uses_ai_onnx_ml
    assert sig.opset_imports["ai.onnx"] >= 13 and sig.operator_domains == {"ai.onnx"}


def test_two_inputs_with_a_symbolic_batch() -> None:
    sig = read_signature(two_input_model())
    assert [(s.name, s.datatype, s.dims) for s in sig.inputs] == [
        ("features", "FP32", ("batch", 3)),
        ("discount", "FP32", ("batch", 1)),
    ]
    assert [s.v2_dims() for s in sig.inputs] == [[-1, 3], [-1, 1]]
    assert sig.initializer_names == ("W", "one") and sig.initializer_count == 2
    assert sig.op_types == {"ai.onnx.MatMul", "ai.onnx.Sub", "ai.onnx.Mul"}
    assert (sig.ir_version, sig.producer_name) == (8, "tests")


def test_a_forest_uses_ai_onnx_ml_and_outputs_a_sequence_of_maps() -> None:
    sig = read_signature(forest_model())
    assert sig.uses_ai_onnx_ml and "ai.onnx.ml" in sig.opset_imports
    assert {"ai.onnx.ml.TreeEnsembleClassifier", "ai.onnx.ml.ZipMap"} <= sig.op_types
    label, probabilities = sig.outputs
    assert (label.datatype, label.is_tensor) == ("INT64", True)
    assert probabilities == TensorSpec("output_probability", "SEQUENCE(MAP(INT64,FP32))", None)
    assert not probabilities.is_tensor and probabilities.v2_dims() == []


def test_opset_21() -> None:
    sig = read_signature(two_input_model(opset=21, ir_version=10))
    assert sig.opset_imports == {"ai.onnx": 21} and sig.ir_version == 10


@pytest.mark.parametrize(
    "element_type", [t for t in TensorProto.DataType.values() if t != TensorProto.UNDEFINED]
)
def test_every_element_type_maps_to_its_v2_name(element_type: int) -> None:
    onnx_name = TensorProto.DataType.Name(element_type)
    graph = helper.make_graph(
        [],
        "types",
        [helper.make_tensor_value_info("x", element_type, [2])],
        [helper.make_tensor_value_info("x", element_type, [2])],
    )
    sig = read_signature(helper.make_model(graph).SerializeToString())
    assert sig.inputs[0].datatype == V2.get(onnx_name, onnx_name)


def test_unranked_and_unknown_dims() -> None:
    graph = helper.make_graph(
        [helper.make_node("Identity", ["x"], ["y"])],
        "dims",
        [
            helper.make_tensor_value_info("x", TensorProto.FLOAT, None),
            helper.make_tensor_value_info("s", TensorProto.INT32, []),
            helper.make_tensor_value_info("u", TensorProto.INT8, [None, "n", 7]),
        ],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)],
    )
    sig = read_signature(helper.make_model(graph).SerializeToString())
    assert [(s.name, s.dims, s.v2_dims()) for s in sig.inputs] == [
        ("x", None, []),
        ("s", (), []),
        ("u", (None, "n", 7), [-1, -1, 7]),
    ]


def test_optional_sparse_and_nested_types_agree_with_onnx() -> None:
    tensor = helper.make_tensor_type_proto(TensorProto.FLOAT, ["n"])
    inputs = [
        helper.make_value_info("opt", helper.make_optional_type_proto(tensor)),
        helper.make_value_info("seq", helper.make_sequence_type_proto(tensor)),
        helper.make_value_info(
            "map",
            helper.make_map_type_proto(TensorProto.STRING, helper.make_sequence_type_proto(tensor)),
        ),
        helper.make_value_info(
            "sparse", helper.make_sparse_tensor_type_proto(TensorProto.INT64, [3, 4])
        ),
        helper.make_value_info("untyped", onnx.TypeProto()),
    ]
    graph = helper.make_graph([], "types", inputs, [inputs[0]])
    data = helper.make_model(graph).SerializeToString()
    sig = read_signature(data)
    assert [s.datatype for s in sig.inputs] == [
        "OPTIONAL(FP32)",
        "SEQUENCE(FP32)",
        "MAP(BYTES,SEQUENCE(FP32))",
        "SPARSE(INT64)",
        "UNDEFINED",
    ]
    assert sig.inputs[3].dims == (3, 4) and not sig.inputs[3].is_tensor
    assert observed(sig) == expected_signature(onnx.load_from_string(data))


def test_ir3_initializers_listed_as_inputs_are_not_inputs() -> None:
    """Before IR 4 every initializer was also a graph input; a v2 request sends only the rest."""
    model = onnx.load_from_string(two_input_model(opset=7, ir_version=3))
    model.graph.input.extend(
        [
            helper.make_tensor_value_info("W", TensorProto.FLOAT, [3, 1]),
            helper.make_tensor_value_info("one", TensorProto.FLOAT, [1]),
        ]
    )
    sig = read_signature(model.SerializeToString())
    assert [s.name for s in sig.inputs] == ["features", "discount"]
    assert sig.initializer_names == ("W", "one") and sig.ir_version == 3


def test_sparse_initializers_are_not_inputs() -> None:
    model = onnx.load_from_string(two_input_model())
    values = numpy_helper.from_array(np.array([1.0], np.float32), "S")
    indices = numpy_helper.from_array(np.array([0], np.int64), "S_indices")
    model.graph.sparse_initializer.append(helper.make_sparse_tensor(values, indices, [4]))
    model.graph.input.append(helper.make_tensor_value_info("S", TensorProto.FLOAT, [4]))
    sig = read_signature(model.SerializeToString())
    assert [s.name for s in sig.inputs] == ["features", "discount"]
    assert sig.initializer_names == ("W", "one", "S")


def test_domains_inside_subgraphs_and_functions_count() -> None:
    sig = read_signature(if_model(depth=3))
    assert sig.operator_domains == {"ai.onnx", "com.example"}
    assert {"ai.onnx.If", "ai.onnx.Identity", "com.example.Custom"} == sig.op_types
    assert [s.name for s in sig.inputs] == ["c", "a"] and [s.name for s in sig.outputs] == ["o"]

    function = helper.make_function(
        "com.local",
        "Twice",
        ["x"],
        ["y"],
        [helper.make_node("MyOp", ["x"], ["y"], domain="com.inner")],
        [helper.make_opsetid("com.inner", 1)],
    )
    graph = helper.make_graph(
        [helper.make_node("Twice", ["x"], ["y"], domain="com.local")],
        "g",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1])],
    )
    model = helper.make_model(
        graph, functions=[function], opset_imports=[helper.make_opsetid("com.local", 1)]
    )
    sig = read_signature(model.SerializeToString())
    assert sig.operator_domains == {"com.local", "com.inner"}


def test_the_graph_may_come_anywhere_and_may_repeat() -> None:
    """protobuf allows fields in any order and merges a repeated message field; onnx.load too."""
    model = onnx.load_from_string(two_input_model())
    graph = model.graph.SerializeToString()
    opsets = b"".join(_message(8, o.SerializeToString()) for o in model.opset_import)
    reordered = opsets + _message(2, b"late") + _message(7, graph) + b"\x08\x07"
    sig = read_signature(reordered)
    assert [s.name for s in sig.inputs] == ["features", "discount"]
    assert (sig.ir_version, sig.producer_name, sig.opset_imports) == (7, "late", {"ai.onnx": 17})
    extra = helper.make_graph(
        [], "", [helper.make_tensor_value_info("late_input", TensorProto.INT64, [2])], []
    )
    twice = reordered + _message(7, extra.SerializeToString())
    assert observed(read_signature(twice)) == expected_signature(onnx.load_from_string(twice))
    assert [s.name for s in read_signature(twice).inputs][-1] == "late_input"


def test_external_data_is_never_opened(tmp_path: Path) -> None:
    model = onnx.load_from_string(two_input_model())
    big = numpy_helper.from_array(np.zeros((256, 1024), np.float32), "big")
    model.graph.initializer.append(big)
    path = tmp_path / "model.onnx"
    onnx.save_model(
        model, path, save_as_external_data=True, location="weights.bin", size_threshold=0
    )
    (tmp_path / "weights.bin").unlink()
    sig = read_signature(path)
    assert sig.initializer_names == ("W", "one", "big")
    assert [s.name for s in sig.inputs] == ["features", "discount"]
    assert sig.bytes_read < 16 * 1024


def test_tensor_spec_helpers() -> None:
    assert TensorSpec("x", "FP32", ("n", None, 3)).v2_dims() == [-1, -1, 3]
    assert TensorSpec("x", "FP32", None).v2_dims() == []
    assert TensorSpec("x", "FP32", None).is_tensor
    assert not TensorSpec("m", "MAP(INT64,FP32)", None).is_tensor


def test_the_module_imports_only_the_standard_library() -> None:
    code = (
        "import sys, checks.onnx_signature; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'onnx', 'numpy', 'google', 'boto3', 'textual'}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_reading_a_small_model_is_fast() -> None:
    data = forest_model()
    started = time.perf_counter()
    for _ in range(20):
        read_signature(data)
    assert (time.perf_counter() - started) / 20 < 0.05


# -- errors ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "kind", "words"),
    [
        (b"", "not-onnx", "not an ONNX model: the file is empty"),
        (
            pickle.dumps({"weights": [1, 2]}),
            "not-onnx",
            r"not an ONNX model: the file starts with b'\\x80\\x04\\x95.*' \(a Python pickle\?\)",
        ),
        (pickle.dumps([1], protocol=2), "not-onnx", r"a Python pickle\?"),
        (b"<!DOCTYPE html><html><body>MinIO Console</body></html>", "not-onnx", "an HTML page"),
        (b"  <html><body>502 Bad Gateway</body></html>", "not-onnx", "an HTML page"),
        (b'<?xml version="1.0"?><net name="ir">', "not-onnx", "OpenVINO IR"),
        (b'{"inputs": []}', "not-onnx", "a JSON document"),
        (b"PK\x03\x04rest-of-a-zip", "not-onnx", "a zip archive"),
        (b"\x89HDF\r\n\x1a\nkeras", "not-onnx", "HDF5"),
        (b"version https://git-lfs.github.com/spec/v1\noid sha256:", "not-onnx", "Git LFS"),
        (b"just some notes about the model\n", "not-onnx", r"\(a text file\?\)"),
        (b"\x08\x07", "not-onnx", "not an ONNX model: no graph found in 2 bytes"),
        (
            b"\x08\x07\x3a\xff\xff\xff\xff\x0f",
            "truncated",
            "field graph at byte 8 wants 4,294,967,295 bytes but only 0 remain",
        ),
        (b"\x08\x07\x00\x01", "corrupt", "field number 0 at byte 2"),
        (b"\x08\x07\x3b", "corrupt", "field 7 of the model at byte 2 has wire type 3"),
        (b"\x08\xff\xff", "truncated", "the file ends inside a field of the model at byte 0"),
    ],
)
def test_what_is_not_a_model_gets_a_clear_error(data: bytes, kind: str, words: str) -> None:
    with pytest.raises(OnnxSignatureError) as raised:
        read_signature(data)
    assert re.search(words, str(raised.value)), str(raised.value)
    assert raised.value.kind == kind and "\n" not in str(raised.value)


def test_a_pickled_numpy_model_file(tmp_path: Path) -> None:
    path = tmp_path / "mymodel.pkl"
    path.write_bytes(pickle.dumps(np.poly1d([0.02, 1.5, 40.0])))
    with pytest.raises(OnnxSignatureError, match=r"starts with b'\\x80.*a Python pickle\?"):
        read_signature(path)


def test_a_missing_file_is_an_os_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        read_signature(tmp_path / "nope.onnx")


@pytest.mark.parametrize("fraction", [0.02, 0.1, 0.3, 0.5, 0.7, 0.9, 0.99])
def test_truncated_models_say_where_and_how_much(fraction: float) -> None:
    data = kmeans_model()
    cut = int(len(data) * fraction)
    with pytest.raises(OnnxSignatureError) as raised:
        read_signature(data[:cut])
    message = str(raised.value)
    assert raised.value.kind == "truncated" and message.startswith("truncated ONNX model: ")
    found = re.search(
        r"field graph at byte ([\d,]+) wants ([\d,]+) bytes but only ([\d,]+) remain", message
    )
    if found:
        at, wants, remain = (int(g.replace(",", "")) for g in found.groups())
        assert remain == cut - at and wants == len(
            onnx.load_from_string(data).graph.SerializeToString()
        )


def test_random_bytes_are_not_a_model() -> None:
    rng = random.Random(7)
    for _ in range(200):
        data = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 400)))
        with pytest.raises(OnnxSignatureError):
            read_signature(data)


def test_subgraphs_nested_too_deep_are_refused() -> None:
    assert "com.example" in read_signature(if_model(depth=30)).operator_domains
    graph = _message(1, _message(4, b"Custom"))
    for _ in range(40):  # deeper than protobuf lets onnx.helper build: written by hand
        attribute = _message(1, b"else_branch") + _message(6, graph)
        graph = _message(1, _message(4, b"If") + _message(5, attribute))
    with pytest.raises(OnnxSignatureError, match="subgraphs nested more than 32 deep"):
        read_signature(b"\x08\x08" + _message(7, graph))


def test_an_object_shorter_than_its_listed_size_is_truncated() -> None:
    data = two_input_model()
    with pytest.raises(OnnxSignatureError, match="shorter than its listed size") as raised:
        read_signature_from_range_reader(len(data) + 100, lambda a, b: data[a : b + 1])
    assert raised.value.kind == "truncated"


# -- ranged reads ------------------------------------------------------------------------------


class CountingReader:
    """A stand-in for S3 ranged GETs that records every request."""

    def __init__(self, data: bytes, ignore_range: bool = False) -> None:
        self.data = data
        self.ignore_range = ignore_range
        self.calls: list[tuple[int, int]] = []

    def __call__(self, start: int, end: int) -> bytes:
        self.calls.append((start, end))
        return self.data if self.ignore_range else self.data[start : end + 1]


def test_a_small_model_takes_one_request() -> None:
    data = kmeans_model()
    reader = CountingReader(data)
    sig = read_signature_from_range_reader(len(data), reader)
    assert [s.name for s in sig.inputs] == ["X"]
    assert reader.calls == [(0, len(data) - 1)] and sig.bytes_read == len(data)


def test_many_large_initializers_cost_one_small_request_each() -> None:
    """A block of read-ahead per initializer would fetch most of the weights."""
    count, floats = 24, 256 * 1024  # 24 initializers of 1 MiB
    weights = [numpy_helper.from_array(np.zeros(floats, np.float32), f"w{i}") for i in range(count)]
    graph = helper.make_graph(
        [helper.make_node("Sum", ["x"] + [w.name for w in weights], ["y"])],
        "many",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [floats])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [floats])],
        initializer=weights,
    )
    data = helper.make_model(graph).SerializeToString()
    reader = CountingReader(data)
    source = RangeReaderSource(len(data), reader)
    sig = read_signature(source)
    assert len(sig.initializer_names) == count and [s.name for s in sig.inputs] == ["x"]
    assert source.requests == len(reader.calls) <= count + 3
    assert sig.bytes_read == source.bytes_read < 2 * MiB < len(data) // 10


def test_a_server_that_ignores_range_still_works() -> None:
    data = two_input_model()
    reader = CountingReader(data, ignore_range=True)
    source = RangeReaderSource(len(data), reader, block=64)
    assert [s.name for s in read_signature(source).inputs] == ["features", "discount"]


def test_the_cache_answers_repeated_reads() -> None:
    data = bytes(range(256)) * 4096
    reader = CountingReader(data)
    source = RangeReaderSource(len(data), reader, block=4096)
    assert source.read(10, 5) == data[10:15] and source.read(100, 50) == data[100:150]
    assert source.read(len(data) - 3, 10) == data[-3:] and source.read(len(data), 1) == b""
    assert len(reader.calls) == 2 and source.size() == len(data)


# -- a 1 GiB model ----------------------------------------------------------------------------


class SyntheticBigModel:
    """A ModelProto whose one initializer holds `payload` zero bytes, synthesised on demand and
    never stored. As onnx.save writes them, the inputs and outputs come after the weights."""

    def __init__(self, payload: int) -> None:
        model = onnx.load_from_string(two_input_model())
        tensor = numpy_helper.from_array(np.zeros(0, np.float32), "big").SerializeToString()
        tensor += _length_header(9, payload)  # raw_data
        nodes = b"".join(_message(1, n.SerializeToString()) for n in model.graph.node)
        io = b"".join(_message(11, v.SerializeToString()) for v in model.graph.input)
        io += b"".join(_message(12, v.SerializeToString()) for v in model.graph.output)
        graph_head = nodes + _length_header(5, len(tensor) + payload) + tensor
        self.prefix = (
            b"\x08"
            + _varint(model.ir_version)
            + _length_header(7, len(graph_head) + payload + len(io))
            + graph_head
        )
        self.suffix = io + b"".join(_message(8, o.SerializeToString()) for o in model.opset_import)
        self.payload = payload
        self.requested = 0

    def size(self) -> int:
        return len(self.prefix) + self.payload + len(self.suffix)

    def read(self, offset: int, length: int) -> bytes:
        self.requested += length
        end = min(offset + length, self.size())
        tail = len(self.prefix) + self.payload
        out = bytearray()
        for lo, hi, fill in (
            (0, len(self.prefix), self.prefix),
            (len(self.prefix), tail, None),
            (tail, self.size(), self.suffix),
        ):
            a, b = max(offset, lo), min(end, hi)
            if a < b:
                out += bytes(b - a) if fill is None else fill[a - lo : b - lo]
        return bytes(out)


def check_big(sig: OnnxSignature) -> None:
    assert [(s.name, s.dims) for s in sig.inputs] == [
        ("features", ("batch", 3)),
        ("discount", ("batch", 1)),
    ]
    assert sig.initializer_names == ("big",) and sig.opset_imports == {"ai.onnx": 17}


def test_a_1_gib_model_through_ranged_reads_costs_under_a_mebibyte() -> None:
    model = SyntheticBigModel(1024**3)
    assert model.size() > 1024**3
    source = RangeReaderSource(model.size(), lambda a, b: model.read(a, b - a + 1))
    sig = read_signature(source)
    check_big(sig)
    assert sig.bytes_read < MiB and model.requested < MiB and source.requests <= 3


def test_a_1_gib_model_as_a_plain_byte_source() -> None:
    model = SyntheticBigModel(1024**3)
    source: ByteSource = model
    sig = read_signature(source)
    check_big(sig)
    assert sig.bytes_read == model.requested < MiB


def test_a_1_gib_sparse_file(tmp_path: Path) -> None:
    model = SyntheticBigModel(1024**3)
    path = tmp_path / "big.onnx"
    with open(path, "wb") as file:
        file.write(model.prefix)
        file.seek(len(model.prefix) + model.payload)  # a hole: no 1 GiB written
        file.write(model.suffix)
    if path.stat().st_blocks * 512 > 64 * MiB:
        pytest.skip("this filesystem does not keep sparse files")
    sig = read_signature(path)
    check_big(sig)
    assert sig.bytes_read < MiB
