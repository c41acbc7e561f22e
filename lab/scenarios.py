"""The lab's scenarios: two healthy deployments and broken ones with one root cause each.

Each scenario is a project. What is broken is declared here as a cause (a wrong path, a wrong key,
a pod fault); what the deployment *shows* is whatever the lab observes when it tries to load it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

MODELMESH = "modelmesh"
KSERVE = "kserve"

OVMS_2024_5 = "quay.io/modh/openvino_model_server:2024.5-release"


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
