"""Storage scenarios (issue 23): S3 as the storage initializer's boto3 reads it. Keys with "."
path segments, a private CA the pod trusts only through the cluster's CA bundle ConfigMap, the
same CA trusted nowhere in the pod, TLS not verified (the connection's s3-verifyssl "0"), and
an anonymous (unsigned) read of a public bucket.
`lab.scenarios.SCENARIOS` appends them; lab/seed/storage_variants.py seeds what differs."""

from __future__ import annotations

from lab.scenario_types import KSERVE, MODELMESH, Scenario, Upload

CA_CONFIGMAP = "odh-kserve-custom-ca-bundle"  # what odh-model-controller names (§5.4)

# project -> how its S3 differs from the lab's plain one (lab/seed/storage_variants.py)
S3_VARIANTS = {
    "s3-private-ca": "private-ca",
    "s3-ca-not-in-pod": "ca-not-in-pod",
    "s3-verify-off": "verify-off",
    "s3-anonymous": "anonymous",
}

STORAGE_SCENARIOS: tuple[Scenario, ...] = (
    Scenario(
        "s3-dot-segments",
        "Healthy KServe deployment whose path starts with ./ (keys with a dot segment)",
        KSERVE,
        "iris",
        (Upload("iris", "./iris/1/model.onnx"),),
        "./iris",
    ),
    Scenario(
        "s3-private-ca",
        "Healthy: S3 over TLS with a private CA the pod trusts through the cluster's ConfigMap",
        KSERVE,
        "iris",
        (Upload("iris", "iris/1/model.onnx"),),
        "iris",
    ),
    Scenario(
        "s3-ca-not-in-pod",
        "S3 over TLS with a private CA that no ConfigMap gives the pod",
        MODELMESH,
        "iris-model",
        (Upload("iris", "iris/rf_iris.onnx"),),
        "iris",
        root_cause="data-connection",
    ),
    Scenario(
        "s3-verify-off",
        "Healthy 3.x S3 connection over TLS with a CA nobody gives the pod, s3-verifyssl 0",
        KSERVE,
        "iris",
        (Upload("iris", "iris/1/model.onnx"),),
        "iris",
        connection_kind="s3",
    ),
    Scenario(
        "s3-anonymous",
        "Healthy 3.x S3 connection read anonymously (unsigned) from a public bucket",
        KSERVE,
        "iris",
        (Upload("iris", "iris/1/model.onnx"),),
        "iris",
        connection_kind="s3",
    ),
)
