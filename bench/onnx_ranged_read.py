"""The signature of a >= 1 GiB ONNX model in the lab's S3: ranged reads that skip the weights vs
downloading the file and `onnx.load`. Targets (issue 3): <= 1 MiB transferred, <= 150 MB RSS.

Each side runs in its own process so its peak RSS is its own.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import private_lab
from checks.resources.tables import table

SIZE_BYTES = 1024**3 + 4096
ROOT = Path(__file__).parent.parent

RANGED = """
import json, sys, time
from bench.common import peak_rss_mb
from checks.resources import DataConnection
from checks.storage.s3 import S3Target, Storage
from checks.model_files.onnx import read_signature_from_range_reader
target = S3Target(**json.loads(sys.argv[1]))
storage = Storage(target)
started = time.perf_counter()
size = storage.size("big/1/model.onnx")
signature = read_signature_from_range_reader(
    size, lambda a, b: storage.read_range("big/1/model.onnx", a, b))
print(json.dumps({"seconds": time.perf_counter() - started, "bytes": signature.bytes_read,
                  "rss_mb": peak_rss_mb(),
                  "inputs": [i.name for i in signature.inputs]}))
"""

DOWNLOAD = """
import json, sys, time, onnx
from bench.common import peak_rss_mb
target = json.loads(sys.argv[1])
started = time.perf_counter()
import boto3  # the usual way: the whole object with boto3, then onnx.load
s3 = boto3.client("s3", endpoint_url=target["endpoint"], region_name=target["region"],
                  aws_access_key_id=target["access_key_id"],
                  aws_secret_access_key=target["secret_access_key"])
data = s3.get_object(Bucket=target["bucket"], Key="big/1/model.onnx")["Body"].read()
model = onnx.load_from_string(data)
print(json.dumps({"seconds": time.perf_counter() - started, "bytes": len(data),
                  "rss_mb": peak_rss_mb(),
                  "inputs": [i.name for i in model.graph.input]}))
"""


def build_big_model(path: Path) -> None:
    """A model whose one initializer holds 1 GiB, with its inputs stored after the weights."""
    import numpy as np
    from onnx import TensorProto, helper, numpy_helper, save

    weights = numpy_helper.from_array(np.zeros(SIZE_BYTES // 4, dtype=np.float32), "W")
    graph = helper.make_graph(
        [helper.make_node("Mul", ["X", "W"], ["Y"])],
        "big",
        [helper.make_tensor_value_info("X", TensorProto.FLOAT, [SIZE_BYTES // 4])],
        [helper.make_tensor_value_info("Y", TensorProto.FLOAT, [SIZE_BYTES // 4])],
        initializer=[weights],
    )
    save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), str(path))


def _side(script: str, target: dict) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", script, json.dumps(target)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    return json.loads(out.stdout)


def main() -> None:
    import boto3

    with tempfile.TemporaryDirectory() as scratch, private_lab() as lab:
        path = Path(scratch) / "big.onnx"
        build_big_model(path)
        creds = lab["s3_credentials"]
        s3 = boto3.client(
            "s3",
            endpoint_url=lab["s3"],
            region_name="us-east-1",
            aws_access_key_id=creds["access_key_id"],
            aws_secret_access_key=creds["secret_access_key"],
        )
        s3.create_bucket(Bucket="bench-big")
        started = time.perf_counter()
        s3.upload_file(str(path), "bench-big", "big/1/model.onnx")
        upload = time.perf_counter() - started
        size = path.stat().st_size
        target = {
            "endpoint": lab["s3"],
            "bucket": "bench-big",
            "region": "us-east-1",
            "access_key_id": creds["access_key_id"],
            "secret_access_key": creds["secret_access_key"],
            "timeout": 120,
        }
        ranged = _side(RANGED, target)
        full = _side(DOWNLOAD, target)
    assert ranged["inputs"] == full["inputs"] == ["X"]
    print(f"model: {size / 1024**3:.2f} GiB in the lab S3 (uploaded in {upload:.1f} s)")
    print(
        table(
            ("HOW", "BYTES TRANSFERRED", "SECONDS", "PEAK RSS (MB)"),
            [
                (
                    "rhoai-doctor ranged read",
                    f"{ranged['bytes']:,}",
                    f"{ranged['seconds']:.2f}",
                    f"{ranged['rss_mb']:.0f}",
                ),
                (
                    "download + onnx.load",
                    f"{full['bytes']:,}",
                    f"{full['seconds']:.2f}",
                    f"{full['rss_mb']:.0f}",
                ),
            ],
        )
    )
    ok = ranged["bytes"] <= 1024**2 and ranged["rss_mb"] <= 150
    print(f"{'meets' if ok else 'MISSES'} the <= 1 MiB and <= 150 MB targets")


if __name__ == "__main__":
    main()
