"""The resource kinds the lab's API server knows, as discovery describes them."""

from __future__ import annotations

from dataclasses import dataclass

READ_VERBS = ("get", "list", "watch")


@dataclass(frozen=True)
class Kind:
    """One API resource: where it lives in the URL space and what discovery says of it."""

    group: str
    version: str
    plural: str
    kind: str
    namespaced: bool
    short_names: tuple[str, ...] = ()
    verbs: tuple[str, ...] = READ_VERBS

    @property
    def api_version(self) -> str:
        return f"{self.group}/{self.version}" if self.group else self.version

    @property
    def singular(self) -> str:
        return self.kind.lower()

    def discovery_entry(self) -> dict:
        entry = {
            "name": self.plural,
            "singularName": self.singular,
            "namespaced": self.namespaced,
            "kind": self.kind,
            "verbs": list(self.verbs),
        }
        if self.short_names:
            entry["shortNames"] = list(self.short_names)
        return entry


CORE = ""
KINDS: tuple[Kind, ...] = (
    Kind(CORE, "v1", "namespaces", "Namespace", False, ("ns",)),
    Kind(CORE, "v1", "secrets", "Secret", True),
    Kind(CORE, "v1", "serviceaccounts", "ServiceAccount", True, ("sa",)),
    Kind(CORE, "v1", "events", "Event", True, ("ev",)),
    Kind(CORE, "v1", "pods", "Pod", True, ("po",)),
    Kind(CORE, "v1", "services", "Service", True, ("svc",)),
    Kind(CORE, "v1", "configmaps", "ConfigMap", True, ("cm",)),
    Kind("apps", "v1", "deployments", "Deployment", True, ("deploy",)),
    Kind("apps", "v1", "replicasets", "ReplicaSet", True, ("rs",)),
    Kind(
        "autoscaling", "v2", "horizontalpodautoscalers", "HorizontalPodAutoscaler", True, ("hpa",)
    ),
    Kind(CORE, "v1", "resourcequotas", "ResourceQuota", True, ("quota",)),
    Kind("rbac.authorization.k8s.io", "v1", "roles", "Role", True),
    Kind("rbac.authorization.k8s.io", "v1", "rolebindings", "RoleBinding", True),
    Kind("rbac.authorization.k8s.io", "v1", "clusterroles", "ClusterRole", False),
    Kind("rbac.authorization.k8s.io", "v1", "clusterrolebindings", "ClusterRoleBinding", False),
    Kind("project.openshift.io", "v1", "projects", "Project", False),
    Kind("route.openshift.io", "v1", "routes", "Route", True),
    Kind("serving.kserve.io", "v1alpha1", "servingruntimes", "ServingRuntime", True),
    Kind("serving.kserve.io", "v1beta1", "inferenceservices", "InferenceService", True, ("isvc",)),
    # llm-d: v1alpha2 is the storage version, v1alpha1 still served (same objects, both paths).
    Kind("serving.kserve.io", "v1alpha2", "llminferenceservices", "LLMInferenceService", True),
    Kind("serving.kserve.io", "v1alpha1", "llminferenceservices", "LLMInferenceService", True),
    Kind("gateway.networking.k8s.io", "v1", "httproutes", "HTTPRoute", True),
    Kind("gateway.networking.k8s.io", "v1", "gateways", "Gateway", True),
    Kind("kuadrant.io", "v1", "authpolicies", "AuthPolicy", True),
)

# Review APIs: POST-only, answered from the authenticator/authorizer, never stored.
REVIEWS: tuple[Kind, ...] = (
    Kind("authentication.k8s.io", "v1", "tokenreviews", "TokenReview", False, (), ("create",)),
    Kind(
        "authentication.k8s.io",
        "v1",
        "selfsubjectreviews",
        "SelfSubjectReview",
        False,
        (),
        ("create",),
    ),
    Kind(
        "authorization.k8s.io",
        "v1",
        "subjectaccessreviews",
        "SubjectAccessReview",
        False,
        (),
        ("create",),
    ),
    Kind(
        "authorization.k8s.io",
        "v1",
        "selfsubjectaccessreviews",
        "SelfSubjectAccessReview",
        False,
        (),
        ("create",),
    ),
    Kind("user.openshift.io", "v1", "users", "User", False, (), ("get",)),
)

ALL_KINDS = KINDS + REVIEWS


def find_kind(group: str, version: str, plural: str) -> Kind | None:
    for kind in ALL_KINDS:
        if (kind.group, kind.version, kind.plural) == (group, version, plural):
            return kind
    return None


def kind_by_name(kind_name: str) -> Kind:
    for kind in KINDS:
        if kind.kind == kind_name:
            return kind
    raise KeyError(kind_name)


def group_versions() -> dict[str, list[str]]:
    """Non-core API groups and their versions, in discovery order."""
    groups: dict[str, list[str]] = {}
    for kind in ALL_KINDS:
        if kind.group and kind.version not in groups.setdefault(kind.group, []):
            groups[kind.group].append(kind.version)
    return groups
