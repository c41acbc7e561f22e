"""The demo models, built at lab start so the lab ships no binaries and every fault is genuine."""

from __future__ import annotations

import pickle
from dataclasses import dataclass


@dataclass(frozen=True)
class DemoModels:
    iris: bytes  # the course's KMeans on iris: input X FP32 [-1,4], outputs label and scores
    pricing: bytes  # two inputs with a symbolic batch dimension
    iris_opset23: bytes  # iris-shaped graph exported at an opset newer than OVMS 2024.5 reads
    purchase_pickle: bytes  # the course's purchase-amount model: a pickled numpy.poly1d
    # lab/scenarios_model_dir.py (built in lab/models_model_dir.py)
    many_weights: bytes = b""  # 2,000 weights of 20 kB
    external_model: bytes = b""  # iris-shaped, its weight W in weights.bin
    external_weights: bytes = b""  # that weights.bin
    too_large_head: bytes = b""  # the first bytes of a model over 2 GiB (stored sparse)
    too_large_tail: bytes = b""  # and its last bytes
    asset: bytes = b"{}\n"  # a small file beside a model


def build_iris_kmeans() -> bytes:
    """skl2onnx `to_onnx` of a KMeans fitted on iris, exactly as the course notebook does it."""
    import numpy as np
    from skl2onnx import to_onnx
    from sklearn.cluster import KMeans
    from sklearn.datasets import load_iris

    features = load_iris().data
    kmeans = KMeans(n_clusters=3, n_init=10, random_state=0).fit(features)
    return to_onnx(kmeans, features[:1].astype(np.float32)).SerializeToString()


def build_pricing(opset: int = 17) -> bytes:
    """price = (features @ weights) * (1 - discount), batch dimension symbolic."""
    import numpy as np
    from onnx import TensorProto, helper, numpy_helper

    weights = numpy_helper.from_array(np.array([[120.0], [35.5], [-4.0]], dtype=np.float32), "W")
    one = numpy_helper.from_array(np.array([1.0], dtype=np.float32), "one")
    nodes = [
        helper.make_node("MatMul", ["features", "W"], ["base"]),
        helper.make_node("Sub", ["one", "discount"], ["keep"]),
        helper.make_node("Mul", ["base", "keep"], ["price"]),
    ]
    graph = helper.make_graph(
        nodes,
        "pricing",
        [
            helper.make_tensor_value_info("features", TensorProto.FLOAT, ["batch", 3]),
            helper.make_tensor_value_info("discount", TensorProto.FLOAT, ["batch", 1]),
        ],
        [helper.make_tensor_value_info("price", TensorProto.FLOAT, ["batch", 1])],
        initializer=[weights, one],
    )
    model = helper.make_model(
        graph, producer_name="rhoai-doctor-lab", opset_imports=[helper.make_opsetid("", opset)]
    )
    model.ir_version = 8
    return model.SerializeToString()


def build_iris_linear(opset: int) -> bytes:
    """An iris-shaped scorer (X FP32 [-1,4] -> scores FP32 [-1,3]) at a chosen opset."""
    import numpy as np
    from onnx import TensorProto, helper, numpy_helper

    weights = numpy_helper.from_array(np.eye(4, 3, dtype=np.float32), "W")
    graph = helper.make_graph(
        [helper.make_node("MatMul", ["X", "W"], ["scores"])],
        "iris_linear",
        [helper.make_tensor_value_info("X", TensorProto.FLOAT, [None, 4])],
        [helper.make_tensor_value_info("scores", TensorProto.FLOAT, [None, 3])],
        initializer=[weights],
    )
    model = helper.make_model(
        graph, producer_name="rhoai-doctor-lab", opset_imports=[helper.make_opsetid("", opset)]
    )
    model.ir_version = 11 if opset >= 23 else 8
    return model.SerializeToString()


def build_purchase_pickle() -> bytes:
    """What the course's purchase-amount notebook saves: a pickled polynomial, not servable by OVMS."""
    import numpy as np

    return pickle.dumps(np.poly1d([0.02, 1.5, 40.0]))


def build_all() -> DemoModels:
    from lab.models_model_dir import build_external, build_many_weights, build_too_large_layout

    external, weights = build_external()
    head, tail = build_too_large_layout()
    return DemoModels(
        build_iris_kmeans(),
        build_pricing(),
        build_iris_linear(23),
        build_purchase_pickle(),
        many_weights=build_many_weights(),
        external_model=external,
        external_weights=weights,
        too_large_head=head,
        too_large_tail=tail,
    )
