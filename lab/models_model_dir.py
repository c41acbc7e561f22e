"""Models for the model-directory scenarios (lab/scenarios_model_dir.py), built at lab start: a
model with many weights, one whose weights live in an external file, and the head of one over
protobuf's 2 GiB limit (the lab stores it sparse: lab/s3_backend.py)."""

from __future__ import annotations

TOO_LARGE_SIZE = 2**31 + 4096  # just over protobuf's 2 GiB limit for one message


def build_many_weights(count: int = 2000, floats: int = 5000) -> bytes:
    """X FP32 [-1,4] -> Y: X plus the sum of each of `count` weights of `floats` floats (each
    larger than a ranged reader's first read after a jump, so each costs a GET when read one
    after another)."""
    import numpy as np
    from onnx import TensorProto, helper, numpy_helper

    rng = np.random.default_rng(0)
    weights, nodes = [], []
    for i in range(count):
        weights.append(
            numpy_helper.from_array(
                (rng.standard_normal(floats) * 1e-6).astype(np.float32), f"W{i:04d}"
            )
        )
        nodes.append(helper.make_node("ReduceSum", [f"W{i:04d}"], [f"s{i:04d}"], keepdims=0))
    nodes.append(helper.make_node("Sum", ["X", *[f"s{i:04d}" for i in range(count)]], ["Y"]))
    graph = helper.make_graph(
        nodes,
        "many_weights",
        [helper.make_tensor_value_info("X", TensorProto.FLOAT, [None, 4])],
        [helper.make_tensor_value_info("Y", TensorProto.FLOAT, [None, 4])],
        initializer=weights,
    )
    model = helper.make_model(
        graph, producer_name="rhoai-doctor-lab", opset_imports=[helper.make_opsetid("", 17)]
    )
    model.ir_version = 8
    return model.SerializeToString()


def build_external(location: str = "weights.bin", floats: int = 12) -> tuple[bytes, bytes]:
    """(model, weights): an iris-shaped scorer whose weight W lives in the file `location`."""
    import numpy as np
    from onnx import TensorProto, helper, numpy_helper
    from onnx.external_data_helper import set_external_data

    values = np.eye(4, 3, dtype=np.float32)
    weight = numpy_helper.from_array(values, "W")
    data = weight.raw_data
    set_external_data(weight, location=location, offset=0, length=len(data))
    weight.ClearField("raw_data")
    weight.data_location = TensorProto.EXTERNAL
    graph = helper.make_graph(
        [helper.make_node("MatMul", ["X", "W"], ["scores"])],
        "iris_external",
        [helper.make_tensor_value_info("X", TensorProto.FLOAT, [None, 4])],
        [helper.make_tensor_value_info("scores", TensorProto.FLOAT, [None, 3])],
        initializer=[weight],
    )
    model = helper.make_model(
        graph, producer_name="rhoai-doctor-lab", opset_imports=[helper.make_opsetid("", 17)]
    )
    model.ir_version = 8
    return model.SerializeToString(), data


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def build_too_large_layout(size: int = TOO_LARGE_SIZE) -> tuple[bytes, bytes]:
    """(head, tail) of a `size`-byte ONNX model: X -> Mul by one weight W whose raw_data fills
    the middle with zeros, inputs and outputs after it, as onnx.save lays a model out."""
    from onnx import GraphProto, ModelProto, TensorProto, helper

    model = ModelProto(ir_version=8, producer_name="rhoai-doctor-lab")
    model.opset_import.append(helper.make_opsetid("", 17))
    before = GraphProto(name="too_large")
    before.node.append(helper.make_node("Mul", ["X", "W"], ["Y"]))
    after = GraphProto()
    after.input.append(helper.make_tensor_value_info("X", TensorProto.FLOAT, [None]))
    after.output.append(helper.make_tensor_value_info("Y", TensorProto.FLOAT, [None]))
    tail = after.SerializeToString()
    model_head = model.SerializeToString()
    # Solve for the raw_data length n so that the whole file is exactly `size` bytes.
    n = size - len(model_head) - len(tail) - len(before.SerializeToString()) - 64
    for _ in range(8):
        tensor = TensorProto(name="W", data_type=TensorProto.FLOAT, dims=[n // 4])
        tensor_head = tensor.SerializeToString() + b"\x4a" + _varint(n)
        initializer = b"\x2a" + _varint(len(tensor_head) + n) + tensor_head
        graph_len = len(before.SerializeToString()) + len(initializer) + n + len(tail)
        head = model_head + b"\x3a" + _varint(graph_len) + before.SerializeToString() + initializer
        total = len(head) + n + len(tail)
        n += size - total
        if total == size:
            return head, tail
    raise ValueError("could not lay out the model")
