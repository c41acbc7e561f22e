"""The composer's requests and error parsing against a third-party Open Inference Protocol
server: MLServer (from PyPI) with a custom onnxruntime runtime, bound to loopback."""

from __future__ import annotations

import asyncio
import json
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from checks.endpoints.send import http_client, send
from checks.model_files.onnx import read_signature
from checks.request.local_run import compare, run_local
from checks.request.model_request import example_request

RUNTIME = """
import numpy as np
import onnxruntime
from mlserver import MLModel
from mlserver.codecs import NumpyCodec
from mlserver.types import InferenceResponse


class OnnxRuntime(MLModel):
    async def load(self) -> bool:
        self.session = onnxruntime.InferenceSession(self.settings.parameters.uri)
        return True

    async def predict(self, payload):
        feeds = {i.name: NumpyCodec.decode_input(i).astype(np.float32) for i in payload.inputs}
        if feeds["X"].shape[0] > 100:
            raise RuntimeError("batch larger than 100")
        names = [o.name for o in self.session.get_outputs()]
        outs = self.session.run(names, feeds)
        return InferenceResponse(model_name=self.name, outputs=[
            NumpyCodec.encode_output(name, value) for name, value in zip(names, outs)])
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def mlserver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, bytes]]:
    from lab.models import build_iris_kmeans

    root = tmp_path_factory.mktemp("mlserver")
    model = build_iris_kmeans()
    (root / "iris").mkdir()
    (root / "iris" / "model.onnx").write_bytes(model)
    (root / "runtime.py").write_text(RUNTIME)
    port = _free_port()
    (root / "settings.json").write_text(
        json.dumps(
            {
                "host": "127.0.0.1",
                "http_port": port,
                "grpc_port": _free_port(),
                "metrics_port": _free_port(),
                "parallel_workers": 0,
                "debug": False,
            }
        )
    )
    (root / "iris" / "model-settings.json").write_text(
        json.dumps(
            {
                "name": "iris",
                "implementation": "runtime.OnnxRuntime",
                "parameters": {"uri": str(root / "iris" / "model.onnx")},
            }
        )
    )
    mlserver_bin = Path(sys.executable).parent / "mlserver"
    process = subprocess.Popen(
        [str(mlserver_bin), "start", str(root)],
        cwd=root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{url}/v2/models/iris/ready").status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None:
                pytest.fail(f"mlserver exited: {process.stderr.read().decode()[-2000:]}")
            time.sleep(0.2)
        yield url, model
    finally:
        process.terminate()
        process.wait(timeout=20)


def _post(url: str, body: dict | bytes, *requests: tuple[str, dict | bytes]) -> list:
    async def go() -> list:
        async with http_client(None, True, 20) as http:
            results = []
            for path, payload in ((url, body), *requests):
                data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
                results.append(await send(http, path, data, None, [], "iris"))
            return results

    return asyncio.run(go())


def test_composed_request_is_answered_and_matches_onnxruntime(mlserver) -> None:
    url, model = mlserver
    request = example_request(read_signature(model))
    [sent] = _post(f"{url}/v2/models/iris/infer", request)
    assert sent.status == 200, sent.body
    assert sent.answer.who == "model server"
    comparison = compare(run_local(model, request), sent.body)
    assert [(c.output, c.agrees) for c in comparison] == [("label", True), ("scores", True)]


def test_unknown_model_is_explained(mlserver) -> None:
    url, model = mlserver
    [sent] = _post(f"{url}/v2/models/fraud/infer", example_request(read_signature(model)))
    assert sent.status == 404
    assert "no model of that name" in sent.explanation or "not found" in sent.explanation


def test_survives_the_connection_dropped_after_a_500(mlserver) -> None:
    url, model = mlserver
    good = example_request(read_signature(model))
    too_big = {
        "inputs": [{"name": "X", "shape": [101, 4], "datatype": "FP32", "data": [1.0] * 404}]
    }
    first, second, third = _post(
        f"{url}/v2/models/iris/infer",
        too_big,
        (f"{url}/v2/models/iris/infer", good),
        (f"{url}/v2/models/iris/infer", good),
    )
    assert first.status >= 500 and first.explanation.startswith(f"{first.status} from")
    assert (second.status, third.status) == (200, 200)


def test_malformed_json_is_explained(mlserver) -> None:
    url, _ = mlserver
    [sent] = _post(f"{url}/v2/models/iris/infer", b'{"inputs": [')
    assert sent.status in (400, 422)
    assert sent.explanation.startswith(f"{sent.status} from")
