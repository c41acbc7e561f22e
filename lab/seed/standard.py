"""What KServe and odh-model-controller leave for a 3.x Standard (RawDeployment) model
(rhoai-3x §1.2, §1.3, §2): the predictor Deployment, its ReplicaSet and pod, Service, HPA, the
Route only when the visibility label asks for it; a stopped model's wiped status; a pod the
project's ResourceQuota refuses, with the FailedCreate event the ReplicaSet controller records."""

from __future__ import annotations

from lab import objects
from lab.runtime import LoadOutcome
from lab.scenarios import Scenario
from lab.seed.kserve import KServeSeeding
from lab.seed.status import StatusSeeding
from lab.tls import APPS_DOMAIN

SERVERLESS_ONLY = (
    "serving.kserve.io/deploymentMode",
    "serving.knative.openshift.io/enablePassthrough",
    "sidecar.istio.io/inject",
    "sidecar.istio.io/rewriteAppHTTPProbers",
)
VISIBILITY = "networking.kserve.io/visibility"
QUOTA = "compute-quota"
QUOTA_HARD = {"limits.memory": "10Gi", "requests.cpu": "4", "pods": "10"}
QUOTA_USED = {"limits.memory": "4Gi", "requests.cpu": "1", "pods": "1"}  # the workbench below
PREDICTOR_MEMORY = "8Gi"


class StandardSeeding(KServeSeeding, StatusSeeding):
    """Overrides the 2.x KServe (Serverless) seeding for scenarios marked `standard`."""

    def _inference_service(self, sc: Scenario) -> dict:
        isvc = super()._inference_service(sc)  # type: ignore[misc]
        if not sc.standard:
            return isvc
        meta = isvc["metadata"]
        annotations = {k: v for k, v in meta["annotations"].items() if k not in SERVERLESS_ONLY}
        annotations["security.opendatahub.io/enable-auth"] = "true" if sc.enable_auth else "false"
        if sc.stopped:
            annotations["serving.kserve.io/stop"] = "true"
        if sc.visibility == "label":
            meta["labels"][VISIBILITY] = "exposed"
        elif sc.visibility == "annotation":
            annotations[VISIBILITY] = "exposed"
        meta["annotations"] = annotations
        if sc.quota:
            memory = PREDICTOR_MEMORY
            isvc["spec"]["predictor"]["model"]["resources"] = {
                "requests": {"cpu": "1", "memory": memory},
                "limits": {"cpu": "2", "memory": memory},
            }
        return isvc

    # -- workload ----------------------------------------------------------------------------
    def _pods(self, sc: Scenario, outcome: LoadOutcome, runtime: dict, isvc: dict) -> dict:
        if not sc.standard:
            return super()._pods(sc, outcome, runtime, isvc)
        if sc.stopped:  # Deployment, Service and HPA are deleted while stopped (§2)
            self._stopped_pod_events(sc)
            return {}
        ns, name = sc.project, f"{sc.deployment}-predictor"
        template_hash = objects.suffix(ns + "rs", 9)
        pod_labels = {
            "app": f"isvc.{name}",
            "serving.kserve.io/inferenceservice": sc.deployment,
            "component": "predictor",
        }
        resources = isvc["spec"]["predictor"]["model"]["resources"]
        main = objects.container("kserve-container", sc.runtime_image, ports=[8888])
        main["resources"] = resources
        main["args"] = [
            f"--model_name={sc.deployment}",
            "--port=8001",
            "--rest_port=8888",
            "--model_path=/mnt/models",
        ]
        ready = 0 if sc.quota else 1
        deployment = objects.deployment(name, ns, pod_labels, 1, ready, [main])
        deployment["metadata"]["ownerReferences"] = [objects.owner_ref(isvc)]
        deployment["spec"]["selector"] = {"matchLabels": {"app": f"isvc.{name}"}}
        deployment["spec"]["template"]["metadata"]["annotations"] = {
            "service.beta.openshift.io/serving-cert-secret-name": f"{name}-serving-cert"
        }
        deployment = self.store.put(deployment)
        rs_name = f"{name}-{template_hash}"
        rs_labels = {**pod_labels, "pod-template-hash": template_hash}
        rs = objects.deployment(rs_name, ns, rs_labels, 1, ready, [main])
        rs["kind"] = "ReplicaSet"
        rs["metadata"]["ownerReferences"] = [objects.owner_ref(deployment)]
        for key in ("updatedReplicas", "unavailableReplicas"):
            rs["status"].pop(key)
        rs = self.store.put(rs)
        self._service(sc, isvc, pod_labels)
        self._autoscaler(sc, isvc, deployment, ready)
        if sc.quota:
            return self._refused(sc, deployment, rs, rs_name)
        pod = objects.pod(
            f"{rs_name}-{objects.suffix(ns + 'pod')}",
            ns,
            rs_labels,
            [main],
            conditions=[
                objects.condition(t, True)
                for t in ("Initialized", "Ready", "ContainersReady", "PodScheduled")
            ],
            statuses=[objects.container_status("kserve-container", sc.runtime_image)],
            owner=objects.owner_ref(rs),
        )
        pod = self.store.put(pod)
        self._events(
            sc,
            pod,
            (
                "Scheduled",
                f"Successfully assigned {ns}/{pod['metadata']['name']} to worker-1.rhoai-lab.test",
                "Normal",
                1,
                "default-scheduler",
            ),
        )
        self._log(
            pod,
            "kserve-container",
            [
                "[info] OpenVINO Model Server 2024.5.0",
                f"[info] Loading model: {sc.deployment}, version: 1, from path: /mnt/models",
                *outcome.runtime_log,
            ],
        )
        return pod

    def _stopped_pod_events(self, sc: Scenario) -> None:
        """What is left of the deleted pod: the kubelet's Killing event (the pod itself is gone)."""
        name = f"{sc.deployment}-predictor-{objects.suffix(sc.project + 'rs', 9)}-"
        gone = {
            "kind": "Pod",
            "apiVersion": "v1",
            "metadata": {"name": name + objects.suffix(sc.project + "pod"), "uid": ""},
        }
        self._events(
            sc, gone, ("Killing", "Stopping container kserve-container", "Normal", 1, "kubelet")
        )

    def _service(self, sc: Scenario, isvc: dict, pod_labels: dict) -> None:
        name = f"{sc.deployment}-predictor"
        service = objects.service(name, sc.project, {"app": f"isvc.{name}"}, {})
        service["metadata"]["labels"] = dict(pod_labels)
        service["metadata"]["ownerReferences"] = [objects.owner_ref(isvc)]
        service["metadata"]["annotations"] = {
            "service.beta.openshift.io/serving-cert-secret-name": f"{name}-serving-cert"
        }
        service["spec"]["ports"] = [
            {"name": "http", "port": 80, "protocol": "TCP", "targetPort": 8888}
        ]
        self.store.put(service)

    def _autoscaler(self, sc: Scenario, isvc: dict, deployment: dict, current: int) -> None:
        name = f"{sc.deployment}-predictor"
        self.store.put(
            {
                "kind": "HorizontalPodAutoscaler",
                "metadata": {
                    "name": name,
                    "namespace": sc.project,
                    "ownerReferences": [objects.owner_ref(isvc)],
                },
                "spec": {
                    "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": name},
                    "minReplicas": 1,
                    "maxReplicas": 1,
                    "metrics": [
                        {
                            "type": "Resource",
                            "resource": {
                                "name": "cpu",
                                "target": {"type": "Utilization", "averageUtilization": 80},
                            },
                        }
                    ],
                },
                "status": {"currentReplicas": current, "desiredReplicas": 1},
            }
        )

    def _refused(self, sc: Scenario, deployment: dict, rs: dict, rs_name: str) -> dict:
        """A quota the workbench already uses 4Gi of refuses the 8Gi predictor pod."""
        ns = sc.project
        spent = {"limits.memory": "4Gi"}
        used = ",".join(f"{k}={v}" for k, v in spent.items())
        message = (
            f'pods "{rs_name}-{objects.suffix(ns + "pod")}" is forbidden: exceeded quota: '
            f"{QUOTA}, requested: limits.memory={PREDICTOR_MEMORY}, used: {used}, "
            f"limited: limits.memory={QUOTA_HARD['limits.memory']}"
        )
        self.store.put(
            {
                "kind": "ResourceQuota",
                "metadata": {"name": QUOTA, "namespace": ns},
                "spec": {"hard": dict(QUOTA_HARD)},
                "status": {"hard": dict(QUOTA_HARD), "used": dict(QUOTA_USED)},
            }
        )
        workbench = objects.pod(
            "my-workbench-0",
            ns,
            {"app": "my-workbench", "notebook-name": "my-workbench", "statefulset": "my-workbench"},
            [
                objects.container(
                    "my-workbench", "quay.io/modh/odh-minimal-notebook:2025.1", memory="4Gi"
                )
            ],
            conditions=[
                objects.condition(t, True)
                for t in ("Initialized", "Ready", "ContainersReady", "PodScheduled")
            ],
            statuses=[
                objects.container_status("my-workbench", "quay.io/modh/odh-minimal-notebook:2025.1")
            ],
        )
        self.store.put(workbench)
        failure = objects.condition("ReplicaFailure", True, "FailedCreate", message)
        rs["status"] = {"replicas": 0, "observedGeneration": 1, "conditions": [failure]}
        self.store.put(rs)
        deployment["status"] = {
            "observedGeneration": 1,
            "replicas": 0,
            "unavailableReplicas": 1,
            "conditions": [
                objects.condition(
                    "Available",
                    False,
                    "MinimumReplicasUnavailable",
                    "Deployment does not have minimum availability.",
                ),
                objects.condition("ReplicaFailure", True, "FailedCreate", message),
                objects.condition(
                    "Progressing",
                    True,
                    "ReplicaSetUpdated",
                    f'ReplicaSet "{rs_name}" is progressing.',
                ),
            ],
        }
        self.store.put(deployment)
        self._events(
            sc,
            rs,
            ("FailedCreate", f"Error creating: {message}", "Warning", 14, "replicaset-controller"),
        )
        return {}

    # -- status and route --------------------------------------------------------------------
    def _status(self, sc: Scenario, isvc: dict, outcome: LoadOutcome, pod: dict) -> None:
        if not sc.standard:
            super()._status(sc, isvc, outcome, pod)
            return
        ns, name = sc.project, sc.deployment
        if sc.stopped:  # the predictor wipes all but deploymentMode (§2)
            stopped = ("Stopped", "")
            isvc["status"] = {
                "deploymentMode": "RawDeployment",
                "observedGeneration": 1,
                "conditions": [
                    objects.condition("IngressReady", False, *stopped),
                    objects.condition("PredictorReady", False, *stopped),
                    objects.condition("Ready", False, *stopped),
                    objects.condition("Stopped", True),
                ],
            }
            self.store.put(isvc)
            return
        internal = f"http://{name}-predictor.{ns}.svc.cluster.local"
        exposed = sc.visibility == "label"
        ok = not sc.quota
        if ok:
            conditions = [
                objects.condition(t, True)
                for t in ("IngressReady", "LatestDeploymentReady", "PredictorReady", "Ready")
            ]
            model_status = self._kserve_model_status(sc, outcome, pod)
        else:
            waiting = (
                "MinimumReplicasUnavailable",
                "Deployment does not have minimum availability.",
            )
            conditions = [
                objects.condition("IngressReady", True),
                objects.condition("LatestDeploymentReady", False, *waiting),
                objects.condition("PredictorReady", False, *waiting),
                objects.condition("Ready", False, *waiting),
            ]
            model_status = {
                "transitionStatus": "InProgress",
                "states": {"activeModelState": "", "targetModelState": "Pending"},
                "copies": {"failedCopies": 0},
            }
        isvc["status"] = {
            "url": f"https://{name}-{ns}.{APPS_DOMAIN}" if exposed else internal,
            "address": {"url": internal},
            "components": {"predictor": {"url": f"https://{name}-predictor-{ns}.{APPS_DOMAIN}"}},
            "deploymentMode": "RawDeployment",
            "modelStatus": model_status,
            "conditions": [*conditions, objects.condition("Stopped", False)],
            "observedGeneration": 1,
        }
        self.store.put(isvc)

    def _route(self, sc: Scenario, isvc: dict) -> None:
        if not sc.standard:
            super()._route(sc, isvc)
            return
        if sc.visibility != "label":  # odh-model-controller reads only the label (§1.3)
            return
        ns, name = sc.project, sc.deployment
        route = objects.route(
            name,
            ns,
            f"{name}-{ns}.{APPS_DOMAIN}",
            service=f"{name}-predictor",
            port="https" if sc.enable_auth else "http",
            termination="reencrypt" if sc.enable_auth else "edge",
            labels={"inferenceservice-name": name},
            owner=objects.owner_ref(isvc),
        )
        route["metadata"]["annotations"] = {"haproxy.router.openshift.io/timeout": "30s"}
        self.store.put(route)
