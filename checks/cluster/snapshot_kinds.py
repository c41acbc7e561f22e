"""The kinds a snapshot lists: where each lives in the API, what its absence means, and the
person's words for a LIST that failed."""

from __future__ import annotations

from checks.errors import KubeError

# kind -> (API path prefix, what a missing API means)
KIND_PATHS: dict[str, tuple[str, str]] = {
    "inferenceservices": ("/apis/serving.kserve.io/v1beta1", "KServe is not installed"),
    "servingruntimes": ("/apis/serving.kserve.io/v1alpha1", "KServe is not installed"),
    "secrets": ("/api/v1", ""),
    "rolebindings": ("/apis/rbac.authorization.k8s.io/v1", ""),
    "events": ("/api/v1", ""),
    "pods": ("/api/v1", ""),
    "routes": ("/apis/route.openshift.io/v1", "this is not an OpenShift cluster (no routes)"),
    "deployments": ("/apis/apps/v1", ""),
    "replicasets": ("/apis/apps/v1", ""),
    "services": ("/api/v1", ""),
    "horizontalpodautoscalers": ("/apis/autoscaling/v2", ""),
    "resourcequotas": ("/api/v1", ""),
    "llminferenceservices": (
        "/apis/serving.kserve.io/v1alpha2",
        "LLMInferenceService (llm-d) is not installed",
    ),
}
# Kinds read at an older served version when the preferred one answers 404 (reference §6).
FALLBACK_PREFIXES: dict[str, str] = {"llminferenceservices": "/apis/serving.kserve.io/v1alpha1"}

UNREACHABLE = frozenset(
    {"refused", "timeout", "dns", "tls", "connect", "unauthorized", "bad-response", "truncated"}
)


def kind_path(kind: str, namespace: str | None) -> str:
    prefix = KIND_PATHS[kind][0]
    return f"{prefix}/namespaces/{namespace}/{kind}" if namespace else f"{prefix}/{kind}"


def describe_failure(kind: str, namespace: str | None, error: KubeError) -> str:
    """'you cannot list secrets in iris-project: forbidden' and its siblings."""
    where = f"in {namespace}" if namespace else "across all namespaces"
    if error.kind == "forbidden":
        return f"you cannot list {kind} {where}: forbidden"
    if error.kind == "not-found":
        reason = KIND_PATHS.get(kind, ("", ""))[1] or "the API server does not serve them"
        return f"{kind} are not available (404 Not Found): {reason}"
    if error.kind == "timeout":
        return f"listing {kind} {where} timed out"
    return f"cannot list {kind} {where}: {error}"
