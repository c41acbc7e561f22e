"""A generative deployment as the 3.x dashboard and controllers leave it: a vLLM ServingRuntime
copied from `vllm-cuda-runtime-template`, an InferenceService in Standard (raw) mode with no
deploymentMode annotation, its predictor Deployment, pod with kube-rbac-proxy, Service on 8443
and a Route owned by the InferenceService (reference rhoai-3x §1.2-1.5, §5).

The weights are a small HF-style folder in the bucket; the storage-initializer really copies it.
"""

from __future__ import annotations

import json
import os
import struct

from lab import objects
from lab.runtime import kserve_storage_initializer
from lab.s3_backend import create_bucket, put
from lab.scenarios import Scenario
from lab.seed.base import CONNECTION, SeederBase
from lab.tls import APPS_DOMAIN
from lab.vllm import GenerativeModel

VLLM_TEMPLATE = "vllm-cuda-runtime-template"
RBAC_PROXY = "quay.io/opendatahub/odh-kube-auth-proxy:v3.0"
INIT_IMAGE = "quay.io/modh/kserve-storage-initializer:v0.15"
MAX_MODEL_LEN = 4096


def hf_folder(name: str) -> dict[str, bytes]:
    """config.json, tokenizer files and a safetensors stub: what vLLM reads from /mnt/models."""
    header = json.dumps(
        {
            "__metadata__": {"format": "pt"},
            "lm_head.weight": {"dtype": "F16", "shape": [2, 2], "data_offsets": [0, 8]},
        }
    ).encode()
    safetensors = struct.pack("<Q", len(header)) + header + bytes(8)
    config = {
        "architectures": ["GraniteForCausalLM"],
        "model_type": "granite",
        "max_position_embeddings": MAX_MODEL_LEN,
        "torch_dtype": "bfloat16",
        "vocab_size": 49155,
        "_name_or_path": name,
    }
    tokenizer = {"version": "1.0", "model": {"type": "BPE", "vocab": {}, "merges": []}}
    return {
        "config.json": json.dumps(config, indent=2).encode(),
        "generation_config.json": b'{"bos_token_id": 0, "eos_token_id": 0}',
        "tokenizer.json": json.dumps(tokenizer).encode(),
        "tokenizer_config.json": b'{"model_max_length": 4096, "chat_template": "granite"}',
        "model.safetensors": safetensors,
    }


def token_delay_s() -> float:
    """The lab's pace per generated token (RHOAI_LAB_TOKEN_DELAY_MS, default 10 ms)."""
    try:
        return max(float(os.environ.get("RHOAI_LAB_TOKEN_DELAY_MS", "10")), 0.0) / 1000
    except ValueError:
        return 0.01


class LlmSeeding(SeederBase):
    def seed_generative(self, sc: Scenario, entry: dict) -> None:
        ns, name = sc.project, sc.deployment
        bucket = f"{sc.project}-{sc.bucket}"
        create_bucket(bucket)
        for key, body in hf_folder(name).items():
            put(bucket, f"{sc.storage_path}/{key}", body)
        runtime = self.store.put(self._healthy_vllm_runtime(sc))
        isvc = self.store.put(self._generative_isvc(sc))
        self._token_objects(sc, runtime, isvc)  # type: ignore[attr-defined]  # DashboardSeeding
        _, storage_log = kserve_storage_initializer(entry, sc.storage_path)
        pod = self._healthy_vllm_pod(sc, isvc, storage_log)
        # what the proxy in the pod needs to review callers (lab/seed/rbac_proxy.py)
        self._sar_config_map(sc)  # type: ignore[attr-defined]
        self._pod_service_account(sc)  # type: ignore[attr-defined]
        host = f"{name}-{ns}.{APPS_DOMAIN}"
        isvc["status"] = {
            "url": f"https://{host}",
            "address": {"url": f"https://{name}-predictor.{ns}.svc.cluster.local:8443"},
            "components": {"predictor": {"url": f"https://{name}-predictor-{ns}.{APPS_DOMAIN}"}},
            "deploymentMode": "RawDeployment",
            "servingRuntimeName": sc.runtime,
            "modelStatus": {
                "transitionStatus": "UpToDate",
                "states": {"activeModelState": "Loaded", "targetModelState": "Loaded"},
                "copies": {"failedCopies": 0, "totalCopies": 1},
            },
            "conditions": [
                objects.condition(t, True)
                for t in ("IngressReady", "LatestDeploymentReady", "PredictorReady", "Ready")
            ]
            + [objects.condition("Stopped", False)],
            "observedGeneration": 1,
        }
        self.store.put(isvc)
        self.store.put(
            objects.route(
                name,
                ns,
                host,
                service=f"{name}-predictor",
                port="https",
                termination="reencrypt",
                labels={"inferenceservice-name": name},
                owner=objects.owner_ref(isvc),
            )
        )
        self._events(
            sc,
            isvc,
            (
                "InferenceServiceReady",
                f"InferenceService [{name}] is Ready",
                "Normal",
                1,
                "v1beta1Controllers",
            ),
        )
        self._events(
            sc,
            pod,
            (
                "Scheduled",
                f"Successfully assigned {ns}/{pod['metadata']['name']} to worker-1.rhoai-lab.test",
                "Normal",
                1,
                "default-scheduler",
            ),
        )
        self.result.served[(ns, name)] = GenerativeModel(  # type: ignore[assignment]
            name, max_model_len=MAX_MODEL_LEN, token_delay_s=token_delay_s()
        )

    @staticmethod
    def _healthy_vllm_runtime(sc: Scenario) -> dict:
        return {
            "kind": "ServingRuntime",
            "metadata": {
                "name": sc.runtime,
                "namespace": sc.project,
                "labels": {**objects.DASHBOARD},
                "annotations": {
                    "openshift.io/display-name": "vLLM NVIDIA GPU ServingRuntime for KServe",
                    "opendatahub.io/template-name": VLLM_TEMPLATE,
                    "opendatahub.io/template-display-name": "vLLM NVIDIA GPU ServingRuntime for "
                    "KServe",
                    "opendatahub.io/apiProtocol": "REST",
                    "opendatahub.io/recommended-accelerators": '["nvidia.com/gpu"]',
                    "opendatahub.io/runtime-version": "v0.10.1.1",
                    "opendatahub.io/serving-runtime-scope": "global",
                },
            },
            "spec": {
                "multiModel": False,
                "annotations": {
                    "opendatahub.io/kserve-runtime": "vllm",
                    "prometheus.io/port": "8080",
                    "prometheus.io/path": "/metrics",
                },
                "supportedModelFormats": [{"name": "vLLM", "autoSelect": True}],
                "containers": [
                    {
                        "name": "kserve-container",
                        "image": sc.runtime_image,
                        "command": ["python", "-m", "vllm.entrypoints.openai.api_server"],
                        "args": [
                            "--port=8080",
                            "--model=/mnt/models",
                            "--served-model-name={{.Name}}",
                        ],
                        "env": [{"name": "HF_HOME", "value": "/tmp/hf_home"}],
                        "ports": [{"containerPort": 8080, "protocol": "TCP"}],
                    }
                ],
            },
        }

    @staticmethod
    def _generative_isvc(sc: Scenario) -> dict:
        return {
            "kind": "InferenceService",
            "metadata": {
                "name": sc.deployment,
                "namespace": sc.project,
                "labels": {**objects.DASHBOARD, "networking.kserve.io/visibility": "exposed"},
                "annotations": {
                    "openshift.io/display-name": sc.deployment,
                    "security.opendatahub.io/enable-auth": "true",
                    "opendatahub.io/model-type": "generative",
                    "opendatahub.io/template-name": VLLM_TEMPLATE,
                },
            },
            "spec": {
                "predictor": {
                    "minReplicas": 1,
                    "maxReplicas": 1,
                    "model": {
                        "modelFormat": {"name": "vLLM"},
                        "runtime": sc.runtime,
                        "storage": {"key": CONNECTION, "path": sc.storage_path},
                        "args": [f"--max-model-len={MAX_MODEL_LEN}"],
                        "resources": {
                            "requests": {"cpu": "2", "memory": "8Gi", "nvidia.com/gpu": "1"},
                            "limits": {"cpu": "4", "memory": "8Gi", "nvidia.com/gpu": "1"},
                        },
                    },
                }
            },
        }

    def _healthy_vllm_pod(self, sc: Scenario, isvc: dict, storage_log: list[str]) -> dict:
        ns, name = sc.project, sc.deployment
        labels = {
            "serving.kserve.io/inferenceservice": name,
            "component": "predictor",
            "app": f"isvc.{name}-predictor",
        }
        main = objects.container("kserve-container", sc.runtime_image, memory="8Gi", ports=[8080])
        main["args"] = [
            "--port=8080",
            "--model=/mnt/models",
            f"--served-model-name={name}",
            f"--max-model-len={MAX_MODEL_LEN}",
        ]
        proxy = objects.container(
            "kube-rbac-proxy",
            RBAC_PROXY,
            args=[
                "--secure-listen-address=:8443",
                "--proxy-endpoints-port=8643",
                "--upstream=http://localhost:8080",
                "--config-file=/etc/kube-rbac-proxy/config-file.yaml",
                "--tls-cert-file=/etc/tls/private/tls.crt",
                "--tls-private-key-file=/etc/tls/private/tls.key",
            ],
            ports=[8443],
        )
        containers = [main, proxy]
        pod_name = f"{name}-predictor-{objects.suffix(ns, 10)[:9]}-{objects.suffix(ns)}"
        pod = self.store.put(
            objects.pod(
                pod_name,
                ns,
                labels,
                containers,
                init_containers=[objects.container("storage-initializer", INIT_IMAGE)],
                conditions=[
                    objects.condition(t, True)
                    for t in ("Initialized", "Ready", "ContainersReady", "PodScheduled")
                ],
                statuses=[objects.container_status(c["name"], c["image"]) for c in containers],
                init_statuses=[
                    objects.container_status(
                        "storage-initializer",
                        INIT_IMAGE,
                        ready=True,
                        state=objects.terminated("Completed", 0),
                    )
                ],
            )
        )
        self.store.put(objects.deployment(f"{name}-predictor", ns, labels, 1, 1, containers))
        self.store.put(objects.service(f"{name}-predictor", ns, labels, {"https": 8443}))
        self._log(pod, "storage-initializer", storage_log)
        self._log(
            pod,
            "kserve-container",
            [
                "INFO 12-01 09:00:01 [__init__.py:241] Automatically detected platform cuda.",
                "INFO 12-01 09:00:04 [api_server.py:1805] vLLM API server version 0.10.1.1",
                f"INFO 12-01 09:00:04 [utils.py:326] non-default args: {{'model': '/mnt/models', "
                f"'served_model_name': ['{name}'], 'max_model_len': {MAX_MODEL_LEN}}}",
                "INFO 12-01 09:00:31 [gpu_model_runner.py:1953] Model loading took 4.71 GiB",
                "INFO 12-01 09:00:40 [kv_cache_utils.py:849] GPU KV cache size: 181,760 tokens",
                "INFO 12-01 09:00:52 [api_server.py:1880] Starting vLLM API server 0 on "
                "http://0.0.0.0:8080",
                "INFO:     Application startup complete.",
            ],
        )
        self._log(
            pod, "kube-rbac-proxy", ["I1201 09:00:02 main.go:212] Listening securely on :8443"]
        )
        return pod
