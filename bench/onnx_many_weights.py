"""The signature of models with many weights in an S3 that takes 80 ms per request: the walk
one ranged GET after another (each initializer's header says where the next one starts) vs the
sweep that fetches the blocks ahead concurrently (16 GETs at once). Targets (issue 23): a
densenet121-like model (143 conv weights) in <= 2 s, a 2,000-weight model in <= 5 s.

The lab's S3 (moto) with its per-request latency, in this process: `LabS3(latency_s=0.08)`.
"""

from __future__ import annotations

import time
from dataclasses import replace

from bench.targets import Target, record
from checks.resources.tables import table

LATENCY_S = 0.08
BUCKET = "bench-weights"


def build_densenet_like() -> bytes:
    """143 conv weights of densenet121's sizes (≈ 30 MB), each followed by three small
    BatchNorm-like tensors, as a torchvision export lays them out."""
    import numpy as np
    from onnx import TensorProto, helper, numpy_helper

    rng = np.random.default_rng(1)
    weights, names = [], []
    for i in range(143):
        floats = int(rng.integers(9_000, 110_000))  # 36 kB .. 440 kB, ≈ 30 MB in all
        weights.append(numpy_helper.from_array(np.zeros(floats, np.float32), f"conv{i}.weight"))
        names.append(f"conv{i}.weight")
        for part in ("scale", "bias", "mean"):
            name = f"bn{i}.{part}"
            weights.append(numpy_helper.from_array(np.zeros(128, np.float32), name))
            names.append(name)
    nodes = [helper.make_node("ReduceSum", [n], [f"s_{n}"], keepdims=0) for n in names]
    nodes.append(helper.make_node("Sum", ["X", *[f"s_{n}" for n in names]], ["Y"]))
    graph = helper.make_graph(
        nodes,
        "densenet_like",
        [helper.make_tensor_value_info("X", TensorProto.FLOAT, [None, 3, 224, 224])],
        [helper.make_tensor_value_info("Y", TensorProto.FLOAT, [None, 3, 224, 224])],
        initializer=weights,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    return model.SerializeToString()


def _read(storage, key: str, size: int, concurrency: int) -> tuple[float, object, object]:
    from checks.model_files.onnx import RangeReaderSource, read_signature

    source = RangeReaderSource(
        size, lambda a, b: storage.read_range(key, a, b), concurrency=concurrency
    )
    started = time.perf_counter()
    signature = read_signature(source)
    return time.perf_counter() - started, signature, source


def main() -> None:
    from checks.storage.s3 import S3Target, Storage
    from lab.models_model_dir import build_many_weights
    from lab.s3 import LabS3

    s3 = LabS3(latency_s=0.0)
    client = s3.client("s3")
    client.create_bucket(Bucket=BUCKET)
    models = {
        "densenet121-like (143 conv weights)": (
            "densenet/1/model.onnx",
            build_densenet_like(),
            2.0,
        ),
        "2,000 weights of 20 kB": ("many/1/model.onnx", build_many_weights(), 5.0),
    }
    for key, data, _ in models.values():
        client.put_object(Bucket=BUCKET, Key=key, Body=data)
    s3.latency_s = LATENCY_S
    storage = Storage(
        S3Target(s3.endpoint, BUCKET, "us-east-1", "lab-bootstrap", "lab-bootstrap", timeout=30)
    )
    rows = []
    try:
        for label, (key, data, goal) in models.items():
            one, sig_one, src_one = _read(storage, key, len(data), 1)
            swept, sig_swept, src_swept = _read(storage, key, len(data), 16)
            # the same walk over the same bytes: all but what it cost
            assert replace(sig_one, bytes_read=0) == replace(sig_swept, bytes_read=0)
            rows.append(
                (
                    label,
                    f"{len(data) / 1e6:.1f} MB",
                    f"{one:.2f} s / {src_one.requests} GETs",
                    f"{swept:.2f} s / {src_swept.requests} GETs in {src_swept.rounds} rounds",
                    f"{src_swept.bytes_read / 1e6:.1f} MB",
                    f"<= {goal:g} s",
                )
            )
            record(
                Target(
                    f"signature of {label} at 80 ms/GET",
                    swept,
                    "s",
                    f"<= {goal:g} s",
                    swept <= goal,
                    peer=one,
                    peer_name="one GET after another",
                )
            )
    finally:
        s3.stop()
    print(f"S3 latency: {LATENCY_S * 1000:.0f} ms per request (lab S3, moto)")
    print(
        table(
            ("MODEL", "SIZE", "ONE AFTER ANOTHER", "SWEEP (16 AT ONCE)", "SWEEP READ", "GOAL"),
            rows,
        )
    )


if __name__ == "__main__":
    main()
