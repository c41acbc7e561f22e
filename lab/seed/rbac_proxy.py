"""What ODH's KServe and odh-model-controller leave for a Standard (RawDeployment) deployment on
RHOAI 3.x: the predictor Deployment and pod (kube-rbac-proxy beside the model when auth is "true"),
the Service (8443 `https` through the proxy, else 80 `http` straight to the model), the SAR
ConfigMap, the pod service account's auth-delegator binding, and the Route owned by the ISVC.

The Serverless objects the KServe seeding made first are replaced, not patched around: the lab
then holds what a Standard deployment really has (rhoai-3x.md §1.2-1.5).
"""

from __future__ import annotations

from lab import objects
from lab.kube.kinds import kind_by_name
from lab.scenarios import Scenario
from lab.seed.base import SeederBase
from lab.tls import APPS_DOMAIN

PROXY_IMAGE = "quay.io/opendatahub/odh-kube-auth-proxy:v3.0"
PROXY = "kube-rbac-proxy"
POD_SA = "default"
KNATIVE_ONLY = ("queue-proxy", "istio-proxy")  # the Serverless sidecars a Raw pod has not
SERVERLESS_ANNOTATIONS = (
    "serving.kserve.io/deploymentMode",
    "serving.knative.openshift.io/enablePassthrough",
    "sidecar.istio.io/inject",
    "sidecar.istio.io/rewriteAppHTTPProbers",
)


def _account(isvc: dict) -> str:
    """The predictor pods' SA: `spec.predictor.serviceAccountName`, else `default` (§1.4)."""
    return (isvc.get("spec") or {}).get("predictor", {}).get("serviceAccountName") or POD_SA


def auth_delegator_binding(ns: str, account: str) -> dict:
    """What odh-model-controller creates while a Standard ISVC run as `account` has auth "true":
    without it kube-rbac-proxy may not call the review APIs."""
    return {
        "kind": "ClusterRoleBinding",
        "metadata": {"name": f"{ns}-{account}-auth-delegator"},
        "roleRef": {
            "apiGroup": "rbac.authorization.k8s.io",
            "kind": "ClusterRole",
            "name": "system:auth-delegator",
        },
        "subjects": [{"kind": "ServiceAccount", "name": account, "namespace": ns}],
    }


def sar_config(ns: str, name: str) -> str:
    """The proxy's --config-file: the one SubjectAccessReview it asks for every caller."""
    return (
        "authorization:\n"
        "  resourceAttributes:\n"
        f"    namespace: {ns}\n"
        "    apiGroup: serving.kserve.io\n"
        "    apiVersion: v1beta1\n"
        "    resource: inferenceservices\n"
        f"    name: {name}\n"
        "    verb: get\n"
    )


class RbacProxySeeding(SeederBase):
    def _standard_mode(self, sc: Scenario, isvc: dict, pod: dict) -> None:
        ns, name = sc.project, sc.deployment
        auth = sc.enable_auth
        meta = isvc["metadata"]
        for key in SERVERLESS_ANNOTATIONS:  # the 3.x dashboard writes no mode annotation
            meta["annotations"].pop(key, None)
        if auth:
            meta["annotations"]["security.opendatahub.io/enable-auth"] = "true"
        meta["labels"]["networking.kserve.io/visibility"] = "exposed"
        host = f"{name}-{ns}.{APPS_DOMAIN}"
        internal = f"{name}-predictor.{ns}.svc.cluster.local"
        address = f"https://{internal}:8443" if auth else f"http://{internal}"
        status = isvc["status"]
        status["deploymentMode"] = "RawDeployment"
        status["url"] = f"https://{host}"
        status["address"] = {"url": address}
        status["components"] = {
            "predictor": {"url": f"https://{name}-predictor-{ns}.{APPS_DOMAIN}"}
        }
        self.store.put(isvc)
        self._predictor_pod(sc, pod, auth)
        self._proxy_service(sc, auth)
        if auth:
            self._sar_config_map(sc)
            self._pod_service_account(sc, _account(isvc))
        self.store.put(
            objects.route(
                name,
                ns,
                host,
                service=f"{name}-predictor",
                port="https" if auth else "http",
                termination="reencrypt" if auth else "edge",
                labels={"inferenceservice-name": name},
                owner=objects.owner_ref(isvc),
            )
        )

    def _predictor_pod(self, sc: Scenario, old: dict, auth: bool) -> None:
        """The Knative revision pod becomes `<isvc>-predictor-<hash>`; its logs move with it."""
        ns, name = sc.project, sc.deployment
        old_name = old["metadata"]["name"]
        self.store.delete("Pod", ns, old_name)
        self.store.delete("Deployment", ns, f"{name}-predictor-00001-deployment")
        labels = {
            "serving.kserve.io/inferenceservice": name,
            "component": "predictor",
            "app": f"isvc.{name}-predictor",
        }
        containers = [c for c in old["spec"]["containers"] if c["name"] not in KNATIVE_ONLY]
        statuses = [
            s for s in old["status"].get("containerStatuses") or [] if s["name"] not in KNATIVE_ONLY
        ]
        if auth:
            proxy = objects.container(
                PROXY,
                PROXY_IMAGE,
                args=[
                    "--secure-listen-address=:8443",
                    "--proxy-endpoints-port=8643",
                    "--upstream=http://localhost:8888",
                    "--config-file=/etc/kube-rbac-proxy/config-file.yaml",
                    "--tls-cert-file=/etc/tls/private/tls.crt",
                    "--tls-private-key-file=/etc/tls/private/tls.key",
                ],
            )
            proxy["ports"] = [
                {"name": "https", "containerPort": 8443, "protocol": "TCP"},
                {"name": "proxy", "containerPort": 8643, "protocol": "TCP"},
            ]
            containers.append(proxy)
            statuses.append(objects.container_status(PROXY, PROXY_IMAGE))
        new_name = f"{name}-predictor-{objects.suffix(ns, 10)[:9]}-{objects.suffix(ns)}"
        pod = {**old, "metadata": {"name": new_name, "namespace": ns, "labels": labels}}
        pod["metadata"]["annotations"] = {
            "service.beta.openshift.io/serving-cert-secret-name": f"{name}-predictor-serving-cert"
        }
        pod["spec"] = {**old["spec"], "containers": containers}
        isvc = self.store.get(kind_by_name("InferenceService"), ns, name) or {"spec": {}}
        pod["spec"]["serviceAccountName"] = _account(isvc)
        pod["status"] = {**old["status"], "containerStatuses": statuses}
        pod = self.store.put(pod)
        for key in [k for k in self.store.logs if k[:2] == (ns, old_name)]:
            self.store.logs[(ns, new_name, *key[2:])] = self.store.logs.pop(key)
        for event in self.store.list(kind_by_name("Event"), ns):  # the kubelet's, about the pod
            involved = event["involvedObject"]
            if involved["kind"] == "Pod" and involved["name"] == old_name:
                involved["name"], involved["uid"] = new_name, pod["metadata"]["uid"]
                event["message"] = event["message"].replace(old_name, new_name)
                self.store.put(event)
        ready = int(any(c.get("ready") for c in statuses) and len(statuses) == len(containers))
        self.store.put(objects.deployment(f"{name}-predictor", ns, labels, 1, ready, containers))

    def _proxy_service(self, sc: Scenario, auth: bool) -> None:
        ns, name = sc.project, sc.deployment
        port = (
            {"name": "https", "port": 8443, "protocol": "TCP", "targetPort": "https"}
            if auth
            else {"name": "http", "port": 80, "protocol": "TCP", "targetPort": 8888}
        )
        service = objects.service(f"{name}-predictor", ns, {"app": f"isvc.{name}-predictor"}, {})
        service["spec"]["ports"] = [port]
        service["metadata"]["annotations"] = {
            "service.beta.openshift.io/serving-cert-secret-name": f"{name}-predictor-serving-cert"
        }
        self.store.put(service)

    def _sar_config_map(self, sc: Scenario) -> None:
        ns, name = sc.project, sc.deployment
        self.store.put(
            {
                "kind": "ConfigMap",
                "metadata": {"name": f"{name}-kube-rbac-proxy-sar-config", "namespace": ns},
                "immutable": True,
                "data": {"config-file.yaml": sar_config(ns, name)},
            }
        )

    def _pod_service_account(self, sc: Scenario, name: str = POD_SA) -> None:
        """The SA the proxy runs as, its token (the proxy's own credentials for the review APIs)
        and — unless the scenario's fault is its absence — its auth-delegator binding."""
        ns = sc.project
        account = self.store.get(kind_by_name("ServiceAccount"), ns, name)
        if account is None:
            account = self.store.put(objects.service_account(name, ns))
        self.result.pod_tokens[(ns, name)] = self.authn.issue_service_account_token(
            ns, name, account["metadata"]["uid"]
        )
        if not sc.auth_delegator:
            return
        self.store.put(auth_delegator_binding(ns, name))
