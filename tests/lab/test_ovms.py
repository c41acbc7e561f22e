"""The lab's OVMS emulation: the texts and codes of docs/domain.md §4.3, on real models."""

from __future__ import annotations

import json
import pickle

import numpy as np
import onnxruntime
import pytest

from lab.models import build_iris_kmeans, build_iris_linear, build_pricing
from lab.ovms import (
    ModelLoadError,
    OvmsImage,
    ServedModel,
    modelmesh_model_id,
    modelmesh_rest_error,
)

IMAGE = OvmsImage.from_image("quay.io/modh/openvino_model_server:2024.5-release")
SEED = {"inputs": [{"name": "X", "shape": [1, 4], "datatype": "FP32", "data": [3, 4, 3, 2]}]}


@pytest.fixture(scope="module")
def iris_bytes() -> bytes:
    return build_iris_kmeans()


@pytest.fixture(scope="module")
def iris(iris_bytes: bytes) -> ServedModel:
    return ServedModel("iris", {"1/model.onnx": iris_bytes}, IMAGE, "kserve")


def call(model: ServedModel, body: dict | str) -> tuple[int, str]:
    raw = body if isinstance(body, str) else json.dumps(body)
    status, answer = model.infer(raw.encode(), "application/json")
    return status, answer.get("error", "")


def test_seed_request_matches_onnxruntime(iris: ServedModel, iris_bytes: bytes) -> None:
    status, answer = iris.infer(json.dumps(SEED).encode(), None)
    assert status == 200
    session = onnxruntime.InferenceSession(iris_bytes)
    label, scores = session.run(None, {"X": np.array([[3, 4, 3, 2]], dtype=np.float32)})
    outputs = {o["name"]: o for o in answer["outputs"]}
    assert outputs["label"]["data"] == label.tolist()
    assert np.allclose(outputs["scores"]["data"], scores.flatten())
    assert outputs["scores"]["shape"] == [1, 3] and outputs["label"]["datatype"] == "INT64"


def with_input(**changes) -> dict:
    return {"inputs": [{**SEED["inputs"][0], **changes}]}


@pytest.mark.parametrize(
    ("body", "status", "text"),
    [
        ('{"inputs": [', 412, "The file is not valid json - Error: Invalid value. Offset: "),
        ("[1]", 400, "Request body should be JSON object"),
        ({"inputs": []}, 400, "Invalid JSON structure, missing inputs"),
        (
            with_input(datatype="FLOAT32"),
            400,
            "Could not parse input content. Unsupported data precision detected",
        ),
        (with_input(data="abc"), 400, "Could not parse input content. Not valid ndarray detected"),
        (
            {"inputs": [SEED["inputs"][0], {**SEED["inputs"][0], "name": "Y"}]},
            400,
            "Invalid number of inputs - Expected: 1; Actual: 2",
        ),
        (with_input(name="predict"), 400, "Missing input with specific name - Required input: X"),
        (
            with_input(datatype="FP64"),
            400,
            "Invalid input precision - Expected: FP32; Actual: FP64; input name: X",
        ),
        (
            with_input(shape=[4]),
            400,
            "Invalid number of shape dimensions - Expected: (-1,4); Actual: (4); input name: X",
        ),
        (
            with_input(shape=[1, 3], data=[1, 2, 3]),
            400,
            "Invalid input shape - Expected: (-1,4); Actual: (1,3); input name: X",
        ),
        (
            with_input(data=[1, 2, 3]),
            400,
            "Invalid number of values in tensor proto container - "
            "Expected: 4 values; Actual: 3 values; input name: X",
        ),
    ],
)
def test_error_texts_follow_ovms(iris: ServedModel, body, status: int, text: str) -> None:
    got_status, error = call(iris, body)
    assert got_status == status
    assert error.startswith(text)


def test_metadata_and_ready(iris: ServedModel) -> None:
    assert iris.ready()[0] == 200
    status, meta = iris.metadata()
    assert status == 200 and meta["platform"] == "OpenVINO" and meta["versions"] == ["1"]
    assert meta["inputs"] == [{"name": "X", "datatype": "FP32", "shape": [-1, 4]}]


def test_kserve_layout_without_version_folder_serves_nothing(iris_bytes: bytes) -> None:
    model = ServedModel("iris", {"model.onnx": iris_bytes}, IMAGE, "kserve")
    assert "No version found for model in path: /mnt/models" in model.log_lines[-1]
    assert call(model, SEED) == (404, "Model with requested version is not found")


def test_modelmesh_layout_takes_a_single_file(iris_bytes: bytes) -> None:
    model = ServedModel(
        modelmesh_model_id("iris"), {"rf_iris.onnx": iris_bytes}, IMAGE, "modelmesh"
    )
    assert call(model, SEED)[0] == 200


def test_load_failures_are_worded_like_the_runtime(iris_bytes: bytes) -> None:
    with pytest.raises(ModelLoadError, match=r"mymodel\.pkl"):
        ServedModel("p", {"mymodel.pkl": pickle.dumps({"a": 1})}, IMAGE, "modelmesh")
    with pytest.raises(ModelLoadError, match="operator set version: 23 is unsupported"):
        ServedModel("o", {"1/model.onnx": build_iris_linear(23)}, IMAGE, "kserve")
    old = OvmsImage.from_image("openvino_model_server:2024.3-release")
    assert old.max_onnx_opset == 20
    ServedModel("o", {"1/model.onnx": build_iris_linear(20)}, old, "kserve")
    with pytest.raises(ModelLoadError, match="operator set version: 21"):
        ServedModel("o", {"1/model.onnx": build_iris_linear(21)}, old, "kserve")


def test_ai_onnx_ml_operators_are_refused() -> None:
    from skl2onnx import to_onnx
    from sklearn.datasets import load_iris
    from sklearn.ensemble import RandomForestClassifier

    features, labels = load_iris(return_X_y=True)
    forest = RandomForestClassifier(n_estimators=3, random_state=0).fit(features, labels)
    model = to_onnx(forest, features[:1].astype(np.float32)).SerializeToString()
    with pytest.raises(ModelLoadError, match=r"ai\.onnx\.ml\.TreeEnsembleClassifier"):
        ServedModel("rf", {"1/model.onnx": model}, IMAGE, "kserve")


def test_two_inputs_and_modelmesh_wording() -> None:
    model = ServedModel("pricing", {"1/model.onnx": build_pricing()}, IMAGE, "kserve")
    body = {
        "inputs": [
            {
                "name": "features",
                "shape": [2, 3],
                "datatype": "FP32",
                "data": [[1, 2, 3], [4, 5, 6]],
            },
            {"name": "discount", "shape": [2, 1], "datatype": "FP32", "data": [0, 0.5]},
        ]
    }
    status, answer = model.infer(json.dumps(body).encode(), None)
    assert status == 200 and answer["outputs"][0]["shape"] == [2, 1]
    code, relayed = modelmesh_rest_error(
        400, {"error": "Missing input with specific name - Required input: X"}, "m__isvc-0"
    )
    assert code == 400 and relayed["code"] == 3
    assert relayed["message"].startswith(
        "inference.GRPCInferenceService/ModelInfer: INVALID_ARGUMENT: Missing input"
    )
    assert modelmesh_model_id("iris-model").startswith("iris-model__isvc-")
    assert len(modelmesh_model_id("iris-model").rsplit("-", 1)[1]) == 10
