"""RHOAI 3.x connections as the dashboard and odh-model-controller's webhook leave them, in
Standard (RawDeployment) mode: an S3, URI or OCI connection Secret with the 3.x annotations, the
InferenceService annotated `opendatahub.io/connections` with what the webhook injected (storage key
and service account for S3, storageUri for URI, imagePullSecrets for OCI), and the predictor pod as
KServe runs it (storage-initializer, or modelcar-init + modelcar for oci://).

A scenario is first seeded the 2.x way (namespace, server, tokens, the lab's real load attempt),
then its connection and deployment are rewritten the 3.x way.
"""

from __future__ import annotations

from lab import objects
from lab.kube.kinds import kind_by_name
from lab.s3 import REGION
from lab.scenarios import Scenario
from lab.seed.base import CONNECTION, MESH_NAMESPACE, SeederBase
from lab.seed.rbac_proxy import auth_delegator_binding

NAMES = {"s3": "models-bucket", "uri": "granite-uri", "oci": "iris-oci"}
WEBHOOK_TYPES = {"s3": "s3", "uri": "uri-v1", "oci": "oci-v1"}
NOK = "NOK ... Prefetched but modelcar is invalid (/models does not exist or is empty)"


class ConnectionSeeding(SeederBase):
    registry: object = None  # lab.registry.LabRegistry, set by the daemon

    def seed_connection_scenario(self, sc: Scenario) -> None:
        self.seed_scenario(sc)  # type: ignore[attr-defined]  # DashboardSeeding, same Seeder
        ns, kind = sc.project, sc.connection_kind
        name = NAMES[kind]
        self.store.delete("Secret", ns, CONNECTION)
        if kind != "s3":
            self.store.delete("Secret", ns, "storage-config")
        self.store.put(self._connection_secret(sc, name))
        isvc = self.store.get(kind_by_name("InferenceService"), ns, sc.deployment)
        assert isvc is not None
        self._as_standard(sc, isvc, name)
        if kind == "uri":
            self._uri_pod(sc)
        elif kind == "oci":
            self._oci_pod(sc)
        # Standard mode has no Knative revision and no Serverless route: the predictor
        # Deployment, its proxy, SAR ConfigMap and Route instead (RbacProxySeeding)
        self.store.delete("Route", MESH_NAMESPACE, f"{sc.deployment}-{ns}")
        self._standard_mode(sc, isvc, self._pod(sc))  # type: ignore[attr-defined]

    # -- the connection ------------------------------------------------------------------------
    def _connection_secret(self, sc: Scenario, name: str) -> dict:
        kind = sc.connection_kind
        annotations = {
            "openshift.io/display-name": name,
            "opendatahub.io/connection-type-ref": WEBHOOK_TYPES[kind],
            "opendatahub.io/connection-type-protocol": kind,
        }
        labels = dict(objects.DASHBOARD)
        type_ = "Opaque"
        if kind == "s3":
            data = {
                "AWS_ACCESS_KEY_ID": self.creds.access_key_id,
                "AWS_SECRET_ACCESS_KEY": self.creds.secret_access_key,
                "AWS_S3_ENDPOINT": self.s3.endpoint,
                "AWS_DEFAULT_REGION": REGION,
                "AWS_S3_BUCKET": f"{sc.project}-{sc.bucket}",
            }
            annotations["opendatahub.io/connection-type"] = "s3"
            labels["opendatahub.io/managed"] = "true"
            entry = objects.storage_config_entry(data, three_x=True)
            self.store.put(objects.storage_config(sc.project, {name: entry}))
            self.store.put(
                {
                    **objects.service_account(f"{name}-sa", sc.project),
                    "secrets": [{"name": name}],
                }
            )
        elif kind == "uri":
            data = {"URI": sc.model_uri}
        else:
            registry = self.registry
            password = "not-the-password" if sc.oci_fault == "bad-credentials" else None
            data = {
                ".dockerconfigjson": registry.docker_config(password),  # type: ignore[attr-defined]
                "OCI_HOST": registry.host,  # type: ignore[attr-defined]
                "ACCESS_TYPE": '["Pull"]',
            }
            type_ = "kubernetes.io/dockerconfigjson"
        return objects.secret(
            name, sc.project, data, labels=labels, annotations=annotations, type_=type_
        )

    def _image(self, sc: Scenario) -> str:
        return f"{self.registry.host}/{sc.model_uri}"  # type: ignore[attr-defined]

    # -- the deployment ------------------------------------------------------------------------
    def _as_standard(self, sc: Scenario, isvc: dict, name: str) -> None:
        """What the 3.x dashboard writes and the webhook injects, in Standard mode."""
        meta = isvc["metadata"]
        annotations = {
            "openshift.io/display-name": sc.deployment,
            "opendatahub.io/connections": name,
        }
        if sc.enable_auth:
            annotations["security.opendatahub.io/enable-auth"] = "true"
        predictor = isvc["spec"]["predictor"]
        model = predictor["model"]
        model.pop("storage", None)
        if sc.connection_kind == "s3":
            annotations["opendatahub.io/connection-path"] = sc.storage_path
            model["storage"] = {"key": name, "path": sc.storage_path}
            predictor["serviceAccountName"] = f"{name}-sa"
        elif sc.connection_kind == "uri":
            model["storageUri"] = sc.model_uri
        else:
            model["storageUri"] = f"oci://{self._image(sc)}"
            predictor["imagePullSecrets"] = [{"name": name}]
        meta["annotations"] = annotations
        meta["labels"] = {**meta.get("labels", {}), "networking.kserve.io/visibility": "exposed"}
        if sc.enable_auth:
            account = predictor.get("serviceAccountName") or "default"
            self.store.put(auth_delegator_binding(sc.project, account))
        # the Standard predictor Service replaces the Serverless one: 8443 through the proxy
        self._proxy_service(sc, sc.enable_auth)  # type: ignore[attr-defined]  # RbacProxySeeding
        status = isvc["status"]
        status["deploymentMode"] = "RawDeployment"
        failure = (status.get("modelStatus") or {}).get("lastFailureInfo")
        if failure and sc.connection_kind == "uri":
            failure["message"] = self._uri_error(sc)
        if failure and sc.connection_kind == "oci":
            failure["reason"] = "ModelLoadFailed"
            failure["message"] = self._oci_message(sc)
        self.store.put(isvc)

    def _uri_error(self, sc: Scenario) -> str:
        host = sc.model_uri.split("://", 1)[1].split("/", 1)[0]
        return (
            f"requests.exceptions.ConnectionError: HTTPSConnectionPool(host='{host}', port=443): "
            f"Max retries exceeded with url: /{sc.model_uri.split('/', 3)[-1]} (Caused by "
            "NameResolutionError(\"Failed to resolve '" + host + "' ([Errno -2] Name or service "
            'not known)"))'
        )

    def _oci_message(self, sc: Scenario) -> str:
        if sc.oci_fault == "bad-credentials":
            return (
                f'Failed to pull image "{self._image(sc)}": unauthorized: authentication required'
            )
        return NOK

    # -- the predictor pod ---------------------------------------------------------------------
    def _pod(self, sc: Scenario) -> dict:
        pods = [
            p
            for p in self.store.list(kind_by_name("Pod"), sc.project)
            if p["metadata"]["labels"].get("serving.kserve.io/inferenceservice") == sc.deployment
        ]
        return pods[0]

    def _uri_pod(self, sc: Scenario) -> None:
        pod = self._pod(sc)
        status = pod["status"]["initContainerStatuses"][0]
        status["lastState"] = objects.terminated("Error", 1, self._uri_error(sc))
        log = [
            f"INFO:kserve:Initializing, args: src_uri [{sc.model_uri}] dest_path[ [/mnt/models]",
            f"INFO:kserve:Copying contents of {sc.model_uri} to local",
            "Traceback (most recent call last):",
            self._uri_error(sc),
        ]
        self._log(pod, "storage-initializer", log)
        self._log(pod, "storage-initializer", log, previous=True)
        self.store.put(pod)

    def _oci_pod(self, sc: Scenario) -> None:
        """modelcar-init in place of the storage-initializer (KServe's modelcar injection)."""
        pod = self._pod(sc)
        name, image = pod["metadata"]["name"], self._image(sc)
        spec, status = pod["spec"], pod["status"]
        spec["initContainers"] = [objects.container("modelcar-init", image)]
        spec["containers"].append(objects.container("modelcar", image))
        spec["shareProcessNamespace"] = True
        for event in self.store.list(kind_by_name("Event"), sc.project):
            if "storage-initializer" in event.get("message", ""):
                self.store.delete("Event", sc.project, event["metadata"]["name"])
        if sc.oci_fault == "bad-credentials":
            message = f'Back-off pulling image "{image}"'
            init = objects.container_status(
                "modelcar-init",
                image,
                ready=False,
                state=objects.waiting("ImagePullBackOff", message),
            )
            self._events(
                sc,
                pod,
                (
                    "Failed",
                    f'Failed to pull image "{image}": initializing source docker://{image}: '
                    "reading manifest 1.0 in "
                    f"{image.rsplit(':', 1)[0]}: unauthorized: authentication required",
                    "Warning",
                    6,
                    "kubelet",
                ),
                ("Failed", "Error: ErrImagePull", "Warning", 6, "kubelet"),
                ("BackOff", message, "Normal", 14, "kubelet"),
            )
        else:
            init = objects.container_status(
                "modelcar-init",
                image,
                ready=False,
                restarts=5,
                state=objects.waiting(
                    "CrashLoopBackOff",
                    f"back-off 2m40s restarting failed container=modelcar-init pod={name}",
                ),
                last_state=objects.terminated(
                    "Error", 1, f"Pre-fetching modelcar {image}: \n{NOK}\n"
                ),
            )
            log = [f"Pre-fetching modelcar {image}: ", NOK]
            self._log(pod, "modelcar-init", log)
            self._log(pod, "modelcar-init", log, previous=True)
            self._events(
                sc,
                pod,
                (
                    "BackOff",
                    f"Back-off restarting failed container modelcar-init in pod {name}",
                    "Warning",
                    23,
                    "kubelet",
                ),
            )
        status["initContainerStatuses"] = [init]
        status["containerStatuses"] = [
            *status.get("containerStatuses", []),
            objects.container_status(
                "modelcar", image, ready=False, state=objects.waiting("PodInitializing")
            ),
        ]
        self.store.put(pod)
