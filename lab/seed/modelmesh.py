"""What the ModelMesh controller leaves: the runtime pod (mm, adapter, ovms containers) and the model status reported through the ISVC."""

from __future__ import annotations

from datetime import timedelta

from lab import objects
from lab.ovms import modelmesh_model_id
from lab.runtime import LoadOutcome
from lab.scenarios import Scenario
from lab.seed.base import SeederBase


class ModelMeshSeeding(SeederBase):
    def _modelmesh_pod(self, sc: Scenario, outcome: LoadOutcome, runtime: dict) -> dict:
        deploy_name = f"modelmesh-serving-{sc.runtime}"
        labels = {
            "name": deploy_name,
            "modelmesh-service": "modelmesh-serving",
            "app.kubernetes.io/managed-by": "modelmesh-controller",
        }
        image = sc.runtime_image
        names = [
            ("rest-proxy", "quay.io/modh/kserve-rest-proxy:v0.12"),
            ("ovms", image),
            ("ovms-adapter", "quay.io/modh/modelmesh-runtime-adapter:v0.12"),
            ("mm", "quay.io/modh/modelmesh:v0.12"),
            ("oauth-proxy", "registry.redhat.io/openshift4/ose-oauth-proxy:v4.14"),
        ]
        containers = [
            objects.container(n, i, memory="4Gi" if n == "ovms" else "") for n, i in names
        ]
        name = f"{deploy_name}-{objects.suffix(sc.project, 10)[:9]}-{objects.suffix(sc.project)}"
        unschedulable = sc.pod_fault == "unschedulable"
        if unschedulable:
            message = (
                "0/3 nodes are available: 1 node(s) had untolerated taint "
                "{node-role.kubernetes.io/master: }, 2 Insufficient memory. preemption: "
                "0/3 nodes are available: 1 Preemption is not helpful for scheduling, "
                "2 No preemption victims found for incoming pod."
            )
            pod = objects.pod(
                name,
                sc.project,
                labels,
                containers,
                phase="Pending",
                conditions=[objects.condition("PodScheduled", False, "Unschedulable", message)],
            )
        else:
            pod = objects.pod(
                name,
                sc.project,
                labels,
                containers,
                conditions=[
                    objects.condition(t, True)
                    for t in ("Initialized", "Ready", "ContainersReady", "PodScheduled")
                ],
                statuses=[objects.container_status(n, i) for n, i in names],
            )
        pod = self.store.put(pod)
        self.store.put(
            objects.deployment(
                deploy_name, sc.project, labels, 1, 0 if unschedulable else 1, containers
            )
        )
        self.store.put(
            objects.service(
                "modelmesh-serving",
                sc.project,
                {"modelmesh-service": "modelmesh-serving"},
                {"grpc": 8033, "http": 8008, "https": 8443, "prometheus": 2112},
            )
        )
        if unschedulable:
            self._events(sc, pod, ("FailedScheduling", message, "Warning", 14, "default-scheduler"))
            return pod
        self._events(
            sc,
            pod,
            (
                "Scheduled",
                f"Successfully assigned {sc.project}/{name} to worker-0.rhoai-lab.test",
                "Normal",
                1,
                "default-scheduler",
            ),
            ("Started", "Started container ovms", "Normal", 1, "kubelet"),
        )
        self._log(pod, "ovms-adapter", outcome.storage_log + outcome.runtime_log)
        self._log(
            pod,
            "ovms",
            [
                "[info] OpenVINO Model Server 2024.5.0",
                "[info] REST server listening on port 8888 with 8 threads",
                *outcome.runtime_log,
            ],
        )
        model_id = modelmesh_model_id(sc.deployment)
        mm_line = (
            f"Model {model_id} loaded"
            if outcome.failed_stage is None
            else f"Load of model {model_id} failed: {outcome.message}"
        )
        self._log(pod, "mm", ["ModelMesh 0.12 starting", mm_line])
        self._log(pod, "rest-proxy", ["Registering REST proxy for gRPC endpoint localhost:8033"])
        self._log(
            pod,
            "oauth-proxy",
            [
                'oauthproxy.go: mapping path "/" => upstream "http://localhost:8008/"',
                "oauthproxy.go: HTTPS: listening on [::]:8443",
            ],
        )
        return pod

    @staticmethod
    def _modelmesh_status(sc: Scenario, outcome: LoadOutcome, pod: dict) -> tuple[dict, list]:
        location = pod["metadata"]["name"][-12:]
        ready = [objects.condition("PredictorReady", True), objects.condition("Ready", True)]
        if sc.pod_fault == "unschedulable":
            return (
                {
                    "transitionStatus": "InProgress",
                    "states": {"activeModelState": "Pending", "targetModelState": ""},
                    "lastFailureInfo": {
                        "reason": "RuntimeUnhealthy",
                        "message": "Waiting for runtime Pod to become available",
                        "modelRevisionName": modelmesh_model_id(sc.deployment),
                        "time": objects.ts(timedelta(minutes=25)),
                    },
                    "copies": {"failedCopies": 0, "totalCopies": 0},
                },
                [
                    objects.condition(
                        "PredictorReady",
                        False,
                        "RuntimeUnhealthy",
                        "Waiting for runtime Pod to become available",
                    ),
                    objects.condition("Ready", False, "RuntimeUnhealthy"),
                ],
            )
        if outcome.failed_stage is not None:
            return (
                {
                    "transitionStatus": "BlockedByFailedLoad",
                    "states": {"activeModelState": "FailedToLoad", "targetModelState": ""},
                    "lastFailureInfo": {
                        "location": location,
                        "reason": "ModelLoadFailed",
                        "message": outcome.message,
                        "modelRevisionName": modelmesh_model_id(sc.deployment),
                        "time": objects.ts(timedelta(minutes=10)),
                    },
                    "copies": {"failedCopies": 1, "totalCopies": 0},
                },
                [
                    objects.condition("PredictorReady", False, "ModelLoadFailed", outcome.message),
                    objects.condition("Ready", False, "ModelLoadFailed"),
                ],
            )
        status: dict = {
            "transitionStatus": "UpToDate",
            "states": {"activeModelState": "Loaded", "targetModelState": ""},
            "copies": {"failedCopies": 0, "totalCopies": 1},
        }
        if sc.healthy:
            # A stale message left from start-up: the dashboard's own mocks carry one (docs/domain.md §2.1).
            status["lastFailureInfo"] = {
                "reason": "RuntimeUnhealthy",
                "message": "Waiting for runtime Pod to become available",
                "modelRevisionName": modelmesh_model_id(sc.deployment),
                "time": objects.ts(timedelta(minutes=40)),
            }
        return status, ready
