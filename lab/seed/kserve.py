"""What the KServe controller leaves: the predictor pod (storage-initializer, kserve-container) and its conditions and model status."""

from __future__ import annotations

from datetime import timedelta

from lab import objects
from lab.runtime import LoadOutcome
from lab.scenarios import Scenario
from lab.seed.base import SeederBase


class KServeSeeding(SeederBase):
    def _kserve_pod(self, sc: Scenario, outcome: LoadOutcome, isvc: dict) -> dict:
        revision = f"{sc.deployment}-predictor-00001"
        labels = {
            "serving.kserve.io/inferenceservice": sc.deployment,
            "component": "predictor",
            "serving.knative.dev/revision": revision,
            "app": revision,
        }
        image = sc.runtime_image
        init_image = "quay.io/modh/kserve-storage-initializer:v0.12"
        init = [objects.container("storage-initializer", init_image)]
        containers = [
            objects.container("kserve-container", image, memory="4Gi", ports=[8888]),
            objects.container(
                "queue-proxy", "registry.redhat.io/openshift-serverless-1/serving-queue-rhel8:1.33"
            ),
            objects.container(
                "istio-proxy", "registry.redhat.io/openshift-service-mesh/proxyv2-rhel8:2.5"
            ),
        ]
        name = f"{revision}-deployment-{objects.suffix(sc.project, 10)[:9]}-{objects.suffix(sc.project)}"
        init_done = objects.container_status(
            "storage-initializer", init_image, ready=True, state=objects.terminated("Completed", 0)
        )
        sidecars = [objects.container_status(c["name"], c["image"]) for c in containers[1:]]
        ready_conditions = [
            objects.condition(t, True)
            for t in ("Initialized", "Ready", "ContainersReady", "PodScheduled")
        ]
        not_ready = [
            objects.condition("Initialized", True),
            objects.condition(
                "Ready",
                False,
                "ContainersNotReady",
                "containers with unready status: [kserve-container]",
            ),
            objects.condition(
                "ContainersReady",
                False,
                "ContainersNotReady",
                "containers with unready status: [kserve-container]",
            ),
            objects.condition("PodScheduled", True),
        ]
        restart_msg = f"Back-off restarting failed container kserve-container in pod {name}"
        events: list[tuple] = []
        if outcome.failed_stage == "storage":
            tail = "\n".join(outcome.storage_log[-4:])
            init_status = objects.container_status(
                "storage-initializer",
                init_image,
                ready=False,
                restarts=5,
                state=objects.waiting(
                    "CrashLoopBackOff",
                    f"back-off 2m40s restarting failed container=storage-initializer pod={name}",
                ),
                last_state=objects.terminated("Error", 1, tail),
            )
            pod = objects.pod(
                name,
                sc.project,
                labels,
                containers,
                init_containers=init,
                phase="Pending",
                conditions=[
                    objects.condition(
                        "Initialized",
                        False,
                        "ContainersNotInitialized",
                        "containers with incomplete status: [storage-initializer]",
                    ),
                    objects.condition("PodScheduled", True),
                ],
                statuses=[
                    objects.container_status(
                        c["name"], c["image"], ready=False, state=objects.waiting("PodInitializing")
                    )
                    for c in containers
                ],
                init_statuses=[init_status],
            )
            events.append(
                (
                    "BackOff",
                    f"Back-off restarting failed container storage-initializer in pod {name}",
                    "Warning",
                    23,
                    "kubelet",
                )
            )
        elif outcome.failed_stage == "model" or sc.pod_fault == "oom-crashloop":
            oom = sc.pod_fault == "oom-crashloop"
            last = (
                objects.terminated("OOMKilled", 137)
                if oom
                else objects.terminated("Error", 1, outcome.message)
            )
            main = objects.container_status(
                "kserve-container",
                image,
                ready=False,
                restarts=7 if oom else 5,
                state=objects.waiting(
                    "CrashLoopBackOff",
                    f"back-off 5m0s restarting failed container=kserve-container pod={name}",
                ),
                last_state=last,
            )
            pod = objects.pod(
                name,
                sc.project,
                labels,
                containers,
                init_containers=init,
                conditions=not_ready,
                statuses=[main, *sidecars],
                init_statuses=[init_done],
            )
            events.append(("BackOff", restart_msg, "Warning", 31, "kubelet"))
        else:
            pod = objects.pod(
                name,
                sc.project,
                labels,
                containers,
                init_containers=init,
                conditions=ready_conditions,
                statuses=[objects.container_status("kserve-container", image), *sidecars],
                init_statuses=[init_done],
            )
        pod = self.store.put(pod)
        ready = 1 if pod["status"]["conditions"][1:2] == [objects.condition("Ready", True)] else 0
        self.store.put(
            objects.deployment(f"{revision}-deployment", sc.project, labels, 1, ready, containers)
        )
        self.store.put(
            objects.service(
                f"{sc.deployment}-predictor", sc.project, labels, {"http": 80, "https": 443}
            )
        )
        self._events(
            sc,
            pod,
            (
                "Scheduled",
                f"Successfully assigned {sc.project}/{name} to worker-1.rhoai-lab.test",
                "Normal",
                1,
                "default-scheduler",
            ),
            *events,
        )
        self._log(pod, "storage-initializer", outcome.storage_log)
        ovms_log = [
            "[info] OpenVINO Model Server 2024.5.0",
            f"[info] Loading model: {sc.deployment}, version: 1, from path: /mnt/models",
            *outcome.runtime_log,
        ]
        self._log(pod, "kserve-container", ovms_log)
        if outcome.failed_stage == "model":
            self._log(pod, "kserve-container", ovms_log, previous=True)
        if sc.pod_fault == "oom-crashloop":
            self._log(
                pod,
                "kserve-container",
                [*ovms_log[:2], "[info] Model loaded; allocating inference request buffers"],
                previous=True,
            )
        self._log(
            pod, "queue-proxy", ['{"severity":"INFO","message":"Queue-proxy will listen on 8012"}']
        )
        return pod

    @staticmethod
    def _kserve_conditions(ok: bool) -> list[dict]:
        if ok:
            return [
                objects.condition(t, True)
                for t in (
                    "IngressReady",
                    "LatestDeploymentReady",
                    "PredictorConfigurationReady",
                    "PredictorReady",
                    "PredictorRouteReady",
                    "Ready",
                    "RoutesReady",
                )
            ]
        failed = ("RevisionFailed", 'Revision "" failed with message: .')
        return [
            objects.condition("IngressReady", True),
            objects.condition("PredictorConfigurationReady", False, *failed),
            objects.condition("PredictorReady", False, *failed),
            objects.condition("Ready", False, *failed),
        ]

    @staticmethod
    def _kserve_model_status(sc: Scenario, outcome: LoadOutcome, pod: dict) -> dict:
        if sc.pod_fault == "oom-crashloop":
            # An OOMKilled container is not reason Error: KServe leaves the model Pending (docs/domain.md §2.3).
            return {
                "transitionStatus": "InProgress",
                "states": {"activeModelState": "", "targetModelState": "Pending"},
                "copies": {"failedCopies": 0},
            }
        if outcome.failed_stage is None:
            return {
                "transitionStatus": "UpToDate",
                "states": {"activeModelState": "Loaded", "targetModelState": "Loaded"},
                "copies": {"failedCopies": 0, "totalCopies": 1},
            }
        return {
            "transitionStatus": "BlockedByFailedLoad",
            "states": {"activeModelState": "", "targetModelState": "FailedToLoad"},
            "lastFailureInfo": {
                "reason": "ModelLoadFailed",
                "location": pod["metadata"]["name"],
                "message": "\n".join(outcome.storage_log[-4:])
                if outcome.failed_stage == "storage"
                else outcome.message,
                "exitCode": 1,
                "time": objects.ts(timedelta(minutes=2)),
            },
            "copies": {"failedCopies": 1},
        }
