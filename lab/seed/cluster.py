"""Cluster-wide objects the installation leaves: cluster roles, the two users, the control and mesh namespaces, the model controller's service account and its auth-delegator binding."""

from __future__ import annotations

from lab import objects
from lab.kube.auth import UserInfo
from lab.seed.base import CLUSTER_ROLES, CONTROL_NAMESPACE, MESH_NAMESPACE, SeederBase


class ClusterSeeding(SeederBase):
    # -- cluster ---------------------------------------------------------------------------
    def seed_cluster(self) -> None:
        for name, rules in CLUSTER_ROLES.items():
            self.store.put({"kind": "ClusterRole", "metadata": {"name": name}, "rules": rules})
        admin = UserInfo("lab-admin", "lab-admin-uid", ("system:masters", "system:authenticated"))
        developer = UserInfo(
            "developer", "developer-uid", ("system:authenticated:oauth", "system:authenticated")
        )
        self.result.user_tokens = {
            "lab-admin": self.authn.add_user_token(admin),
            "developer": self.authn.add_user_token(developer),
        }
        for name, labels in ((CONTROL_NAMESPACE, {}), (MESH_NAMESPACE, {})):
            self._put_namespace(name, labels, {})
        controller = objects.service_account("odh-model-controller", CONTROL_NAMESPACE)
        self.store.put(controller)
        self.result.proxy_token = self.authn.issue_service_account_token(
            CONTROL_NAMESPACE, "odh-model-controller", controller["metadata"]["uid"]
        )
        self.store.put(
            {
                "kind": "ClusterRoleBinding",
                "metadata": {"name": "odh-model-controller-auth-delegator"},
                "roleRef": {
                    "apiGroup": "rbac.authorization.k8s.io",
                    "kind": "ClusterRole",
                    "name": "system:auth-delegator",
                },
                "subjects": [
                    {
                        "kind": "ServiceAccount",
                        "name": "odh-model-controller",
                        "namespace": CONTROL_NAMESPACE,
                    }
                ],
            }
        )

    def _put_namespace(self, name: str, labels: dict, annotations: dict) -> None:
        ns = self.store.put(objects.namespace(name, labels, annotations))
        self.store.put(objects.project(ns))
