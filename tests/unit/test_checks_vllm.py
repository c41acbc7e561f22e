"""serving-runtime, runtime-pods and model-format on recorded vLLM deployments (the lab's vllm-*
projects): vLLM is recognised, judged by what vLLM needs, and a healthy one is not called broken."""

from __future__ import annotations

import copy

import pytest

from checks.catalog.model_format import ModelFormat
from checks.catalog.runtime_pods import RuntimePods
from checks.catalog.serving_runtime import ServingRuntime
from checks.engine.runner import Status
from checks.knowledge.vllm_runtime import vllm_reason
from checks.model_files.hf_folder import inspect_folder
from lab.vllm_logs import kv_cache_log
from tests.helpers import judge, listing, recorded_raw

KV = ("vllm-kv-cache", "llama-chat")
FOLDER = "llama-3.1-8b-instruct"
COMPLETE = (
    "config.json",
    "generation_config.json",
    "model.safetensors",
    "special_tokens_map.json",
    "tokenizer.json",
    "tokenizer_config.json",
)


def previous_log_key(raw: dict) -> str:
    return f"previous-log:{raw['pods'][0]['metadata']['name']}/kserve-container"


def healthy(raw: dict) -> dict:
    """The same deployment once it runs: the pod Ready, its container running."""
    raw = copy.deepcopy(raw)
    pod = raw["pods"][0]
    pod["status"]["conditions"] = [
        {"type": t, "status": "True"} for t in ("Initialized", "Ready", "PodScheduled")
    ]
    status = pod["status"]["containerStatuses"][0]
    status.update(ready=True, state={"running": {}}, lastState={}, restartCount=0)
    return raw


def folder(*names: str, prefix: str = FOLDER):
    return listing(*((f"{prefix}/{n}", 100) for n in names), prefix=prefix)


# -- recognising vLLM ---------------------------------------------------------------------
def test_the_lab_s_vllm_runtime_is_recognised_and_ovms_is_not() -> None:
    raw = recorded_raw("vllm-kv-cache")
    isvc, runtime = raw["inferenceservices"][0], raw["servingruntimes"][0]
    assert vllm_reason(isvc, runtime) == "model format vLLM"
    isvc["spec"]["predictor"]["model"]["modelFormat"]["name"] = "pytorch"
    assert vllm_reason(isvc, runtime) == "template vllm-cuda-runtime-template"
    runtime["metadata"]["annotations"].pop("opendatahub.io/template-name")
    assert vllm_reason(isvc, runtime) == "opendatahub.io/kserve-runtime: vllm"
    runtime["spec"].pop("annotations")
    assert vllm_reason(isvc, runtime) == "command vllm.entrypoints.openai.api_server"
    pricing = recorded_raw("pricing-project")
    assert vllm_reason(pricing["inferenceservices"][0], pricing["servingruntimes"][0]) == ""


def test_serving_runtime_passes_a_vllm_runtime_and_shows_its_args_and_gpus() -> None:
    outcome = judge(ServingRuntime(), *KV, raw=healthy(recorded_raw("vllm-kv-cache")))
    assert (outcome.status, outcome.summary) == (Status.PASS, "llama-chat serves vLLM")
    assert "GPUs: nvidia.com/gpu requests 1, limits 1" in outcome.evidence
    assert any("--max-model-len=32768" in line for line in outcome.evidence)


def test_a_route_in_front_of_vllm_notes_the_router_timeout() -> None:
    raw = healthy(recorded_raw("vllm-kv-cache"))
    route = {
        "kind": "Route",
        "metadata": {
            "name": "llama-chat",
            "namespace": "vllm-kv-cache",
            "labels": {"serving.kserve.io/inferenceservice": "llama-chat"},
        },
        "spec": {"host": "llama-chat-vllm-kv-cache.apps.test", "to": {"name": "x"}},
    }
    raw["routes"] = [route]
    outcome = judge(ServingRuntime(), *KV, raw=raw)
    assert outcome.status == Status.PASS
    assert any(line.startswith("route timeout: 30s (router default)") for line in outcome.evidence)
    route["metadata"]["annotations"] = {"haproxy.router.openshift.io/timeout": "10m"}
    outcome = judge(ServingRuntime(), *KV, raw=raw)
    assert any(line.startswith("route timeout: 10m;") for line in outcome.evidence)


# -- runtime-pods -------------------------------------------------------------------------
def test_a_healthy_vllm_pod_passes() -> None:
    outcome = judge(RuntimePods(), *KV, raw=healthy(recorded_raw("vllm-kv-cache")))
    assert (outcome.status, outcome.summary) == (Status.PASS, "1/1 runtime pod(s) ready")


def test_the_kv_cache_crash_suggests_the_length_that_fits() -> None:
    raw = recorded_raw("vllm-kv-cache")
    facts = {previous_log_key(raw): "\n".join(kv_cache_log("llama-chat"))}
    outcome = judge(RuntimePods(), *KV, facts=facts)
    assert outcome.status == Status.FAIL
    assert "(--max-model-len=32768 is set); set --max-model-len=9168" in outcome.summary
    assert "spec.predictor.model.args" in outcome.remediation
    quoted = [line for line in outcome.evidence if line.startswith("previous log of")]
    assert quoted and "estimated maximum model length is 9168" in quoted[0]


def test_a_crash_log_naming_no_known_cause_still_fails_and_quotes_its_last_line() -> None:
    """Issue 23 item 5: a pod that cannot become ready fails, whether or not a signature knows
    its log; it is a consequence only when a model check found the cause."""
    raw = recorded_raw("vllm-kv-cache")
    facts = {previous_log_key(raw): "INFO starting\nSegmentation fault (core dumped)\n"}
    outcome = judge(RuntimePods(), *KV, facts=facts)
    assert outcome.status == Status.FAIL
    assert outcome.explained_by == ("data-connection", "bucket-path", "model-format")
    assert "keeps crashing while loading the model (restarts 6" in outcome.summary
    assert outcome.summary.endswith("Segmentation fault (core dumped)")
    assert 'previous log of kserve-container, last line: "Segmentation fault (core dumped)"' in (
        outcome.evidence
    )


def test_an_unreadable_previous_log_still_fails_and_says_it_was_not_read() -> None:
    outcome = judge(RuntimePods(), *KV)  # the capture holds no log
    assert outcome.status == Status.FAIL
    assert "keeps crashing while loading" in outcome.summary
    assert any("not readable" in line for line in outcome.evidence)


def test_a_termination_message_naming_the_cause_needs_no_log() -> None:
    raw = copy.deepcopy(recorded_raw("vllm-kv-cache"))
    last = raw["pods"][0]["status"]["containerStatuses"][0]["lastState"]["terminated"]
    last["message"] = "INFO loading\nRuntimeError: No CUDA GPUs are available\n"
    outcome = judge(RuntimePods(), *KV, raw=raw)  # no log recorded: not needed
    assert outcome.status == Status.FAIL
    assert "the container sees no GPU" in outcome.summary
    assert (
        'termination message of kserve-container: "RuntimeError: No CUDA GPUs are available"'
        in (outcome.evidence)
    )


def test_an_offline_download_fails_as_a_consequence_of_the_model_checks_if_they_fail() -> None:
    raw = recorded_raw("vllm-kv-cache")
    log = "OSError: We couldn't connect to 'https://huggingface.co' to load this file"
    outcome = judge(RuntimePods(), *KV, facts={previous_log_key(raw): log})
    assert outcome.status == Status.FAIL
    assert outcome.explained_by == ("data-connection", "bucket-path", "model-format")
    assert "/mnt/models is not a complete model folder" in outcome.summary


def test_unschedulable_for_gpus_names_the_hardware_profile_and_the_request() -> None:
    outcome = judge(RuntimePods(), "vllm-no-gpu", "granite")
    assert outcome.status == Status.FAIL
    assert "Insufficient nvidia.com/gpu" in outcome.summary
    assert "hardware profile: redhat-ods-applications/nvidia-l40s-x2" in outcome.evidence
    assert "GPUs: nvidia.com/gpu requests 2, limits 2" in outcome.evidence
    assert "opendatahub.io/hardware-profile-name" in outcome.remediation


# -- model-format: the Hugging Face folder ------------------------------------------------
def test_a_complete_hf_folder_passes_model_format() -> None:
    facts = {"listing": folder(*COMPLETE)}
    outcome = judge(ModelFormat(), *KV, facts=facts)
    assert outcome.status == Status.PASS
    assert outcome.summary == (
        "Hugging Face folder for vLLM: config.json, 1 weight file(s), tokenizer.json"
    )


@pytest.mark.parametrize(
    ("names", "missing"),
    [
        (("config.json", "model.safetensors", "tokenizer_config.json"), "a tokenizer"),
        (("config.json", "tokenizer.json", "tokenizer_config.json"), "weights (*.safetensors"),
        (("model.safetensors", "tokenizer.json"), "config.json"),
        (
            (
                "config.json",
                "tokenizer.json",
                "model-00001-of-00002.safetensors",
                "model-00002-of-00002.safetensors",
            ),
            "model.safetensors.index.json",
        ),
        (
            (
                "config.json",
                "tokenizer.model",
                "pytorch_model-00001-of-00003.bin",
                "pytorch_model-00003-of-00003.bin",
                "pytorch_model.bin.index.json",
            ),
            "1 of 3 weight shards (pytorch_model-00002-of-00003.bin)",
        ),
    ],
)
def test_an_incomplete_hf_folder_names_what_is_missing(names, missing) -> None:
    outcome = judge(ModelFormat(), *KV, facts={"listing": folder(*names)})
    assert outcome.status == Status.FAIL
    assert "not a complete Hugging Face model folder for vLLM" in outcome.summary
    assert missing in outcome.summary


def test_a_complete_sharded_folder_passes() -> None:
    shards = [f"model-0000{i}-of-00004.safetensors" for i in range(1, 5)]
    names = ("config.json", "tokenizer.json", "model.safetensors.index.json", *shards)
    found = inspect_folder([f"{FOLDER}/{n}" for n in names], FOLDER)
    assert found.complete and len(found.weights) == 4


def test_a_folder_one_level_too_deep_names_the_path_to_set() -> None:
    names = [f"Llama-3.1-8B/{n}" for n in COMPLETE]
    outcome = judge(ModelFormat(), *KV, facts={"listing": folder(*names)})
    assert outcome.status == Status.FAIL
    assert "config.json is at Llama-3.1-8B/config.json" in outcome.summary
    assert f"{FOLDER}/Llama-3.1-8B" in outcome.remediation


def test_onnx_rules_still_apply_to_ovms_deployments() -> None:
    """The file judged is the model file (the weights), not the config beside it."""
    header = b"\x10\x00\x00\x00\x00\x00\x00\x00{"
    facts = {
        "listing": folder(*COMPLETE, prefix="pricing"),
        "head:pricing/model.safetensors": header,
    }
    outcome = judge(ModelFormat(), "pricing-project", "pricing", facts=facts)
    assert outcome.status == Status.FAIL
    assert "no .onnx file under pricing: pricing/model.safetensors is" in outcome.summary
    assert "which an ONNX deployment cannot load" in outcome.summary
