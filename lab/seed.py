"""Seeds the lab: cluster-wide RBAC and users, then each scenario's project as the dashboard and
controllers would leave it, with statuses taken from what the runtime met when it loaded the model.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from lab import objects as o
from lab.kube.auth import Authenticator, UserInfo
from lab.kube.store import Store
from lab.models import DemoModels
from lab.ovms import ServedModel, modelmesh_model_id
from lab.runtime import LoadOutcome, load
from lab.s3 import REGION, LabS3, S3Credentials
from lab.scenarios import MODELMESH, RESTRICTED_PROJECT, SCENARIOS, Scenario
from lab.tls import APPS_DOMAIN

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
            ],
        },
        {"apiGroups": ["apps"], "verbs": READ, "resources": ["deployments", "replicasets"]},
        {"apiGroups": ["route.openshift.io"], "verbs": READ, "resources": ["routes"]},
        {
            "apiGroups": ["serving.kserve.io"],
            "verbs": READ,
            "resources": ["servingruntimes", "inferenceservices"],
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


class Seeder:
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
        controller = o.service_account("odh-model-controller", CONTROL_NAMESPACE)
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
        ns = self.store.put(o.namespace(name, labels, annotations))
        self.store.put(o.project(ns))

    # -- a scenario --------------------------------------------------------------------------
    def seed_scenario(self, sc: Scenario) -> None:
        ns = sc.project
        self._put_namespace(
            ns,
            {**o.DASHBOARD, "modelmesh-enabled": "true" if sc.platform == MODELMESH else "false"},
            {"openshift.io/display-name": sc.title, "openshift.io/requester": "developer"},
        )
        role = "view" if ns == RESTRICTED_PROJECT else "admin"
        self.store.put(
            o.role_binding(
                "developer-" + role,
                ns,
                "ClusterRole",
                role,
                [{"kind": "User", "name": "developer", "apiGroup": "rbac.authorization.k8s.io"}],
            )
        )
        entry = self._data_connection(sc)
        self._upload(sc)
        runtime = self.store.put(self._serving_runtime(sc))
        isvc = self.store.put(self._inference_service(sc))
        self._token_objects(sc, runtime, isvc)
        outcome = load(sc.platform, sc.deployment, entry, sc.storage_path, sc.runtime_image)
        self.result.outcomes[ns] = outcome
        pod = self._pods(sc, outcome, runtime, isvc)
        self._status(sc, isvc, outcome, pod)
        self._route(sc, isvc)
        if outcome.served is not None and sc.pod_fault is None:
            self.result.served[(ns, sc.deployment)] = outcome.served

    def _data_connection(self, sc: Scenario) -> dict:
        endpoint = {
            "s3": self.s3.endpoint,
            "console": self.console_endpoint,
            "no-scheme": self.s3.endpoint.removeprefix("http://"),
        }[sc.endpoint]
        secret_key = self.creds.secret_access_key
        if sc.wrong_secret_key:
            secret_key = secret_key[:-6] + "WR0NG1"
        values = {
            "AWS_ACCESS_KEY_ID": self.creds.access_key_id,
            "AWS_SECRET_ACCESS_KEY": secret_key,
            "AWS_S3_ENDPOINT": endpoint,
            "AWS_DEFAULT_REGION": REGION,
            "AWS_S3_BUCKET": sc.connection_bucket or self._bucket(sc),
        }
        self.store.put(o.data_connection(CONNECTION, sc.project, "models", values))
        entry = o.storage_config_entry(values)
        self.store.put(o.storage_config(sc.project, {CONNECTION: entry}))
        return entry

    @staticmethod
    def _bucket(sc: Scenario) -> str:
        return f"{sc.project}-{sc.bucket}"

    def _upload(self, sc: Scenario) -> None:
        client = self.s3.client("s3", self.creds)
        client.create_bucket(Bucket=self._bucket(sc))
        for upload in sc.uploads:
            client.put_object(
                Bucket=self._bucket(sc), Key=upload.key, Body=getattr(self.models, upload.model)
            )

    def _serving_runtime(self, sc: Scenario) -> dict:
        annotations = {
            "openshift.io/display-name": sc.runtime,
            "opendatahub.io/apiProtocol": "REST",
            "opendatahub.io/template-display-name": "OpenVINO Model Server",
        }
        if sc.platform == MODELMESH:
            annotations["opendatahub.io/template-name"] = "ovms"
            if sc.enable_route:
                annotations["enable-route"] = "true"
            if sc.enable_auth:
                annotations["enable-auth"] = "true"
            spec = {
                "multiModel": True,
                "replicas": 1,
                "protocolVersions": ["grpc-v1"],
                "grpcEndpoint": "port:8085",
                "grpcDataEndpoint": "port:8001",
                "builtInAdapter": {
                    "serverType": "ovms",
                    "runtimeManagementPort": 8888,
                    "memBufferBytes": 134217728,
                    "modelLoadingTimeoutMillis": 90000,
                },
                "supportedModelFormats": [
                    {"name": "openvino_ir", "version": "opset1", "autoSelect": True},
                    {"name": "onnx", "version": "1", "autoSelect": True},
                    {"name": "tensorflow", "version": "2", "autoSelect": True},
                ],
                "containers": [
                    o.container(
                        "ovms",
                        sc.runtime_image,
                        memory="4Gi",
                        args=[
                            "--port=8001",
                            "--rest_port=8888",
                            "--config_path=/models/model_config_list.json",
                            "--file_system_poll_wait_seconds=0",
                        ],
                    )
                ],
            }
        else:
            annotations["opendatahub.io/template-name"] = "kserve-ovms"
            spec = {
                "multiModel": False,
                "protocolVersions": ["v2", "grpc-v2"],
                "annotations": {"prometheus.io/port": "8888", "prometheus.io/path": "/metrics"},
                "supportedModelFormats": [
                    {"name": "openvino_ir", "version": "opset13", "autoSelect": True},
                    {"name": "onnx", "version": "1"},
                    {"name": "tensorflow", "version": "2", "autoSelect": True},
                ],
                "containers": [
                    o.container(
                        "kserve-container",
                        sc.runtime_image,
                        args=[
                            "--model_name={{.Name}}",
                            "--port=8001",
                            "--rest_port=8888",
                            "--model_path=/mnt/models",
                            "--file_system_poll_wait_seconds=0",
                            "--target_device=AUTO",
                            "--metrics_enable",
                        ],
                        ports=[8888],
                    )
                ],
            }
        return {
            "kind": "ServingRuntime",
            "metadata": {
                "name": sc.runtime,
                "namespace": sc.project,
                "labels": {**o.DASHBOARD, "name": sc.runtime},
                "annotations": annotations,
            },
            "spec": spec,
        }

    def _inference_service(self, sc: Scenario) -> dict:
        annotations = {"openshift.io/display-name": sc.deployment}
        if sc.platform == MODELMESH:
            annotations["serving.kserve.io/deploymentMode"] = "ModelMesh"
        else:
            annotations.update(
                {
                    "serving.kserve.io/deploymentMode": "Serverless",
                    "serving.knative.openshift.io/enablePassthrough": "true",
                    "sidecar.istio.io/inject": "true",
                    "sidecar.istio.io/rewriteAppHTTPProbers": "true",
                }
            )
            if sc.enable_auth:
                annotations["security.opendatahub.io/enable-auth"] = "true"
        model: dict = {
            "modelFormat": {"name": sc.model_format[0], "version": sc.model_format[1]},
            "runtime": sc.runtime,
            "storage": {"key": CONNECTION, "path": sc.storage_path},
        }
        predictor: dict = {"model": model}
        if sc.platform != MODELMESH:
            predictor.update({"minReplicas": 1, "maxReplicas": 1})
            model["resources"] = {
                "requests": {"cpu": "1", "memory": "4Gi"},
                "limits": {"cpu": "2", "memory": "4Gi"},
            }
        return {
            "kind": "InferenceService",
            "metadata": {
                "name": sc.deployment,
                "namespace": sc.project,
                "labels": dict(o.DASHBOARD),
                "annotations": annotations,
            },
            "spec": {"predictor": predictor},
        }

    def _token_objects(self, sc: Scenario, runtime: dict, isvc: dict) -> None:
        if not sc.enable_auth:
            return
        mm = sc.platform == MODELMESH
        base, owner = (sc.runtime, runtime) if mm else (sc.deployment, isvc)
        sa = self.store.put(o.service_account(f"{base}-sa", sc.project, o.owner_ref(owner)))
        if not mm:
            self.store.put(
                {
                    "kind": "Role",
                    "metadata": {
                        "name": f"{base}-view-role",
                        "namespace": sc.project,
                        "labels": dict(o.DASHBOARD),
                    },
                    "rules": [
                        {
                            "verbs": ["get"],
                            "apiGroups": ["serving.kserve.io"],
                            "resources": ["inferenceservices"],
                            "resourceNames": [sc.deployment],
                        }
                    ],
                }
            )
        if sc.role_binding:
            self.store.put(
                o.role_binding(
                    f"{base}-view",
                    sc.project,
                    "ClusterRole" if mm else "Role",
                    "view" if mm else f"{base}-view-role",
                    [{"kind": "ServiceAccount", "name": f"{base}-sa"}],
                    labels=dict(o.DASHBOARD),
                )
            )
        token = self.authn.issue_service_account_token(
            sc.project, f"{base}-sa", sa["metadata"]["uid"]
        )
        self.store.put(o.token_secret(f"{base}-sa", sc.project, token))

    # -- pods, status, routes ----------------------------------------------------------------
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
                o.event(
                    sc.project,
                    involved,
                    reason,
                    message,
                    type_=type_,
                    count=count,
                    component=component,
                )
            )

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
        containers = [o.container(n, i, memory="4Gi" if n == "ovms" else "") for n, i in names]
        name = f"{deploy_name}-{o.suffix(sc.project, 10)[:9]}-{o.suffix(sc.project)}"
        unschedulable = sc.pod_fault == "unschedulable"
        if unschedulable:
            message = (
                "0/3 nodes are available: 1 node(s) had untolerated taint "
                "{node-role.kubernetes.io/master: }, 2 Insufficient memory. preemption: "
                "0/3 nodes are available: 1 Preemption is not helpful for scheduling, "
                "2 No preemption victims found for incoming pod."
            )
            pod = o.pod(
                name,
                sc.project,
                labels,
                containers,
                phase="Pending",
                conditions=[o.condition("PodScheduled", False, "Unschedulable", message)],
            )
        else:
            pod = o.pod(
                name,
                sc.project,
                labels,
                containers,
                conditions=[
                    o.condition(t, True)
                    for t in ("Initialized", "Ready", "ContainersReady", "PodScheduled")
                ],
                statuses=[o.container_status(n, i) for n, i in names],
            )
        pod = self.store.put(pod)
        self.store.put(
            o.deployment(deploy_name, sc.project, labels, 1, 0 if unschedulable else 1, containers)
        )
        self.store.put(
            o.service(
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
        init = [o.container("storage-initializer", init_image)]
        containers = [
            o.container("kserve-container", image, memory="4Gi", ports=[8888]),
            o.container(
                "queue-proxy", "registry.redhat.io/openshift-serverless-1/serving-queue-rhel8:1.33"
            ),
            o.container(
                "istio-proxy", "registry.redhat.io/openshift-service-mesh/proxyv2-rhel8:2.5"
            ),
        ]
        name = f"{revision}-deployment-{o.suffix(sc.project, 10)[:9]}-{o.suffix(sc.project)}"
        init_done = o.container_status(
            "storage-initializer", init_image, ready=True, state=o.terminated("Completed", 0)
        )
        sidecars = [o.container_status(c["name"], c["image"]) for c in containers[1:]]
        ready_conditions = [
            o.condition(t, True)
            for t in ("Initialized", "Ready", "ContainersReady", "PodScheduled")
        ]
        not_ready = [
            o.condition("Initialized", True),
            o.condition(
                "Ready",
                False,
                "ContainersNotReady",
                "containers with unready status: [kserve-container]",
            ),
            o.condition(
                "ContainersReady",
                False,
                "ContainersNotReady",
                "containers with unready status: [kserve-container]",
            ),
            o.condition("PodScheduled", True),
        ]
        restart_msg = f"Back-off restarting failed container kserve-container in pod {name}"
        events: list[tuple] = []
        if outcome.failed_stage == "storage":
            tail = "\n".join(outcome.storage_log[-4:])
            init_status = o.container_status(
                "storage-initializer",
                init_image,
                ready=False,
                restarts=5,
                state=o.waiting(
                    "CrashLoopBackOff",
                    f"back-off 2m40s restarting failed container=storage-initializer pod={name}",
                ),
                last_state=o.terminated("Error", 1, tail),
            )
            pod = o.pod(
                name,
                sc.project,
                labels,
                containers,
                init_containers=init,
                phase="Pending",
                conditions=[
                    o.condition(
                        "Initialized",
                        False,
                        "ContainersNotInitialized",
                        "containers with incomplete status: [storage-initializer]",
                    ),
                    o.condition("PodScheduled", True),
                ],
                statuses=[
                    o.container_status(
                        c["name"], c["image"], ready=False, state=o.waiting("PodInitializing")
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
                o.terminated("OOMKilled", 137) if oom else o.terminated("Error", 1, outcome.message)
            )
            main = o.container_status(
                "kserve-container",
                image,
                ready=False,
                restarts=7 if oom else 5,
                state=o.waiting(
                    "CrashLoopBackOff",
                    f"back-off 5m0s restarting failed container=kserve-container pod={name}",
                ),
                last_state=last,
            )
            pod = o.pod(
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
            pod = o.pod(
                name,
                sc.project,
                labels,
                containers,
                init_containers=init,
                conditions=ready_conditions,
                statuses=[o.container_status("kserve-container", image), *sidecars],
                init_statuses=[init_done],
            )
        pod = self.store.put(pod)
        ready = 1 if pod["status"]["conditions"][1:2] == [o.condition("Ready", True)] else 0
        self.store.put(
            o.deployment(f"{revision}-deployment", sc.project, labels, 1, ready, containers)
        )
        self.store.put(
            o.service(f"{sc.deployment}-predictor", sc.project, labels, {"http": 80, "https": 443})
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

    def _status(self, sc: Scenario, isvc: dict, outcome: LoadOutcome, pod: dict) -> None:
        ns, name = sc.project, sc.deployment
        ok = outcome.failed_stage is None and sc.pod_fault is None
        if sc.platform == MODELMESH:
            model_status, conditions = self._modelmesh_status(sc, outcome, pod)
            status = {
                "url": f"grpc://modelmesh-serving.{ns}:8033",
                "components": {
                    "predictor": {
                        "grpcUrl": f"grpc://modelmesh-serving.{ns}:8033",
                        "restUrl": f"http://modelmesh-serving.{ns}:8008",
                        "url": f"grpc://modelmesh-serving.{ns}:8033",
                    }
                },
                "conditions": conditions,
                "modelStatus": model_status,
            }
        else:
            host = f"{name}-{ns}.{APPS_DOMAIN}"
            status = {
                "url": f"https://{host}",
                "address": {"url": f"http://{name}-predictor.{ns}.svc.cluster.local"},
                "components": {
                    "predictor": {
                        "url": f"https://{name}-predictor-{ns}.{APPS_DOMAIN}",
                        "address": {"url": f"http://{name}-predictor.{ns}.svc.cluster.local"},
                        "latestCreatedRevision": f"{name}-predictor-00001",
                        **({"latestReadyRevision": f"{name}-predictor-00001"} if ok else {}),
                    }
                },
                "deploymentMode": "Serverless",
                "servingRuntimeName": sc.runtime,
                "modelStatus": self._kserve_model_status(sc, outcome, pod),
                "conditions": self._kserve_conditions(ok),
            }
            if ok:
                self._events(
                    sc,
                    isvc,
                    (
                        "InferenceServiceReady",
                        f"InferenceService [{name}] is Ready",
                        "Normal",
                        1,
                        "v1beta1Controllers",
                    ),
                )
        status["observedGeneration"] = 1
        isvc["status"] = status
        self.store.put(isvc)

    @staticmethod
    def _kserve_conditions(ok: bool) -> list[dict]:
        if ok:
            return [
                o.condition(t, True)
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
            o.condition("IngressReady", True),
            o.condition("PredictorConfigurationReady", False, *failed),
            o.condition("PredictorReady", False, *failed),
            o.condition("Ready", False, *failed),
        ]

    @staticmethod
    def _kserve_model_status(sc: Scenario, outcome: LoadOutcome, pod: dict) -> dict:
        if sc.pod_fault == "oom-crashloop":
            # An OOMKilled container is not reason Error: KServe leaves the model Pending (§2.3).
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
                "time": o.ts(timedelta(minutes=2)),
            },
            "copies": {"failedCopies": 1},
        }

    @staticmethod
    def _modelmesh_status(sc: Scenario, outcome: LoadOutcome, pod: dict) -> tuple[dict, list]:
        location = pod["metadata"]["name"][-12:]
        ready = [o.condition("PredictorReady", True), o.condition("Ready", True)]
        if sc.pod_fault == "unschedulable":
            return (
                {
                    "transitionStatus": "InProgress",
                    "states": {"activeModelState": "Pending", "targetModelState": ""},
                    "lastFailureInfo": {
                        "reason": "RuntimeUnhealthy",
                        "message": "Waiting for runtime Pod to become available",
                        "modelRevisionName": modelmesh_model_id(sc.deployment),
                        "time": o.ts(timedelta(minutes=25)),
                    },
                    "copies": {"failedCopies": 0, "totalCopies": 0},
                },
                [
                    o.condition(
                        "PredictorReady",
                        False,
                        "RuntimeUnhealthy",
                        "Waiting for runtime Pod to become available",
                    ),
                    o.condition("Ready", False, "RuntimeUnhealthy"),
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
                        "time": o.ts(timedelta(minutes=10)),
                    },
                    "copies": {"failedCopies": 1, "totalCopies": 0},
                },
                [
                    o.condition("PredictorReady", False, "ModelLoadFailed", outcome.message),
                    o.condition("Ready", False, "ModelLoadFailed"),
                ],
            )
        status: dict = {
            "transitionStatus": "UpToDate",
            "states": {"activeModelState": "Loaded", "targetModelState": ""},
            "copies": {"failedCopies": 0, "totalCopies": 1},
        }
        if sc.healthy:
            # A stale message left from start-up: the dashboard's own mocks carry one (§2.1).
            status["lastFailureInfo"] = {
                "reason": "RuntimeUnhealthy",
                "message": "Waiting for runtime Pod to become available",
                "modelRevisionName": modelmesh_model_id(sc.deployment),
                "time": o.ts(timedelta(minutes=40)),
            }
        return status, ready

    def _route(self, sc: Scenario, isvc: dict) -> None:
        ns, name = sc.project, sc.deployment
        if sc.platform == MODELMESH:
            if not sc.enable_route:
                return
            self.store.put(
                o.route(
                    name,
                    ns,
                    f"{name}-{ns}.{APPS_DOMAIN}",
                    path=f"/v2/models/{name}",
                    service="modelmesh-serving",
                    port=8443 if sc.enable_auth else 8008,
                    termination="reencrypt" if sc.enable_auth else "edge",
                    labels={"inferenceservice-name": name},
                    owner=o.owner_ref(isvc),
                )
            )
            return
        self.store.put(
            o.route(
                f"{name}-{ns}",
                MESH_NAMESPACE,
                f"{name}-{ns}.{APPS_DOMAIN}",
                service="istio-ingressgateway",
                port="https",
                termination="passthrough",
                labels={
                    **isvc["metadata"]["labels"],
                    "serving.kserve.io/inferenceservice": name,
                    "component": "predictor",
                    "maistra.io/gateway-name": "kserve-local-gateway",
                    "maistra.io/gateway-namespace": MESH_NAMESPACE,
                },
            )
        )


def seed_all(seeder: Seeder) -> Seeded:
    seeder.seed_cluster()
    for scenario in SCENARIOS:
        seeder.seed_scenario(scenario)
    return seeder.result


def seed_bulk(store: Store, deployments: int, events: int, project: str = "bulk-project") -> None:
    """A project with many deployments and events, for the console's scale benchmark."""
    ns = store.put(
        o.namespace(
            project,
            {**o.DASHBOARD, "modelmesh-enabled": "false"},
            {"openshift.io/display-name": "Bulk (benchmark)"},
        )
    )
    store.put(o.project(ns))
    for index in range(deployments):
        name = f"model-{index:04d}"
        state = "FailedToLoad" if index % 17 == 0 else "Loaded"
        isvc = store.put(
            {
                "kind": "InferenceService",
                "metadata": {
                    "name": name,
                    "namespace": project,
                    "labels": dict(o.DASHBOARD),
                    "annotations": {"serving.kserve.io/deploymentMode": "Serverless"},
                },
                "spec": {
                    "predictor": {
                        "model": {
                            "modelFormat": {"name": "onnx", "version": "1"},
                            "runtime": name,
                            "storage": {"key": CONNECTION, "path": name},
                        }
                    }
                },
                "status": {
                    "modelStatus": {
                        "states": {"activeModelState": state, "targetModelState": state}
                    }
                },
            }
        )
        if index < events:
            store.put(
                o.event(
                    project, isvc, "InferenceServiceReady", f"InferenceService [{name}] is Ready"
                )
            )
    for index in range(max(0, events - deployments)):
        involved = {
            "kind": "Pod",
            "apiVersion": "v1",
            "metadata": {"name": f"model-{index % max(deployments, 1):04d}-pod-{index}"},
        }
        store.put(
            o.event(
                project,
                involved,
                "BackOff" if index % 5 == 0 else "Pulled",
                f"event {index}",
                type_="Warning" if index % 5 == 0 else "Normal",
            )
        )
