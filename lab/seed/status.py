"""What the controllers write back: each deployment's status from what its runtime met, and the routes odh-model-controller creates."""

from __future__ import annotations

from lab import objects
from lab.runtime import LoadOutcome
from lab.scenarios import MODELMESH, Scenario
from lab.seed.base import MESH_NAMESPACE, SeederBase
from lab.tls import APPS_DOMAIN


class StatusSeeding(SeederBase):
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

    def _route(self, sc: Scenario, isvc: dict) -> None:
        ns, name = sc.project, sc.deployment
        if sc.platform == MODELMESH:
            if not sc.enable_route:
                return
            self.store.put(
                objects.route(
                    name,
                    ns,
                    f"{name}-{ns}.{APPS_DOMAIN}",
                    path=f"/v2/models/{name}",
                    service="modelmesh-serving",
                    port=8443 if sc.enable_auth else 8008,
                    termination="reencrypt" if sc.enable_auth else "edge",
                    labels={"inferenceservice-name": name},
                    owner=objects.owner_ref(isvc),
                )
            )
            return
        self.store.put(
            objects.route(
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
