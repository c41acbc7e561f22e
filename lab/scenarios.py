"""The lab's scenarios: two healthy deployments and broken ones with one root cause each.

Each scenario is a project. What is broken is declared here as a cause (a wrong path, a wrong key,
a pod fault); what the deployment *shows* is whatever the lab observes when it tries to load it.
"""

from __future__ import annotations

from lab.scenario_types import (
    IRIS_KSERVE,
    IRIS_MM,
    KSERVE,
    MODELMESH,
    OVMS_2024_5,
    VLLM_CUDA,
    Scenario,
    Upload,
)
from lab.scenarios_3x import (
    AUTH_SCENARIOS,
    CONNECTION_SCENARIOS,
    LLM_SCENARIOS,
    STANDARD_SCENARIOS,
)
from lab.scenarios_causes import CAUSE_SCENARIOS
from lab.scenarios_model_dir import MODEL_DIR_SCENARIOS
from lab.scenarios_storage import STORAGE_SCENARIOS

__all__ = [
    "IRIS_KSERVE",
    "IRIS_MM",
    "KSERVE",
    "MODELMESH",
    "OVMS_2024_5",
    "REGISTRY_REPOSITORIES",
    "RESTRICTED_PROJECT",
    "SCENARIOS",
    "VLLM_CUDA",
    "Scenario",
    "Upload",
]

# 2.x scenarios first; the 3.x ones (lab/scenarios_3x.py) follow in their historic order.
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
)
SCENARIOS += CONNECTION_SCENARIOS + STANDARD_SCENARIOS + AUTH_SCENARIOS + LLM_SCENARIOS
SCENARIOS += STORAGE_SCENARIOS  # issue 23: S3 as the storage initializer reads it
SCENARIOS += CAUSE_SCENARIOS  # lab/scenarios_causes.py
SCENARIOS += MODEL_DIR_SCENARIOS

RESTRICTED_PROJECT = "iris-project"  # the developer user may not list secrets here
# what the lab's OCI registry look-alike holds (lab/registry.py)
REGISTRY_REPOSITORIES = {"modelcars/iris": {"1.0"}, "modelcars/iris-nomodels": {"1.0"}}
