"""Scenarios for which files land in the model directory and which one the runtime loads
(issue 23 items 2 and 4): a prefix with a sibling, two version folders, ModelMesh with an empty
path, a folder of 1,201 files, a model over 2 GiB, missing external data, many weights.
`lab.scenarios.SCENARIOS` appends them."""

from __future__ import annotations

from lab.models_model_dir import TOO_LARGE_SIZE
from lab.scenario_types import KSERVE, MODELMESH, Scenario, Upload

ASSETS = 1200  # and model.onnx, which sorts after them: 1,201 objects, past one LIST page

MODEL_DIR_SCENARIOS: tuple[Scenario, ...] = (
    Scenario(
        "md-prefix-sibling",
        'Path "iris" beside "iris-v2/": KServe downloads both, OVMS serves iris/1',
        KSERVE,
        "iris",
        (Upload("iris", "iris/1/model.onnx"), Upload("pricing", "iris-v2/1/model.onnx")),
        "iris",
    ),
    Scenario(
        "md-two-versions",
        "Version folders 1 and 2: OVMS serves the highest, 2",
        KSERVE,
        "iris",
        (Upload("pricing", "iris/1/model.onnx"), Upload("iris", "iris/2/model.onnx")),
        "iris",
    ),
    Scenario(
        "md-mm-empty-path",
        'ModelMesh with storage.path "": the puller pulls nothing',
        MODELMESH,
        "iris-model",
        (Upload("iris", "rf_iris.onnx"),),  # at the root: KServe would load it, ModelMesh not
        "",
        root_cause="bucket-path",
    ),
    Scenario(
        "md-1201-files",
        "A folder of 1,201 files whose model.onnx sorts after the first 1,000",
        KSERVE,
        "catalog",
        (
            *(Upload("asset", f"catalog/1/assets/a-{i:04d}.json") for i in range(ASSETS)),
            Upload("iris", "catalog/1/model.onnx"),
        ),
        "catalog",
    ),
    Scenario(
        "md-too-large",
        "A single-file ONNX model over protobuf's 2 GiB limit",
        KSERVE,
        "big",
        (Upload("too_large_head", "big/1/model.onnx", TOO_LARGE_SIZE, "too_large_tail"),),
        "big",
        root_cause="model-format",
    ),
    Scenario(
        "md-external-missing",
        "An ONNX model whose external weights file was never uploaded",
        KSERVE,
        "iris",
        (Upload("external_model", "iris/1/model.onnx"),),
        "iris",
        root_cause="model-format",
    ),
    Scenario(
        "md-many-weights",
        "A model with 2,000 weights (one ranged GET each when read one after another)",
        KSERVE,
        "many",
        (Upload("many_weights", "many/1/model.onnx"),),
        "many",
    ),
)
