"""Which deployments are generative (vLLM), and what their command line says about the served
model name and context length — from InferenceService and ServingRuntime objects as the 3.x
dashboard writes them (reference rhoai-3x §5)."""

from __future__ import annotations

from checks.knowledge.generative import is_generative, max_model_len_arg, served_model_name
from checks.resources import Deployment, ModelServer


def isvc(fmt: str = "vLLM", args: object = None, annotations: dict | None = None) -> Deployment:
    model: dict = {"modelFormat": {"name": fmt}, "runtime": "granite"}
    if args is not None:
        model["args"] = args
    return Deployment.parse(
        {
            "kind": "InferenceService",
            "metadata": {"name": "granite", "namespace": "llm", "annotations": annotations or {}},
            "spec": {"predictor": {"model": model}},
        }
    )


def runtime(args: list[str], command: list[str] | None = None, template: str = "") -> ModelServer:
    container: dict = {"name": "kserve-container", "image": "quay.io/modh/vllm:x", "args": args}
    if command is not None:
        container["command"] = command
    return ModelServer.parse(
        {
            "kind": "ServingRuntime",
            "metadata": {
                "name": "granite",
                "namespace": "llm",
                "annotations": {"opendatahub.io/template-name": template},
            },
            "spec": {"containers": [container], "supportedModelFormats": [{"name": "custom"}]},
        }
    )


TEMPLATE_ARGS = ["--port=8080", "--model=/mnt/models", "--served-model-name={{.Name}}"]
VLLM = ["python", "-m", "vllm.entrypoints.openai.api_server"]


def test_generative_by_format_command_template_or_model_type() -> None:
    assert is_generative(isvc(), None)
    assert is_generative(isvc("custom"), runtime(TEMPLATE_ARGS, VLLM))
    assert is_generative(isvc("custom"), runtime([], template="vllm-cuda-runtime-template"))
    generative = {"opendatahub.io/model-type": "generative"}
    assert is_generative(isvc("custom", annotations=generative), None)
    assert not is_generative(isvc("onnx"), runtime(["--model_name={{.Name}}"], ["/ovms"]))
    assert not is_generative(isvc("onnx"), None)


def test_served_model_name_fills_in_the_template_name_and_last_arg_wins() -> None:
    assert served_model_name(isvc(), runtime(TEMPLATE_ARGS)) == "granite"
    assert served_model_name(isvc(), None) == "granite"
    renamed = isvc(args=["--served-model-name", "granite-3b"])
    assert served_model_name(renamed, runtime(TEMPLATE_ARGS)) == "granite-3b"
    assert served_model_name(isvc(args=["--served-model-name=a,b"]), None) == "a"


def test_max_model_len_from_args_or_none() -> None:
    assert max_model_len_arg(isvc(args=["--max-model-len=8192"]), runtime(TEMPLATE_ARGS)) == 8192
    assert max_model_len_arg(isvc(args=["--max-model-len", "2048"]), None) == 2048
    assert max_model_len_arg(isvc(args=["--max-model-len=lots"]), None) is None
    assert max_model_len_arg(isvc(), runtime(TEMPLATE_ARGS)) is None


def test_malformed_args_are_ignored() -> None:
    assert isvc(args="--max-model-len=8192").model_args == ()
    assert served_model_name(isvc(args={"x": 1}), None) == "granite"
