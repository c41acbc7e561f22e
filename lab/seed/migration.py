"""A project left half-way through serverless-to-raw.sh (reference rhoai-3x.md §7): the original
`fraud` (Serverless) still serving beside its side-by-side copy `fraud-raw` (RawDeployment,
exposed by label, its own `fraud-raw` runtime and service account), the namespace still labelled
`modelmesh-enabled=true` although nothing there uses ModelMesh, and a leftover `ovms`
multi-model runtime nothing is deployed on."""

from __future__ import annotations

from lab import objects
from lab.scenarios import KSERVE, OVMS_2024_5, Scenario, Upload
from lab.seed.base import SeederBase
from lab.tls import APPS_DOMAIN

PROJECT = "migr-half"
UPLOAD = (Upload("iris", "fraud/1/model.onnx"),)
ORIGINAL = Scenario(PROJECT, "Half-migrated project", KSERVE, "fraud", UPLOAD, "fraud")
COPY = Scenario(
    PROJECT, "Half-migrated project", KSERVE, "fraud-raw", UPLOAD, "fraud", runtime_name="fraud-raw"
)
RAW_ANNOTATIONS = (
    "serving.knative.openshift.io/enablePassthrough",
    "sidecar.istio.io/inject",
    "sidecar.istio.io/rewriteAppHTTPProbers",
)


class MigrationSeeding(SeederBase):
    def seed_migration(self) -> None:
        self.seed_scenario(ORIGINAL)  # type: ignore[attr-defined]
        self.seed_scenario(COPY)  # type: ignore[attr-defined]
        self._make_raw(COPY.deployment)
        # Only the admin sees this project (the developer's list of projects is the scenarios').
        self.store.delete("RoleBinding", PROJECT, "developer-admin")
        self._put_namespace(
            PROJECT,
            {**objects.DASHBOARD, "modelmesh-enabled": "true"},
            {"openshift.io/display-name": ORIGINAL.title, "openshift.io/requester": "developer"},
        )
        self.store.put(
            {
                "kind": "ServingRuntime",
                "metadata": {
                    "name": "ovms",
                    "namespace": PROJECT,
                    "labels": {"name": "modelmesh-serving-ovms-SR"},
                    "annotations": {
                        "opendatahub.io/template-name": "ovms",
                        "opendatahub.io/template-display-name": "OpenVINO Model Server",
                    },
                },
                "spec": {
                    "multiModel": True,
                    "supportedModelFormats": [{"name": "onnx", "version": "1", "autoSelect": True}],
                    "containers": [{"name": "ovms", "image": OVMS_2024_5}],
                },
            }
        )

    def _make_raw(self, name: str) -> None:
        """What the script writes on the copy: RawDeployment, exposed by label, a project Route."""
        kind = "InferenceService"
        isvc = next(
            i
            for i in self.store.iter_kind(kind)
            if i["metadata"]["namespace"] == PROJECT and i["metadata"]["name"] == name
        )
        meta = isvc["metadata"]
        for key in RAW_ANNOTATIONS:
            meta["annotations"].pop(key, None)
        meta["annotations"]["serving.kserve.io/deploymentMode"] = "RawDeployment"
        meta["labels"]["networking.kserve.io/visibility"] = "exposed"
        host = f"{name}-{PROJECT}.{APPS_DOMAIN}"
        status = isvc["status"]
        status["deploymentMode"] = "RawDeployment"
        status["url"] = f"https://{host}"
        status["address"] = {"url": f"https://{name}-predictor.{PROJECT}.svc.cluster.local"}
        self.store.put(isvc)
        self.store.delete("Route", "istio-system", f"{name}-{PROJECT}")
        # KServe then runs it as a 2.x Standard predictor: Deployment, oauth-proxy, Service,
        # Route and auth-delegator binding (RbacProxySeeding, then CausesSeeding's 2.x proxy)
        pod = next(
            p
            for p in self.store.iter_kind("Pod")
            if p["metadata"]["namespace"] == PROJECT
            and p["metadata"]["labels"].get("serving.kserve.io/inferenceservice") == name
        )
        self._standard_mode(COPY, isvc, pod)  # type: ignore[attr-defined]
        self._oauth_proxy_2x(COPY)  # type: ignore[attr-defined]
