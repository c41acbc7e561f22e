"""The cause scenarios (lab/scenarios_causes.py) on top of what the dashboard and controllers
leave: the predictor pod as the kubelet reports it when a container keeps dying, with the
previous instance's log and the kubelet's events; or an InferenceService no controller took,
with no status, no pods and nothing downstream of it."""

from __future__ import annotations

import json
from datetime import timedelta

from lab import objects
from lab.kube.kinds import kind_by_name
from lab.scenario_types import Scenario
from lab.scenarios_causes import INIT_CRASH, LIVENESS, OAUTH_2X, UNRECONCILED
from lab.seed.base import SeederBase

INIT_IMAGE = "quay.io/modh/kserve-storage-initializer:v0.14"
OAUTH_IMAGE = "registry.redhat.io/openshift4/ose-oauth-proxy@sha256:4f8d66597fe5"
LIVE_PATH = "/v2/health/live"


def storage_crash_log(project: str) -> list[str]:
    """What kserve's storage initializer prints when /mnt/models (an emptyDir with a size limit)
    fills up: a traceback no known signature names."""
    uri = f"s3://{project}-models/iris"
    return [
        f"INFO:root:Initializing, args: src_uri [{uri}] dest_path[ [/mnt/models]",
        f"INFO:root:Copying contents of {uri} to local",
        "INFO:root:Downloading: /mnt/models/1/model.onnx",
        "Traceback (most recent call last):",
        '  File "/storage-initializer/scripts/initializer-entrypoint", line 21, in <module>',
        "    kserve.Storage.download(src_uri, dest_path)",
        '  File "/usr/local/lib/python3.11/site-packages/kserve/storage/storage.py", line 283, '
        "in _download_s3",
        "    bucket.download_file(obj.key, target)",
        "OSError: [Errno 28] No space left on device: '/mnt/models/1/model.onnx'",
    ]


def loading_log(name: str) -> list[str]:
    """OVMS still reading a large model when the kubelet kills it: no error line at all."""
    return [
        "[info] OpenVINO Model Server 2024.5.0",
        "[info] Starting REST server at port 8888",
        f"[info] Loading model: {name}, version: 1, from path: /mnt/models/1",
        "[info] Reading model file: /mnt/models/1/model.onnx (3.2 GiB)",
    ]


class CausesSeeding(SeederBase):
    def seed_scenario(self, sc: Scenario) -> None:
        super().seed_scenario(sc)  # type: ignore[misc]
        if sc.pod_fault in (INIT_CRASH, LIVENESS):
            self._dying_pod(sc)
        elif sc.pod_fault == UNRECONCILED:
            self._unreconciled(sc)
        if OAUTH_2X in sc.notes:
            self._oauth_proxy_2x(sc)

    def _oauth_proxy_2x(self, sc: Scenario) -> None:
        """RHOAI 2.x (odh-v2.26 to v2.35) KServe Raw with auth: oauth-proxy where 3.x has
        kube-rbac-proxy, no SAR ConfigMap, and the mode annotation the 2.x dashboard writes; the
        switch is the annotation, the Route goes to the Service's 'https' port as on 3.x
        (controllers.md §1.3, §1.6)."""
        ns, name = sc.project, sc.deployment
        isvc = self.store.get(kind_by_name("InferenceService"), ns, name)
        if isvc is not None:
            isvc["metadata"]["annotations"]["serving.kserve.io/deploymentMode"] = "RawDeployment"
            self.store.put(isvc)
        sar = json.dumps(
            {
                "namespace": ns,
                "resource": "inferenceservices",
                "group": "serving.kserve.io",
                "name": name,
                "verb": "get",
            }
        )
        proxy = objects.container(
            "oauth-proxy",
            OAUTH_IMAGE,
            args=[
                "--https-address=:8443",
                "--provider=openshift",
                "--skip-provider-button",
                "--openshift-service-account=default",
                "--upstream=http://localhost:8888",
                "--tls-cert=/etc/tls/private/tls.crt",
                "--tls-key=/etc/tls/private/tls.key",
                "--cookie-secret=SECRET",
                f'--openshift-delegate-urls={{"/": {sar}}}',
                f"--openshift-sar={sar}",
            ],
        )
        proxy["ports"] = [{"name": "https", "containerPort": 8443, "protocol": "TCP"}]
        pod = self._model_pod(sc)
        pod["spec"]["containers"] = [
            c for c in pod["spec"]["containers"] if c["name"] != "kube-rbac-proxy"
        ] + [proxy]
        pod["status"]["containerStatuses"] = [
            s for s in pod["status"]["containerStatuses"] if s["name"] != "kube-rbac-proxy"
        ] + [objects.container_status("oauth-proxy", OAUTH_IMAGE)]
        self.store.put(pod)
        self.store.delete("ConfigMap", ns, f"{name}-kube-rbac-proxy-sar-config")

    def _model_pod(self, sc: Scenario) -> dict:
        pods = self.store.list(kind_by_name("Pod"), sc.project)
        return next(
            p
            for p in pods
            if (p["metadata"].get("labels") or {}).get("serving.kserve.io/inferenceservice")
            == sc.deployment
        )

    def _dying_pod(self, sc: Scenario) -> None:
        pod = self._model_pod(sc)
        name, image = pod["metadata"]["name"], sc.runtime_image
        not_ready = ("ContainersNotReady", "containers with unready status: [kserve-container]")
        if sc.pod_fault == INIT_CRASH:
            log = storage_crash_log(sc.project)
            pod["spec"]["initContainers"] = [objects.container("storage-initializer", INIT_IMAGE)]
            pod["status"]["phase"] = "Pending"
            pod["status"]["initContainerStatuses"] = [
                objects.container_status(
                    "storage-initializer",
                    INIT_IMAGE,
                    ready=False,
                    restarts=6,
                    state=objects.waiting(
                        "CrashLoopBackOff",
                        f"back-off 5m0s restarting failed container=storage-initializer pod={name}",
                    ),
                    last_state=objects.terminated("Error", 1),
                )
            ]
            pod["status"]["containerStatuses"] = [
                objects.container_status(
                    "kserve-container", image, ready=False, state=objects.waiting("PodInitializing")
                )
            ]
            pod["status"]["conditions"] = [
                objects.condition(
                    "Initialized",
                    False,
                    "ContainersNotInitialized",
                    "containers with incomplete status: [storage-initializer]",
                ),
                objects.condition("Ready", False, *not_ready),
                objects.condition("ContainersReady", False, *not_ready),
                objects.condition("PodScheduled", True),
            ]
            self._log(pod, "storage-initializer", log[:3])
            self._log(pod, "storage-initializer", log, previous=True)
            back_off = f"Back-off restarting failed container storage-initializer in pod {name}"
            self._events(sc, pod, ("BackOff", back_off, "Warning", 27, "kubelet"))
        else:
            main = pod["spec"]["containers"][0]
            main["livenessProbe"] = {
                "httpGet": {"path": LIVE_PATH, "port": 8888},
                "initialDelaySeconds": 5,
                "periodSeconds": 10,
                "failureThreshold": 3,
            }
            pod["status"]["containerStatuses"] = [
                objects.container_status(
                    "kserve-container",
                    image,
                    ready=False,
                    restarts=8,
                    state=objects.waiting(
                        "CrashLoopBackOff",
                        f"back-off 5m0s restarting failed container=kserve-container pod={name}",
                    ),
                    last_state=objects.terminated("Error", 137),
                )
            ]
            pod["status"]["conditions"] = [
                objects.condition("Initialized", True),
                objects.condition("Ready", False, *not_ready),
                objects.condition("ContainersReady", False, *not_ready),
                objects.condition("PodScheduled", True),
            ]
            ip = pod["status"].get("podIP", "10.128.2.14")
            self._log(pod, "kserve-container", loading_log(sc.deployment)[:3])
            self._log(pod, "kserve-container", loading_log(sc.deployment), previous=True)
            self._events(
                sc,
                pod,
                (
                    "Unhealthy",
                    f'Liveness probe failed: Get "http://{ip}:8888{LIVE_PATH}": dial tcp '
                    f"{ip}:8888: connect: connection refused",
                    "Warning",
                    24,
                    "kubelet",
                ),
                (
                    "Killing",
                    "Container kserve-container failed liveness probe, will be restarted",
                    "Normal",
                    8,
                    "kubelet",
                ),
                (
                    "BackOff",
                    f"Back-off restarting failed container kserve-container in pod {name}",
                    "Warning",
                    19,
                    "kubelet",
                ),
            )
        self.store.put(pod)
        deployment = self.store.get(
            kind_by_name("Deployment"), sc.project, f"{sc.deployment}-predictor"
        )
        if deployment is not None:
            deployment["status"]["readyReplicas"] = 0
            deployment["status"]["availableReplicas"] = 0
            self.store.put(deployment)
        self._not_ready_status(sc)

    def _not_ready_status(self, sc: Scenario) -> None:
        """KServe's view of a predictor that never became available (Standard mode)."""
        isvc = self.store.get(kind_by_name("InferenceService"), sc.project, sc.deployment)
        if isvc is None:
            return
        waiting = ("MinimumReplicasUnavailable", "Deployment does not have minimum availability.")
        isvc["status"]["conditions"] = [
            objects.condition("IngressReady", True),
            objects.condition("LatestDeploymentReady", False, *waiting),
            objects.condition("PredictorReady", False, *waiting),
            objects.condition("Ready", False, *waiting),
            objects.condition("Stopped", False),
        ]
        isvc["status"]["modelStatus"] = {
            "transitionStatus": "InProgress",
            "states": {"activeModelState": "", "targetModelState": "Pending"},
            "copies": {"failedCopies": 0},
        }
        self.store.put(isvc)

    def _unreconciled(self, sc: Scenario) -> None:
        """ModelMesh is gone on 3.x and the project is not labelled modelmesh-enabled: KServe
        skips the ModelMesh InferenceService and no other controller watches the project. No
        status, no runtime Deployment or pods, no route, no events."""
        ns = sc.project
        namespace = self.store.get(kind_by_name("Namespace"), "", ns)
        if namespace is not None:
            namespace["metadata"]["labels"].pop("modelmesh-enabled", None)
            self.store.put(objects.project(self.store.put(namespace)))
        for kind in ("Pod", "Deployment", "ReplicaSet", "Route", "Event", "Service"):
            for obj in self.store.list(kind_by_name(kind), ns):
                self.store.delete(kind, ns, obj["metadata"]["name"])
        self.store.logs = {k: v for k, v in self.store.logs.items() if k[0] != ns}
        self._workbench(sc)
        isvc = self.store.get(kind_by_name("InferenceService"), ns, sc.deployment)
        if isvc is not None:
            isvc.pop("status", None)
            isvc["metadata"]["creationTimestamp"] = objects.ts(timedelta(minutes=40))
            isvc["metadata"].pop("finalizers", None)
            self.store.put(isvc)

    def _workbench(self, sc: Scenario) -> None:
        """What does run in the project: a workbench, and the scheduler's event about it."""
        image = "quay.io/modh/odh-minimal-notebook:2025.1"
        pod = objects.pod(
            "my-workbench-0",
            sc.project,
            {"app": "my-workbench", "notebook-name": "my-workbench"},
            [objects.container("my-workbench", image, memory="2Gi")],
            conditions=[
                objects.condition(t, True)
                for t in ("Initialized", "Ready", "ContainersReady", "PodScheduled")
            ],
            statuses=[objects.container_status("my-workbench", image)],
        )
        pod = self.store.put(pod)
        self._events(
            sc,
            pod,
            (
                "Scheduled",
                f"Successfully assigned {sc.project}/my-workbench-0 to worker-1.rhoai-lab.test",
                "Normal",
                1,
                "default-scheduler",
            ),
        )
