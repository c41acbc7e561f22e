"""The workloads KServe's llm-d controller makes for a single-node LLMInferenceService with a
managed scheduler (controllers.md §3.2, §3.3): Deployments `<name>-kserve` and
`<name>-kserve-router-scheduler`, each with its ReplicaSet and pod as the kube Deployment
controller makes them, and the Service `<name>-kserve-workload-svc` (https 8000). Every one is
owned by the LLMInferenceService; none carries `serving.kserve.io/inferenceservice`."""

from __future__ import annotations

from lab import objects
from lab.kube.store import Store

HASH = "pod-template-hash"
READY = ("Initialized", "Ready", "ContainersReady", "PodScheduled")


def labels_for(name: str, component: str, role: str = "") -> dict[str, str]:
    """§3.3: the template labels, which are also the selector."""
    labels = {
        "app.kubernetes.io/component": component,
        "app.kubernetes.io/name": name,
        "app.kubernetes.io/part-of": "llminferenceservice",
    }
    if component == "llminferenceservice-workload":
        labels["kserve.io/component"] = "workload"
        labels["llm-d.ai/role"] = role or "both"
    return labels


def workload(
    store: Store, ns: str, owner: dict, deployment: str, labels: dict[str, str], container: dict
) -> dict:
    """Deployment → ReplicaSet `<deployment>-<hash>` → pod `<rs>-<5>`; returns the pod."""
    digest = objects.suffix(ns + deployment, 10)[:9]
    dep = objects.deployment(deployment, ns, dict(labels), 1, 1, [container])
    dep["metadata"]["ownerReferences"] = [owner]
    dep = store.put(dep)
    rs_labels = {**labels, HASH: digest}
    rs = objects.deployment(f"{deployment}-{digest}", ns, rs_labels, 1, 1, [container])
    rs["kind"] = "ReplicaSet"
    rs["metadata"]["ownerReferences"] = [objects.owner_ref(dep)]
    for key in ("updatedReplicas", "unavailableReplicas"):
        rs["status"].pop(key)
    rs = store.put(rs)
    pod = objects.pod(
        f"{deployment}-{digest}-{objects.suffix(deployment)}",
        ns,
        rs_labels,
        [container],
        conditions=[objects.condition(t, True) for t in READY],
        statuses=[objects.container_status(container["name"], container["image"])],
        owner=objects.owner_ref(rs),
    )
    return store.put(pod)


def workload_service(
    store: Store, ns: str, owner: dict, name: str, selector: dict[str, str]
) -> None:
    """§3.2: `<name>-kserve-workload-svc`, port https (appProtocol https) 8000 → 8000."""
    service = objects.service(f"{name}-kserve-workload-svc", ns, dict(selector), {})
    service["metadata"]["ownerReferences"] = [owner]
    service["spec"]["ports"] = [
        {
            "name": "https",
            "appProtocol": "https",
            "port": 8000,
            "protocol": "TCP",
            "targetPort": 8000,
        }
    ]
    store.put(service)
