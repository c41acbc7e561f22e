"""A vLLM deployment as RHOAI 2.25 / 3.x leaves it in Standard (RawDeployment) mode: the
ServingRuntime copied from `vllm-cuda-runtime-template`, the InferenceService with its
`model.args` and GPU resources, and the predictor pod the way the fault leaves it (reference
rhoai-3x §1, §5).

The crash faults are in the pod's *previous* `kserve-container` log, as the kubelet keeps it;
the scheduling fault is in the pod's condition and a FailedScheduling event. The model folder in
the bucket is a complete Hugging Face folder: the fault is never the files.

Seeder composes every seeding mixin, so `_put_namespace` (cluster) and `_data_connection`
(dashboard) are reached through it.
"""

from __future__ import annotations

from lab import objects
from lab.hf_models import hf_folder
from lab.s3_backend import create_bucket, put
from lab.scenarios import Scenario
from lab.seed.base import CONNECTION, CONTROL_NAMESPACE, SeederBase
from lab.vllm_logs import cuda_oom_log, kv_cache_log

VLLM_TEMPLATE = "vllm-cuda-runtime-template"
INIT_IMAGE = "quay.io/modh/kserve-storage-initializer:rhoai-2.25"
UNSCHEDULABLE = (
    "0/3 nodes are available: 3 Insufficient nvidia.com/gpu. preemption: 0/3 nodes are "
    "available: 3 No preemption victims found for incoming pod."
)


class VllmSeeding(SeederBase):
    def seed_vllm(self, sc: Scenario) -> None:
        ns = sc.project
        self._put_namespace(  # type: ignore[attr-defined]
            ns,
            {**objects.DASHBOARD, "modelmesh-enabled": "false"},
            {"openshift.io/display-name": sc.title, "openshift.io/requester": "developer"},
        )
        self.store.put(
            objects.role_binding(
                "developer-admin",
                ns,
                "ClusterRole",
                "admin",
                [{"kind": "User", "name": "developer", "apiGroup": "rbac.authorization.k8s.io"}],
            )
        )
        self._data_connection(sc)  # type: ignore[attr-defined]
        self._upload_hf_folder(sc)
        self.store.put(self._vllm_runtime(sc))
        isvc = self.store.put(self._vllm_isvc(sc))
        pod = self._vllm_pod(sc)
        isvc["status"] = self._vllm_status(sc, pod)
        self.store.put(isvc)

    def _upload_hf_folder(self, sc: Scenario) -> None:
        bucket = f"{sc.project}-{sc.bucket}"
        create_bucket(bucket)
        for name, body in hf_folder(sc.storage_path.rsplit("/", 1)[-1]).items():
            put(bucket, f"{sc.storage_path}/{name}", body)

    def _vllm_container(self, sc: Scenario, args: list[str], gpus: int) -> dict:
        container = objects.container("kserve-container", sc.runtime_image, args=args, ports=[8080])
        container["command"] = ["python", "-m", "vllm.entrypoints.openai.api_server"]
        container["env"] = [{"name": "HF_HOME", "value": "/tmp/hf_home"}]
        container["resources"] = {
            "requests": {"cpu": "2", "memory": "16Gi", "nvidia.com/gpu": str(gpus)},
            "limits": {"cpu": "4", "memory": "24Gi", "nvidia.com/gpu": str(gpus)},
        }
        return container

    def _runtime_args(self, sc: Scenario) -> list[str]:
        return ["--port=8080", "--model=/mnt/models", f"--served-model-name={sc.deployment}"]

    def _vllm_runtime(self, sc: Scenario) -> dict:
        container = objects.container(
            "kserve-container", sc.runtime_image, args=self._runtime_args(sc), ports=[8080]
        )
        container["args"][-1] = "--served-model-name={{.Name}}"
        container["command"] = ["python", "-m", "vllm.entrypoints.openai.api_server"]
        container["env"] = [{"name": "HF_HOME", "value": "/tmp/hf_home"}]
        return {
            "kind": "ServingRuntime",
            "metadata": {
                "name": sc.runtime,
                "namespace": sc.project,
                "labels": {**objects.DASHBOARD, "opendatahub.io/dashboard": "true"},
                "annotations": {
                    "openshift.io/display-name": "vLLM NVIDIA GPU ServingRuntime for KServe",
                    "opendatahub.io/apiProtocol": "REST",
                    "opendatahub.io/template-name": VLLM_TEMPLATE,
                    "opendatahub.io/template-display-name": (
                        "vLLM NVIDIA GPU ServingRuntime for KServe"
                    ),
                    "opendatahub.io/recommended-accelerators": '["nvidia.com/gpu"]',
                    "opendatahub.io/runtime-version": "v0.8.5",
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
                "containers": [container],
            },
        }

    def _gpus(self, sc: Scenario) -> int:
        return 2 if sc.hardware_profile.endswith("x2") else 1

    def _vllm_isvc(self, sc: Scenario) -> dict:
        annotations = {
            "openshift.io/display-name": sc.deployment,
            "serving.kserve.io/stop": "false",
        }
        if sc.hardware_profile:
            annotations["opendatahub.io/hardware-profile-name"] = sc.hardware_profile
            annotations["opendatahub.io/hardware-profile-namespace"] = CONTROL_NAMESPACE
        gpus = str(self._gpus(sc))
        model: dict = {
            "modelFormat": {"name": sc.model_format[0]},
            "runtime": sc.runtime,
            "storage": {"key": CONNECTION, "path": sc.storage_path},
            "resources": {
                "requests": {"cpu": "2", "memory": "16Gi", "nvidia.com/gpu": gpus},
                "limits": {"cpu": "4", "memory": "24Gi", "nvidia.com/gpu": gpus},
            },
        }
        if sc.model_args:
            model["args"] = list(sc.model_args)
        return {
            "kind": "InferenceService",
            "metadata": {
                "name": sc.deployment,
                "namespace": sc.project,
                "labels": {**objects.DASHBOARD, "opendatahub.io/genai-asset": "true"},
                "annotations": annotations,
            },
            "spec": {
                "predictor": {
                    "minReplicas": 1,
                    "maxReplicas": 1,
                    "model": model,
                    "tolerations": [
                        {"key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoSchedule"}
                    ],
                }
            },
        }

    def _vllm_pod(self, sc: Scenario) -> dict:
        ns, name = sc.project, sc.deployment
        labels = {
            "serving.kserve.io/inferenceservice": name,
            "component": "predictor",
            "app": f"isvc.{name}-predictor",
        }
        pod_name = f"{name}-predictor-{objects.suffix(ns, 10)[:9]}-{objects.suffix(ns)}"
        args = [*self._runtime_args(sc), *sc.model_args]
        containers = [self._vllm_container(sc, args, self._gpus(sc))]
        init = [objects.container("storage-initializer", INIT_IMAGE)]
        events: list[tuple] = []
        if sc.pod_fault == "vllm-no-gpu":
            pod = objects.pod(
                pod_name,
                ns,
                labels,
                containers,
                init_containers=init,
                phase="Pending",
                conditions=[
                    objects.condition("PodScheduled", False, "Unschedulable", UNSCHEDULABLE)
                ],
            )
            events.append(("FailedScheduling", UNSCHEDULABLE, "Warning", 14, "default-scheduler"))
        else:
            log = (kv_cache_log if sc.pod_fault == "vllm-kv-cache" else cuda_oom_log)(name)
            main = objects.container_status(
                "kserve-container",
                sc.runtime_image,
                ready=False,
                restarts=6,
                state=objects.waiting(
                    "CrashLoopBackOff",
                    f"back-off 5m0s restarting failed container=kserve-container pod={pod_name}",
                ),
                last_state=objects.terminated("Error", 1),
            )
            done = objects.terminated("Completed", 0)
            pod = objects.pod(
                pod_name,
                ns,
                labels,
                containers,
                init_containers=init,
                conditions=[
                    objects.condition("Initialized", True),
                    objects.condition(
                        "Ready",
                        False,
                        "ContainersNotReady",
                        "containers with unready status: [kserve-container]",
                    ),
                    objects.condition("PodScheduled", True),
                ],
                statuses=[main],
                init_statuses=[
                    objects.container_status("storage-initializer", INIT_IMAGE, state=done)
                ],
            )
            back_off = f"Back-off restarting failed container kserve-container in pod {pod_name}"
            events.append(("BackOff", back_off, "Warning", 27, "kubelet"))
        pod = self.store.put(pod)
        if sc.pod_fault != "vllm-no-gpu":
            self._log(pod, "storage-initializer", self._initializer_log(sc))
            self._log(pod, "kserve-container", log[:3])
            self._log(pod, "kserve-container", log, previous=True)
        self.store.put(objects.deployment(f"{name}-predictor", ns, labels, 1, 0, containers + init))
        self.store.put(objects.service(f"{name}-predictor", ns, labels, {"http": 80}))
        self._events(sc, pod, *events)
        return pod

    def _initializer_log(self, sc: Scenario) -> list[str]:
        uri = f"s3://{sc.project}-{sc.bucket}/{sc.storage_path}"
        log = [f"INFO:root:Copying contents of {uri} to local"]
        for file in hf_folder(sc.storage_path.rsplit("/", 1)[-1]):
            log.append(
                f"INFO:root:Downloaded object {sc.storage_path}/{file} to /mnt/models/{file}"
            )
        return [*log, f"INFO:root:Successfully copied {uri} to /mnt/models"]

    def _vllm_status(self, sc: Scenario, pod: dict) -> dict:
        ns, name = sc.project, sc.deployment
        internal = f"http://{name}-predictor.{ns}.svc.cluster.local"
        scheduled = sc.pod_fault != "vllm-no-gpu"
        failed = ("MinimumReplicasUnavailable", "Deployment does not have minimum availability.")
        status: dict = {
            "url": internal,
            "address": {"url": internal},
            "components": {"predictor": {}},
            "deploymentMode": "RawDeployment",
            "servingRuntimeName": sc.runtime,
            "conditions": [
                objects.condition("IngressReady", True),
                objects.condition("PredictorReady", False, *failed),
                objects.condition("Ready", False, *failed),
            ],
            "observedGeneration": 1,
        }
        if scheduled:
            status["modelStatus"] = {
                "transitionStatus": "BlockedByFailedLoad",
                "states": {"activeModelState": "", "targetModelState": "FailedToLoad"},
                "lastFailureInfo": {
                    "reason": "ModelLoadFailed",
                    "location": pod["metadata"]["name"],
                    "message": "",
                    "exitCode": 1,
                },
                "copies": {"failedCopies": 1},
            }
        else:
            status["modelStatus"] = {
                "transitionStatus": "InProgress",
                "states": {"activeModelState": "", "targetModelState": "Pending"},
            }
        return status
