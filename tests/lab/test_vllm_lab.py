"""The lab's vLLM deployments, seen through the official `kubernetes` client: the crashed
container's previous log is served with `previous`, `tailLines` and `limitBytes` as the API
server does, and the model folder in the bucket is a real Hugging Face folder."""

from __future__ import annotations

import json
import struct

import pytest
from kubernetes import client
from kubernetes.client.rest import ApiException

from lab.hf_models import hf_folder


def _pod(core: client.CoreV1Api, ns: str) -> str:
    return core.list_namespaced_pod(ns).items[0].metadata.name


def test_the_previous_log_holds_the_crash_and_honours_tail_and_limit(admin_client) -> None:
    core = client.CoreV1Api(admin_client)
    name = _pod(core, "vllm-kv-cache")
    args = (name, "vllm-kv-cache")
    previous = core.read_namespaced_pod_log(*args, container="kserve-container", previous=True)
    assert "KV cache is needed, which is larger than the available KV cache memory" in previous
    assert previous.startswith("INFO ") and "vLLM API server version" in previous
    current = core.read_namespaced_pod_log(*args, container="kserve-container")
    assert "KV cache is needed" not in current  # the new instance has not got that far yet
    tail = core.read_namespaced_pod_log(
        *args, container="kserve-container", previous=True, tail_lines=2
    )
    assert tail.splitlines() == previous.splitlines()[-2:]
    assert tail.splitlines()[-1].startswith("RuntimeError: Engine core initialization failed")
    limited = core.read_namespaced_pod_log(
        *args, container="kserve-container", previous=True, tail_lines=2, limit_bytes=20
    )
    assert limited == tail[:20]


def test_a_pod_that_never_ran_has_no_previous_log(admin_client) -> None:
    core = client.CoreV1Api(admin_client)
    name = _pod(core, "vllm-no-gpu")
    with pytest.raises(ApiException) as raised:
        core.read_namespaced_pod_log(
            name, "vllm-no-gpu", container="kserve-container", previous=True
        )
    assert raised.value.status == 400
    assert "previous terminated container" in raised.value.body


def test_the_model_folder_is_a_hugging_face_folder() -> None:
    files = hf_folder("llama")
    assert json.loads(files["config.json"])["architectures"] == ["LlamaForCausalLM"]
    assert json.loads(files["tokenizer.json"])["model"]["type"] == "BPE"
    blob = files["model.safetensors"]
    (length,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8 : 8 + length])
    start, end = header["model.norm.weight"]["data_offsets"]
    assert len(blob) == 8 + length + end and start == 0
