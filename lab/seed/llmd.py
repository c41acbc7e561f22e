"""What the llm-d stack leaves for an LLMInferenceService (reference rhoai-3x.md §6): the object
as the dashboard creates it (stored at v1alpha2), the workload and scheduler pods KServe runs, the
HTTPRoute `<name>-kserve-route`, the Kuadrant AuthPolicy `<route>-authn` odh-model-controller
adds, and the conditions KServe writes back. The Gateway is there or really absent."""

from __future__ import annotations

from datetime import timedelta

from lab import objects
from lab.seed.base import SeederBase
from lab.seed.llmd_workloads import labels_for, workload_service
from lab.seed.llmd_workloads import workload as run_workload

INGRESS_NAMESPACE = "openshift-ingress"
DEFAULT_GATEWAY = "openshift-ai-inference"
VLLM_IMAGE = "registry.redhat.io/rhaiis/vllm-cuda-rhel9:3.2.2"
SCHEDULER_IMAGE = "registry.redhat.io/rhoai/odh-llm-d-inference-scheduler-rhel9:v3.0"
GATEWAY_CONTROLLER = "openshift.io/gateway-controller/v1"


def _cond(type_: str, ok: bool, reason: str = "", message: str = "") -> dict:
    return {
        **objects.condition(type_, ok, reason, message),
        "lastTransitionTime": objects.ts(timedelta(minutes=50)),
    }


class LLMDSeeding(SeederBase):
    def seed_llmd(self) -> None:
        self._put_namespace(INGRESS_NAMESPACE, {}, {})
        self._llm_project(
            "llmd-httproute",
            "qwen",
            "hf://Qwen/Qwen2.5-0.5B-Instruct",
            gateway=None,
            route_ready=False,
        )
        self._llm_project(
            "llmd-healthy",
            "granite",
            "hf://ibm-granite/granite-3.3-2b-instruct",
            gateway=("llmd-healthy", "inference-gateway"),
            route_ready=True,
        )

    def _llm_project(
        self,
        ns: str,
        name: str,
        uri: str,
        *,
        gateway: tuple[str, str] | None,
        route_ready: bool,
    ) -> None:
        self._put_namespace(
            ns,
            dict(objects.DASHBOARD),
            {"openshift.io/display-name": ns, "openshift.io/requester": "developer"},
        )
        route_name = f"{name}-kserve-route"
        parent = gateway or (INGRESS_NAMESPACE, DEFAULT_GATEWAY)
        router: dict = {"route": {}, "scheduler": {}}
        router["gateway"] = (
            {"refs": [{"name": gateway[1], "namespace": gateway[0]}]} if gateway else {}
        )
        svc = {
            "kind": "LLMInferenceService",
            "metadata": {
                "name": name,
                "namespace": ns,
                "labels": dict(objects.DASHBOARD),
                "annotations": {
                    "openshift.io/display-name": name,
                    "opendatahub.io/model-type": "generative",
                    "opendatahub.io/hardware-profile-name": "gpu-profile",
                },
                "creationTimestamp": objects.ts(timedelta(hours=1)),
            },
            "spec": {
                "model": {"uri": uri, "name": uri.removeprefix("hf://")},
                "replicas": 1,
                "router": router,
                "template": {
                    "containers": [
                        {
                            "name": "main",
                            "image": VLLM_IMAGE,
                            "resources": {"limits": {"nvidia.com/gpu": "1"}},
                        }
                    ]
                },
            },
        }
        internal = f"https://{name}-kserve-workload-svc.{ns}.svc.cluster.local"
        ok = [
            _cond(t, True)
            for t in (
                "PresetsCombined",
                "WorkloadsReady",
                "MainWorkloadReady",
                "InferencePoolReady",
                "SchedulerWorkloadReady",
            )
        ]
        if route_ready:
            conditions = [
                _cond("Ready", True),
                *ok,
                _cond("RouterReady", True),
                _cond("HTTPRoutesReady", True),
                _cond("GatewaysReady", True),
            ]
            status = {
                "url": f"https://{parent[1]}.apps.rhoai-lab.test/{ns}/{name}",
                "addresses": [{"url": internal}],
            }
        else:
            why = f"The following HTTPRoutes are not ready: {ns}/{route_name}"
            conditions = [
                _cond("Ready", False, "HTTPRoutesNotReady", why),
                *ok,
                _cond("RouterReady", False, "HTTPRoutesNotReady", why),
                _cond("HTTPRoutesReady", False, "HTTPRoutesNotReady", why),
            ]
            status = {"addresses": [{"url": internal}]}
        svc["status"] = {**status, "conditions": conditions, "observedGeneration": 1}
        svc = self.store.put(svc)
        owner = objects.owner_ref(svc)
        self.store.put(self._http_route(ns, route_name, name, parent, route_ready, owner))
        if gateway:
            self.store.put(self._gateway(*gateway))
        self.store.put(
            {
                "kind": "AuthPolicy",
                "metadata": {"name": f"{route_name}-authn", "namespace": ns},
                "spec": {
                    "targetRef": {
                        "group": "gateway.networking.k8s.io",
                        "kind": "HTTPRoute",
                        "name": route_name,
                    },
                    "rules": {"authentication": {"kubernetes-user": {"kubernetesTokenReview": {}}}},
                },
                "status": {
                    "conditions": [
                        objects.condition(
                            "Accepted", route_ready, "" if route_ready else "TargetNotFound"
                        ),
                        objects.condition("Enforced", route_ready),
                    ]
                },
            }
        )
        self._llm_pods(ns, name, owner)

    @staticmethod
    def _http_route(
        ns: str, route: str, name: str, parent: tuple[str, str], ready: bool, owner: dict
    ) -> dict:
        ref = {"group": "gateway.networking.k8s.io", "kind": "Gateway", "name": parent[1]}
        ref["namespace"] = parent[0]
        if ready:
            conditions = [
                objects.condition("Accepted", True, "Accepted", "Route was valid"),
                objects.condition(
                    "ResolvedRefs",
                    True,
                    "ResolvedRefs",
                    "Resolved all the Object references for the Route",
                ),
            ]
        else:
            conditions = [
                objects.condition(
                    "Accepted",
                    False,
                    "NoMatchingParent",
                    f"gateway {parent[0]}/{parent[1]} not found",
                ),
                objects.condition(
                    "ResolvedRefs",
                    True,
                    "ResolvedRefs",
                    "Resolved all the Object references for the Route",
                ),
            ]
        return {
            "kind": "HTTPRoute",
            "metadata": {
                "name": route,
                "namespace": ns,
                "labels": {
                    "app.kubernetes.io/component": "llminferenceservice-router",
                    "app.kubernetes.io/name": name,
                    "app.kubernetes.io/part-of": "llminferenceservice",
                },
                "ownerReferences": [owner],
            },
            "spec": {
                "parentRefs": [ref],
                "rules": [
                    {
                        "backendRefs": [
                            {
                                "group": "inference.networking.x-k8s.io",
                                "kind": "InferencePool",
                                "name": f"{name}-inference-pool",
                                "port": 8000,
                            }
                        ],
                        "matches": [{"path": {"type": "PathPrefix", "value": f"/{ns}/{name}"}}],
                    }
                ],
            },
            "status": {
                "parents": [
                    {
                        "parentRef": ref,
                        "controllerName": GATEWAY_CONTROLLER,
                        "conditions": conditions,
                    }
                ]
            },
        }

    @staticmethod
    def _gateway(ns: str, name: str) -> dict:
        return {
            "kind": "Gateway",
            "metadata": {"name": name, "namespace": ns},
            "spec": {
                "gatewayClassName": "openshift-default",
                "listeners": [{"name": "https", "port": 443, "protocol": "HTTPS"}],
            },
            "status": {
                "conditions": [
                    objects.condition("Accepted", True, "Accepted"),
                    objects.condition("Programmed", True, "Programmed"),
                ]
            },
        }

    def _llm_pods(self, ns: str, name: str, owner: dict) -> None:
        main = labels_for(name, "llminferenceservice-workload")
        model = objects.container("main", VLLM_IMAGE, memory="16Gi", ports=[8000])
        workload = run_workload(self.store, ns, owner, f"{name}-kserve", main, model)
        workload_service(self.store, ns, owner, name, main)
        self._log(
            workload,
            "main",
            [
                "INFO vLLM API server version 0.10.1",
                f"INFO Starting vLLM API server on https://0.0.0.0:8000 for {name}",
                "INFO Application startup complete.",
            ],
        )
        scheduler = run_workload(
            self.store,
            ns,
            owner,
            f"{name}-kserve-router-scheduler",
            labels_for(name, "llminferenceservice-router-scheduler"),
            objects.container("main", SCHEDULER_IMAGE, ports=[9002]),
        )
        for pod in (workload, scheduler):
            self.store.put(
                objects.event(
                    ns,
                    pod,
                    "Scheduled",
                    f"Successfully assigned {ns}/{pod['metadata']['name']} to worker-2.rhoai-lab.test",
                    type_="Normal",
                    component="default-scheduler",
                )
            )
