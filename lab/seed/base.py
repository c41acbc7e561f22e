"""What every part of the seeding shares: the store, the auth, S3, the models, and the result."""

from __future__ import annotations

from dataclasses import dataclass, field

from lab import objects
from lab.kube.auth import Authenticator
from lab.kube.store import Store
from lab.models import DemoModels
from lab.ovms import ServedModel
from lab.runtime import LoadOutcome
from lab.s3 import LabS3, S3Credentials
from lab.scenarios import MODELMESH, Scenario

CONTROL_NAMESPACE = "redhat-ods-applications"
MESH_NAMESPACE = "istio-system"
CONNECTION = "aws-connection-models"

READ = ["get", "list", "watch"]
CLUSTER_ROLES = {
    "cluster-admin": [{"apiGroups": ["*"], "resources": ["*"], "verbs": ["*"]}],
    "admin": [{"apiGroups": ["*"], "resources": ["*"], "verbs": ["*"]}],
    "view": [
        {
            "apiGroups": [""],
            "verbs": READ,
            "resources": [
                "pods",
                "pods/log",
                "services",
                "configmaps",
                "events",
                "serviceaccounts",
                "endpoints",
                "namespaces",
                "persistentvolumeclaims",
                "resourcequotas",
            ],
        },
        {"apiGroups": ["apps"], "verbs": READ, "resources": ["deployments", "replicasets"]},
        {"apiGroups": ["autoscaling"], "verbs": READ, "resources": ["horizontalpodautoscalers"]},
        {"apiGroups": ["route.openshift.io"], "verbs": READ, "resources": ["routes"]},
        {
            "apiGroups": ["serving.kserve.io"],
            "verbs": READ,
            "resources": ["servingruntimes", "inferenceservices", "llminferenceservices"],
        },
        {
            "apiGroups": ["gateway.networking.k8s.io", "kuadrant.io"],
            "verbs": READ,
            "resources": ["httproutes", "gateways", "authpolicies"],
        },
    ],
    "system:auth-delegator": [
        {
            "apiGroups": ["authentication.k8s.io"],
            "resources": ["tokenreviews"],
            "verbs": ["create"],
        },
        {
            "apiGroups": ["authorization.k8s.io"],
            "resources": ["subjectaccessreviews"],
            "verbs": ["create"],
        },
    ],
}


@dataclass
class Seeded:
    """What the running lab needs after seeding: tokens, and the models each route serves."""

    user_tokens: dict[str, str] = field(default_factory=dict)
    proxy_token: str = ""
    served: dict[tuple[str, str], ServedModel] = field(default_factory=dict)
    outcomes: dict[str, LoadOutcome] = field(default_factory=dict)
    pod_tokens: dict[tuple[str, str], str] = field(default_factory=dict)  # (ns, SA): its token


class SeederBase:
    def __init__(
        self,
        store: Store,
        authn: Authenticator,
        s3: LabS3,
        creds: S3Credentials,
        console_endpoint: str,
        models: DemoModels,
    ) -> None:
        self.store, self.authn, self.s3, self.creds = store, authn, s3, creds
        self.console_endpoint, self.models = console_endpoint, models
        self.result = Seeded()

    def _pods(self, sc: Scenario, outcome: LoadOutcome, runtime: dict, isvc: dict) -> dict:
        if sc.platform == MODELMESH:
            return self._modelmesh_pod(sc, outcome, runtime)
        return self._kserve_pod(sc, outcome, isvc)

    def _log(self, pod: dict, container: str, lines: list[str], previous: bool = False) -> None:
        meta = pod["metadata"]
        self.store.logs[(meta["namespace"], meta["name"], container, previous)] = list(lines)

    def _events(self, sc: Scenario, involved: dict, *entries: tuple) -> None:
        for entry in entries:
            reason, message, type_, count, component = (
                (*entry, 1, "")[:5] if len(entry) < 5 else entry
            )
            self.store.put(
                objects.event(
                    sc.project,
                    involved,
                    reason,
                    message,
                    type_=type_,
                    count=count,
                    component=component,
                )
            )
