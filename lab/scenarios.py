"""The lab's scenarios: two healthy deployments and broken ones with one root cause each.

Each scenario is a project. What is broken is declared here as a cause (a wrong path, a wrong key,
a pod fault); what the deployment *shows* is whatever the lab observes when it tries to load it.
"""

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

SCENARIOS: tuple[Scenario, ...] = (
    Scenario(
        "iris-project",
        "Healthy ModelMesh deployment (the course's iris model)",
        MODELMESH,
        "iris-model",
        (IRIS_MM,),
        "iris",
    ),
    Scenario(
        "pricing-project",
        "Healthy KServe single-model deployment (two inputs)",
        KSERVE,
        "pricing",
        (Upload("pricing", "pricing/1/model.onnx"),),
        "pricing",
    ),
    Scenario(
        "wrong-path",
        "Storage path has a typo",
        KSERVE,
        "fraud",
        (Upload("iris", "fraud/1/model.onnx"),),
        "fraud-model",
        root_cause="bucket-path",
    ),
    Scenario(
        "bucket-root",
        "Model uploaded at the bucket root",
        MODELMESH,
        "fraud-detection",
        (Upload("iris", "model.onnx"),),
        "models/fraud",
        root_cause="bucket-path",
    ),
    Scenario(
        "console-endpoint",
        "Data connection points at the MinIO console, not the S3 API",
        KSERVE,
        "iris",
        (IRIS_KSERVE,),
        "iris",
        root_cause="data-connection",
        endpoint="console",
    ),
    Scenario(
        "wrong-secret",
        "Data connection has a wrong secret key",
        MODELMESH,
        "iris-model",
        (IRIS_MM,),
        "iris",
        root_cause="data-connection",
        wrong_secret_key=True,
    ),
    Scenario(
        "bucket-typo",
        "Bucket name typo in the data connection",
        KSERVE,
        "iris",
        (IRIS_KSERVE,),
        "iris",
        root_cause="data-connection",
        connection_bucket="modles",
    ),
    Scenario(
        "no-scheme",
        "S3 endpoint entered without http:// or https://",
        KSERVE,
        "iris",
        (IRIS_KSERVE,),
        "iris",
        root_cause="data-connection",
        endpoint="no-scheme",
    ),
    Scenario(
        "oom-crashloop",
        "Runtime container OOMKilled, in CrashLoopBackOff",
        KSERVE,
        "iris",
        (IRIS_KSERVE,),
        "iris",
        root_cause="runtime-pods",
        pod_fault="oom-crashloop",
    ),
    Scenario(
        "unschedulable",
        "Runtime pod Pending: no node has enough memory",
        MODELMESH,
        "iris-model",
        (IRIS_MM,),
        "iris",
        root_cause="runtime-pods",
        pod_fault="unschedulable",
    ),
    Scenario(
        "opset-too-new",
        "ONNX opset 23, newer than OVMS 2024.5 reads (22)",
        KSERVE,
        "iris",
        (Upload("iris_opset23", "iris/1/model.onnx"),),
        "iris",
        root_cause="model-format",
    ),
    Scenario(
        "pickle-model",
        "A pickled .pkl file under an ONNX deployment",
        MODELMESH,
        "purchase-amount",
        (Upload("purchase_pickle", "purchase/mymodel.pkl"),),
        "purchase",
        root_cause="model-format",
    ),
    Scenario(
        "route-disabled",
        "Model server created without an external route",
        MODELMESH,
        "iris-model",
        (IRIS_MM,),
        "iris",
        root_cause="route",
        enable_route=False,
    ),
    Scenario(
        "token-no-rolebinding",
        "Token of a service account without its role binding",
        MODELMESH,
        "iris-model",
        (IRIS_MM,),
        "iris",
        root_cause="token",
        role_binding=False,
    ),
    Scenario(
        "no-version-folder",
        "KServe OVMS model without a numeric version folder",
        KSERVE,
        "iris",
        (Upload("iris", "iris/model.onnx"),),
        "iris",
        root_cause="bucket-path",
    ),
    # RHOAI 3.x connections, Standard (RawDeployment) mode: lab/seed/connections.py
    Scenario(
        "conn-uri-dns",
        "URI connection whose host does not resolve",
        KSERVE,
        "granite",
        (),
        "",
        root_cause="data-connection",
        connection_kind="uri",
        model_uri="https://models.example.invalid/granite.tar",
    ),
    Scenario(
        "conn-oci-auth",
        "OCI modelcar whose pull secret has a wrong password",
        KSERVE,
        "iris",
        (),
        "",
        root_cause="data-connection",
        connection_kind="oci",
        model_uri="modelcars/iris:1.0",
        oci_fault="bad-credentials",
    ),
    Scenario(
        "conn-oci-empty",
        "OCI modelcar image with nothing under /models",
        KSERVE,
        "iris",
        (),
        "",
        root_cause="runtime-pods",
        connection_kind="oci",
        model_uri="modelcars/iris-nomodels:1.0",
        oci_fault="no-models-dir",
    ),
    Scenario(
        "conn-bucket-root",
        "Empty connection path: two models' files at the bucket root",
        KSERVE,
        "fraud",
        (Upload("iris", "fraud.onnx"), Upload("pricing", "pricing.onnx")),
        "",
        root_cause="bucket-path",
        connection_kind="s3",
    ),
    Scenario(
        "vllm-kv-cache",
        "vLLM: --max-model-len=32768 does not fit the KV cache left on the GPU",
        KSERVE,
        "llama-chat",
        (),
        "llama-3.1-8b-instruct",
        root_cause="runtime-pods",
        runtime_image=VLLM_CUDA,
        enable_route=False,
        enable_auth=False,
        pod_fault="vllm-kv-cache",
        model_format=("vLLM", ""),
        runtime_kind="vllm",
        model_args=("--max-model-len=32768",),
    ),
    Scenario(
        "vllm-cuda-oom",
        "vLLM: a 13B model does not fit one 24 GB GPU (CUDA out of memory)",
        KSERVE,
        "llama-13b",
        (),
        "models/llama-2-13b-chat",
        root_cause="runtime-pods",
        runtime_image=VLLM_CUDA,
        enable_route=False,
        enable_auth=False,
        pod_fault="vllm-cuda-oom",
        model_format=("vLLM", ""),
        runtime_kind="vllm",
        model_args=("--max-model-len=4096",),
    ),
    Scenario(
        "vllm-no-gpu",
        "vLLM: the hardware profile asks for 2 GPUs no node has",
        KSERVE,
        "granite",
        (),
        "granite-3.1-8b-instruct",
        root_cause="runtime-pods",
        runtime_image=VLLM_CUDA,
        enable_route=False,
        enable_auth=False,
        pod_fault="vllm-no-gpu",
        model_format=("vLLM", ""),
        runtime_kind="vllm",
        hardware_profile="nvidia-l40s-x2",
    ),
)

STANDARD_SCENARIOS: tuple[Scenario, ...] = (
    Scenario(
        "std-healthy",
        "Healthy 3.x Standard deployment (no mode annotation, exposed by label, token auth)",
        KSERVE,
        "iris",
        (IRIS_KSERVE,),
        "iris",
        standard=True,
        kube_rbac_proxy=True,
    ),
    Scenario(
        "std-stopped",
        "Standard deployment stopped from the dashboard (route left behind)",
        KSERVE,
        "iris",
        (IRIS_KSERVE,),
        "iris",
        enable_auth=False,
        standard=True,
        stopped=True,
    ),
    Scenario(
        "std-quota",
        "Standard deployment whose pod the project's ResourceQuota refuses",
        KSERVE,
        "iris",
        (IRIS_KSERVE,),
        "iris",
        root_cause="runtime-pods",
        enable_auth=False,
        standard=True,
        quota=True,
    ),
    Scenario(
        "std-visibility-annotation",
        "Standard deployment 'exposed' by an annotation instead of the label",
        KSERVE,
        "iris",
        (IRIS_KSERVE,),
        "iris",
        root_cause="route",
        enable_auth=False,
        standard=True,
        visibility="annotation",
    ),
)
SCENARIOS = SCENARIOS + STANDARD_SCENARIOS

SCENARIOS += (
    Scenario(
        "auth-healthy",
        "Standard deployment behind kube-rbac-proxy, token allowed",
        KSERVE,
        "iris",
        (IRIS_KSERVE,),
        "iris",
        kube_rbac_proxy=True,
    ),
    Scenario(
        "auth-denied",
        "kube-rbac-proxy refuses the token: its service account may not get the deployment",
        KSERVE,
        "iris",
        (IRIS_KSERVE,),
        "iris",
        root_cause="token",
        role_binding=False,
        kube_rbac_proxy=True,
    ),
    Scenario(
        "auth-open",
        "Exposed Standard deployment without token authentication: open to anyone",
        KSERVE,
        "iris",
        (IRIS_KSERVE,),
        "iris",
        enable_auth=False,
        kube_rbac_proxy=True,
        warns="auth",
    ),
    Scenario(
        "auth-no-delegator",
        "kube-rbac-proxy cannot review tokens: the auth-delegator binding is missing",
        KSERVE,
        "iris",
        (IRIS_KSERVE,),
        "iris",
        root_cause="auth",
        kube_rbac_proxy=True,
        auth_delegator=False,
    ),
)

SCENARIOS += (
    Scenario(
        "llm-project",
        "Healthy vLLM deployment in Standard mode (OpenAI-compatible API)",
        KSERVE,
        "granite",
        (),
        "granite",
        runtime_image="quay.io/modh/vllm:rhoai-2.25-cuda",
        model_format=("vLLM", ""),
        generative=True,
    ),
)

RESTRICTED_PROJECT = "iris-project"  # the developer user may not list secrets here
# what the lab's OCI registry look-alike holds (lab/registry.py)
REGISTRY_REPOSITORIES = {"modelcars/iris": {"1.0"}, "modelcars/iris-nomodels": {"1.0"}}
