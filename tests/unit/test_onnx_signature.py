"""The ONNX signature reader agrees with onnx.load, and says what typical models declare."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper, numpy_helper

from checks.model_files.onnx import (
    BytesSource,
    FileSource,
    RangeReaderSource,
    TensorSpec,
    read_signature,
    read_signature_from_range_reader,
)
from tests.helpers import (
    BACKEND_DATA,
    V2,
    _message,
    backend_models,
    expected_signature,
    forest_model,
    if_model,
    kmeans_model,
    observed,
    onnx_type,
    two_input_model,
)

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
        "import sys, checks.model_files.onnx; "
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
