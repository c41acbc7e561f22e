"""The lab's objects, read through its API, held to what the controllers create
(../shared/reference/controllers.md): so the lab cannot drift from the clusters it imitates.

Every running Standard/RawDeployment InferenceService, every LLMInferenceService and every
storage-config is checked; the facts live in tests/helpers/controllers_shape.py, each failure
line cites its section. What a scenario breaks on purpose is exempted below, by name, with why.
"""

from __future__ import annotations

import json

import pytest

from tests.helpers.controllers_shape import (
    Objects,
    auth_problems,
    every,
    llm_problems,
    raw_inference_services,
    route_problems,
    service_problems,
    stray_bindings,
    workload_problems,
)
from tests.helpers.storage_config_shape import storage_config_problems, three_x_namespaces

# (namespace, what) -> why the scenario breaks it on purpose. `what` is the start of the
# failure line after "<ns>/<isvc>: ", so an exemption covers only the fact the scenario breaks.
DELIBERATE: dict[tuple[str, str], str] = {
    ("auth-no-delegator", "no ClusterRoleBinding"): "its fault: the proxy SA's CRB is missing",
}

READ = {
    "InferenceService": "/apis/serving.kserve.io/v1beta1/inferenceservices",
    "LLMInferenceService": "/apis/serving.kserve.io/v1alpha2/llminferenceservices",
    "Deployment": "/apis/apps/v1/deployments",
    "ReplicaSet": "/apis/apps/v1/replicasets",
    "HorizontalPodAutoscaler": "/apis/autoscaling/v2/horizontalpodautoscalers",
    "Pod": "/api/v1/pods",
    "Service": "/api/v1/services",
    "ConfigMap": "/api/v1/configmaps",
    "Secret": "/api/v1/secrets",
    "ClusterRoleBinding": "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings",
    "Route": "/apis/route.openshift.io/v1/routes",
    "HTTPRoute": "/apis/gateway.networking.k8s.io/v1/httproutes",
}


@pytest.fixture(scope="module")
def objs(admin_client) -> Objects:
    """Every object of the kinds the controllers make, as the lab's API server returns it."""
    seen: Objects = {}
    for kind, path in READ.items():
        config = admin_client.configuration
        token = config.get_api_key_with_prefix("BearerToken") or config.get_api_key_with_prefix(
            "authorization"
        )
        headers = {"Authorization": token, "Accept": "application/json"}
        response = admin_client.call_api("GET", config.host + path, header_params=headers)
        seen[kind] = json.loads(response.read())["items"]
    return seen


def _undeliberate(lines: list[str]) -> list[str]:
    def exempt(line: str) -> bool:
        ns, _, rest = line.partition("/")
        what = rest.partition(": ")[2]
        return any(ns == n and what.startswith(w) for n, w in DELIBERATE)

    return [line for line in lines if not exempt(line)]


def _assert_none(lines: list[str]) -> None:
    left = _undeliberate(lines)
    assert not left, f"{len(left)} divergences from controllers.md:\n" + "\n".join(left)


def test_the_lab_has_standard_deployments_to_check(objs) -> None:
    assert len(raw_inference_services(objs)) >= 15
    assert len(objs["LLMInferenceService"]) >= 2


def test_predictor_deployment_replicaset_and_pods_as_kserve_and_kube_make_them(objs) -> None:
    """§1.1: names, the union of labels, `app: isvc.<isvc>-predictor` as the only selector,
    `pod-template-hash`, and the owner chain ISVC → Deployment → ReplicaSet → Pod."""
    _assert_none(every(workload_problems(objs, i) for i in raw_inference_services(objs)))


def test_predictor_service_ports_follow_the_auth_switch(objs) -> None:
    """§1.1, §1.2: one Service; auth on → only 8443 `https` → the named port; off → 80 → model."""
    _assert_none(every(service_problems(objs, i) for i in raw_inference_services(objs)))


def test_auth_proxy_sar_config_and_auth_delegator_binding(objs) -> None:
    """§1.3, §1.4: the proxy's https port, the SAR ConfigMap (3.x), `<ns>-<sa>-auth-delegator`."""
    _assert_none(every(auth_problems(objs, i) for i in raw_inference_services(objs)))
    _assert_none(stray_bindings(objs))


def test_route_only_with_the_visibility_label_and_shaped_as_odh_model_controller_makes_it(
    objs,
) -> None:
    """§1.5, §1.6: Route `<isvc>`, its label, owner, target port, TLS and timeout."""
    _assert_none(every(route_problems(objs, i) for i in raw_inference_services(objs)))


def test_llm_d_workloads_carry_the_real_names_labels_and_owners(objs) -> None:
    """§3.2, §3.3: `<name>-kserve`, `-kserve-router-scheduler`, `-kserve-workload-svc`."""
    _assert_none(every(llm_problems(objs, llm) for llm in objs["LLMInferenceService"]))


def test_storage_config_has_exactly_the_fields_odh_model_controller_writes(objs) -> None:
    """§5.4: sorted keys, `region` always, `default_bucket` only on 2.x, values = connection."""
    three_x = three_x_namespaces(objs)
    namespaces = sorted(
        {
            s["metadata"]["namespace"]
            for s in objs["Secret"]
            if s["metadata"]["name"] == "storage-config"
        }
    )
    assert namespaces
    _assert_none(every(storage_config_problems(objs, ns, ns in three_x) for ns in namespaces))


def test_every_exemption_still_names_a_deliberate_fault(objs) -> None:
    """An exemption whose fault is gone would hide the next drift: each must still match."""
    raw = raw_inference_services(objs)
    lines = every(
        f(objs, i) for f in (workload_problems, service_problems, auth_problems) for i in raw
    )
    for ns, what in DELIBERATE:
        assert any(line.startswith(f"{ns}/") and f": {what}" in line for line in lines), (ns, what)
