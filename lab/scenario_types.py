"""What a lab scenario declares: the project, its deployment, the bucket's uploads and the one
root cause; the platform and image constants the scenario tables and the seeders share."""

from __future__ import annotations

from dataclasses import dataclass, field

MODELMESH = "modelmesh"
KSERVE = "kserve"

OVMS_2024_5 = "quay.io/modh/openvino_model_server:2024.5-release"
VLLM_CUDA = "quay.io/modh/vllm:rhoai-2.25-cuda"


@dataclass(frozen=True)
class Upload:
    """One object put in the scenario's bucket: which demo model, under which key."""

    model: str  # attribute of lab.models.DemoModels
    key: str
    size: int = 0  # > 0: a sparse object this big: the model's bytes, zeros, then `tail`'s
    tail: str = ""  # attribute of lab.models.DemoModels


@dataclass(frozen=True)
class Scenario:
    project: str
    title: str
    platform: str
    deployment: str
    uploads: tuple[Upload, ...]
    storage_path: str
    root_cause: str | None = None  # the check id that must name the fault (None: healthy)
    bucket: str = "models"
    connection_bucket: str | None = None  # what the data connection says, when it differs
    endpoint: str = "s3"  # "s3", "console" (MinIO console page), "no-scheme"
    wrong_secret_key: bool = False
    runtime_image: str = OVMS_2024_5
    enable_route: bool = True
    enable_auth: bool = True
    role_binding: bool = True
    pod_fault: str | None = None  # "oom-crashloop", "unschedulable"
    runtime_name: str = ""
    model_format: tuple[str, str] = ("onnx", "1")
    notes: tuple[str, ...] = field(default_factory=tuple)
    standard: bool = (
        False  # 3.x Standard (RawDeployment): no mode annotation, status says RawDeployment
    )
    stopped: bool = False  # serving.kserve.io/stop: "true"
    quota: bool = False  # a ResourceQuota refuses the predictor pod
    visibility: str = "label"  # networking.kserve.io/visibility: "label", "annotation", "none"
    # RHOAI 3.x connections (lab/seed/connections.py): "s3", "uri" or "oci"; "" is the 2.x way
    connection_kind: str = ""
    model_uri: str = ""  # uri: the URI; oci: "<repository>:<tag>" on the lab registry
    oci_fault: str = ""  # "bad-credentials", "no-models-dir"
    runtime_kind: str = "ovms"  # "vllm": seeded by lab/seed/vllm.py (Standard mode, GPUs)
    model_args: tuple[str, ...] = ()  # spec.predictor.model.args
    hardware_profile: str = ""  # opendatahub.io/hardware-profile-name
    # RHOAI 3.x Standard (RawDeployment) with kube-rbac-proxy in the predictor pod (lab/seed/rbac_proxy.py)
    kube_rbac_proxy: bool = False
    auth_delegator: bool = True  # the pod SA's <ns>-<sa>-auth-delegator ClusterRoleBinding
    warns: str | None = None  # the check id that must warn (a scenario that works, but unsafely)
    generative: bool = False  # a vLLM deployment in Standard (raw) mode, seeded by lab/seed/llm.py

    @property
    def runtime(self) -> str:
        if self.runtime_name:
            return self.runtime_name
        return "model-server" if self.platform == MODELMESH else self.deployment

    @property
    def healthy(self) -> bool:
        return self.root_cause is None


IRIS_MM = Upload("iris", "iris/rf_iris.onnx")
IRIS_KSERVE = Upload("iris", "iris/1/model.onnx")
