"""What the dashboard creates for a scenario: the project, its data connection, the model server (ServingRuntime), the deployment (InferenceService) and the token objects."""

from __future__ import annotations

from lab import objects
from lab.runtime import load
from lab.s3 import REGION
from lab.s3_backend import create_bucket, put, put_sparse
from lab.scenarios import MODELMESH, RESTRICTED_PROJECT, Scenario
from lab.seed.base import CONNECTION, SeederBase


class DashboardSeeding(SeederBase):
    # -- a scenario --------------------------------------------------------------------------
    def seed_scenario(self, sc: Scenario) -> None:
        ns = sc.project
        self._put_namespace(
            ns,
            {
                **objects.DASHBOARD,
                "modelmesh-enabled": "true" if sc.platform == MODELMESH else "false",
            },
            {"openshift.io/display-name": sc.title, "openshift.io/requester": "developer"},
        )
        role = "view" if ns == RESTRICTED_PROJECT else "admin"
        self.store.put(
            objects.role_binding(
                "developer-" + role,
                ns,
                "ClusterRole",
                role,
                [{"kind": "User", "name": "developer", "apiGroup": "rbac.authorization.k8s.io"}],
            )
        )
        entry = self._data_connection(sc)
        if sc.generative:
            self.seed_generative(sc, entry)  # lab/seed/llm.py
            return
        self._upload(sc)
        runtime = self.store.put(self._serving_runtime(sc))
        isvc = self.store.put(self._inference_service(sc))
        self._token_objects(sc, runtime, isvc)
        outcome = load(sc.platform, sc.deployment, entry, sc.storage_path, sc.runtime_image)
        self.result.outcomes[ns] = outcome
        pod = self._pods(sc, outcome, runtime, isvc)
        self._status(sc, isvc, outcome, pod)
        if sc.kube_rbac_proxy:
            self._standard_mode(sc, isvc, pod)
        else:
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
        self.store.put(objects.data_connection(CONNECTION, sc.project, "models", values))
        entry = objects.storage_config_entry(values, three_x=sc.three_x)
        self.store.put(objects.storage_config(sc.project, {CONNECTION: entry}))
        return entry

    @staticmethod
    def _bucket(sc: Scenario) -> str:
        return f"{sc.project}-{sc.bucket}"

    def _upload(self, sc: Scenario) -> None:
        """The scenario's objects, straight into the lab's S3 (lab/s3_backend.py)."""
        create_bucket(self._bucket(sc))
        for upload in sc.uploads:
            body = getattr(self.models, upload.model)
            if upload.size:  # too big for memory: kept sparse
                tail = getattr(self.models, upload.tail) if upload.tail else b""
                put_sparse(self._bucket(sc), upload.key, upload.size, body, tail)
            else:
                put(self._bucket(sc), upload.key, body)

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
                    objects.container(
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
                    objects.container(
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
                "labels": {**objects.DASHBOARD, "name": sc.runtime},
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
                "labels": dict(objects.DASHBOARD),
                "annotations": annotations,
            },
            "spec": {"predictor": predictor},
        }

    def _token_objects(self, sc: Scenario, runtime: dict, isvc: dict) -> None:
        if not sc.enable_auth:
            return
        mm = sc.platform == MODELMESH
        base, owner = (sc.runtime, runtime) if mm else (sc.deployment, isvc)
        sa = self.store.put(
            objects.service_account(f"{base}-sa", sc.project, objects.owner_ref(owner))
        )
        if not mm:
            self.store.put(
                {
                    "kind": "Role",
                    "metadata": {
                        "name": f"{base}-view-role",
                        "namespace": sc.project,
                        "labels": dict(objects.DASHBOARD),
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
                objects.role_binding(
                    f"{base}-view",
                    sc.project,
                    "ClusterRole" if mm else "Role",
                    "view" if mm else f"{base}-view-role",
                    [{"kind": "ServiceAccount", "name": f"{base}-sa"}],
                    labels=dict(objects.DASHBOARD),
                )
            )
        token = self.authn.issue_service_account_token(
            sc.project, f"{base}-sa", sa["metadata"]["uid"]
        )
        self.store.put(objects.token_secret(f"{base}-sa", sc.project, token))

    # -- pods, status, routes ----------------------------------------------------------------
