"""What KServe, odh-model-controller and the kube Deployment controller add to every running
Standard (RawDeployment) predictor, whatever a scenario seeded inside it
(../shared/reference/controllers.md §1.1-1.6).

The scenario seeders decide what runs in the pod and how it fares; this pass, run once after
them, gives the objects the names, labels, owners and ports the controllers give them, so that
no seeder can forget one: the Deployment's labels (the ISVC's and KServe's) and its one-label
selector, the ReplicaSet `<deployment>-<pod-template-hash>` between it and the pods, the
Service's labels and ports, the SAR ConfigMap's owner and the Route's timeout.
"""

from __future__ import annotations

from lab import objects
from lab.kube.kinds import kind_by_name
from lab.kube.store import Store

AUTH = "security.opendatahub.io/enable-auth"
MODE = "serving.kserve.io/deploymentMode"
STOP = "serving.kserve.io/stop"
SERVING_CERT = "service.beta.openshift.io/serving-cert-secret-name"
ISVC_LABEL = "serving.kserve.io/inferenceservice"
HASH = "pod-template-hash"
DEFAULT_PORT = 8080  # KServe's port for a model container that declares none
PROXY_PORTS = {
    "kube-rbac-proxy": [
        {"name": "https", "containerPort": 8443, "protocol": "TCP"},
        {"name": "proxy", "containerPort": 8643, "protocol": "TCP"},
    ],
    "oauth-proxy": [{"name": "https", "containerPort": 8443, "protocol": "TCP"}],
}


def running_raw(store: Store) -> list[dict]:
    """Standard/RawDeployment ISVCs that are not stopped (a stopped one has no workload)."""
    out = []
    for isvc in store.iter_kind("InferenceService"):
        annotations = isvc["metadata"].get("annotations") or {}
        mode = (isvc.get("status") or {}).get("deploymentMode")
        if "RawDeployment" in (mode, annotations.get(MODE)) and annotations.get(STOP) != "true":
            out.append(isvc)
    return out


def shape_raw_predictors(store: Store) -> None:
    for isvc in running_raw(store):
        deployment = store.get(
            kind_by_name("Deployment"),
            isvc["metadata"]["namespace"],
            f"{isvc['metadata']['name']}-predictor",
        )
        if deployment is None:
            continue
        _deployment(store, isvc, deployment)
        _autoscaler(store, isvc, deployment)
        _service(store, isvc, deployment)
        _sar_config(store, isvc)
        _route(store, isvc)


def _labels_for(isvc: dict) -> dict[str, str]:
    """buildObjectMeta: the ISVC's labels and KServe's, and `app` (§1.1)."""
    name = isvc["metadata"]["name"]
    return {
        **(isvc["metadata"].get("labels") or {}),
        ISVC_LABEL: name,
        "component": "predictor",
        "app": f"isvc.{name}-predictor",
    }


def _pods_of(store: Store, deployment: dict) -> list[dict]:
    ns, name = deployment["metadata"]["namespace"], deployment["metadata"]["name"]
    app = deployment["spec"]["template"]["metadata"]["labels"].get("app")
    return [
        p
        for p in store.list(kind_by_name("Pod"), ns)
        if (p["metadata"].get("labels") or {}).get("app") == app
        and p["metadata"]["name"].startswith(name + "-")
    ]


def _deployment(store: Store, isvc: dict, deployment: dict) -> None:
    name = isvc["metadata"]["name"]
    labels = _labels_for(isvc)
    meta, spec = deployment["metadata"], deployment["spec"]
    pods = _pods_of(store, deployment)
    meta["labels"] = dict(labels)
    meta["ownerReferences"] = [objects.owner_ref(isvc)]
    auth = (isvc["metadata"].get("annotations") or {}).get(AUTH)
    if auth is not None:  # passed on whatever the disallowed list says (§1.1)
        meta["annotations"] = {**(meta.get("annotations") or {}), AUTH: auth}
    spec["selector"] = {"matchLabels": {"app": labels["app"]}}
    template = spec["template"]
    template["metadata"] = {
        "labels": dict(labels),
        "annotations": {SERVING_CERT: f"{name}-predictor-serving-cert"},
    }
    if pods:  # the pods were made from the template: the same containers, the same account
        pod_spec = pods[0]["spec"]
        template["spec"] = {
            k: v
            for k, v in pod_spec.items()
            if k in ("containers", "initContainers", "serviceAccountName", "volumes")
        }
    for container in template["spec"].get("containers") or []:
        if container["name"] in PROXY_PORTS:
            container["ports"] = [dict(p) for p in PROXY_PORTS[container["name"]]]
    deployment = store.put(deployment)
    _replica_set(store, deployment, pods)


def _replica_set(store: Store, deployment: dict, pods: list[dict]) -> None:
    """kube's Deployment controller: `<deployment>-<hash>`, the hash as a label (sync.go)."""
    ns, name = deployment["metadata"]["namespace"], deployment["metadata"]["name"]
    existing = [
        rs
        for rs in store.list(kind_by_name("ReplicaSet"), ns)
        if rs["metadata"]["name"].startswith(name + "-")
        and (rs["metadata"].get("labels") or {}).get(HASH)
    ]
    if pods:  # the pods' names carry the hash of the ReplicaSet that made them
        digest = pods[0]["metadata"]["name"].removeprefix(name + "-").rsplit("-", 1)[0]
    elif existing:
        digest = existing[0]["metadata"]["labels"][HASH]
    else:
        digest = objects.suffix(ns + "rs", 9)
    rs = next((r for r in existing if r["metadata"]["name"] == f"{name}-{digest}"), None)
    for stale in [r for r in existing if r is not rs]:  # one seeder's RS, another's pods
        store.delete("ReplicaSet", ns, stale["metadata"]["name"])
    if rs is None:
        status = deployment.get("status") or {}
        rs = {
            "kind": "ReplicaSet",
            "metadata": {"name": f"{name}-{digest}", "namespace": ns},
            "spec": {},
            "status": {
                "replicas": status.get("replicas", 0),
                "readyReplicas": status.get("readyReplicas", 0),
                "availableReplicas": status.get("availableReplicas", 0),
                "observedGeneration": 1,
            },
        }
    template = deployment["spec"]["template"]
    labels = {**template["metadata"]["labels"], HASH: digest}
    rs["metadata"]["labels"] = labels
    rs["metadata"]["ownerReferences"] = [objects.owner_ref(deployment)]
    rs["spec"] = {
        **rs.get("spec", {}),
        "replicas": deployment["spec"].get("replicas", 1),
        "selector": {
            "matchLabels": {**deployment["spec"]["selector"]["matchLabels"], HASH: digest}
        },
        "template": {
            "metadata": {**template["metadata"], "labels": labels},
            "spec": template["spec"],
        },
    }
    rs = store.put(rs)
    for pod in pods:
        pod["metadata"]["labels"] = {**(pod["metadata"].get("labels") or {}), **labels}
        pod["metadata"]["ownerReferences"] = [objects.owner_ref(rs)]
        store.put(pod)


def _autoscaler(store: Store, isvc: dict, deployment: dict) -> None:
    """KServe's HPA `<isvc>-predictor` (min = max = 1 replica, CPU 80 %) unless one is there."""
    ns, name = deployment["metadata"]["namespace"], deployment["metadata"]["name"]
    if store.get(kind_by_name("HorizontalPodAutoscaler"), ns, name) is not None:
        return
    target = {"type": "Utilization", "averageUtilization": 80}
    current = (deployment.get("status") or {}).get("readyReplicas", 0)
    store.put(
        {
            "kind": "HorizontalPodAutoscaler",
            "metadata": {
                "name": name,
                "namespace": ns,
                "labels": _labels_for(isvc),
                "ownerReferences": [objects.owner_ref(isvc)],
            },
            "spec": {
                "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": name},
                "minReplicas": 1,
                "maxReplicas": 1,
                "metrics": [{"type": "Resource", "resource": {"name": "cpu", "target": target}}],
            },
            "status": {"currentReplicas": current, "desiredReplicas": 1},
        }
    )


def _service(store: Store, isvc: dict, deployment: dict) -> None:
    """§1.1, §1.2: one Service; auth on replaces port 80 by 8443 `https` → the named port."""
    ns, name = isvc["metadata"]["namespace"], isvc["metadata"]["name"]
    service = store.get(kind_by_name("Service"), ns, f"{name}-predictor")
    if service is None:
        return
    labels = _labels_for(isvc)
    service["metadata"]["labels"] = dict(labels)
    service["metadata"]["ownerReferences"] = [objects.owner_ref(isvc)]
    service["metadata"]["annotations"] = {
        **(service["metadata"].get("annotations") or {}),
        SERVING_CERT: f"{name}-predictor-serving-cert",
    }
    service["spec"]["selector"] = {"app": labels["app"]}
    auth = (isvc["metadata"].get("annotations") or {}).get(AUTH, "").lower() == "true"
    if auth:
        first = {"name": "https", "port": 8443, "protocol": "TCP", "targetPort": "https"}
    else:
        first = {
            "name": "http",
            "port": 80,
            "protocol": "TCP",
            "targetPort": _model_port(deployment),
        }
    service["spec"]["ports"] = [first]
    store.put(service)


def _model_port(deployment: dict) -> int:
    containers = deployment["spec"]["template"]["spec"].get("containers") or []
    model: dict = next((c for c in containers if c["name"] == "kserve-container"), {})
    ports = model.get("ports") or []
    return ports[0]["containerPort"] if ports else DEFAULT_PORT


def _sar_config(store: Store, isvc: dict) -> None:
    """KServe (ODH 3.x) creates it immutable and owned by the ISVC (§1.1)."""
    ns, name = isvc["metadata"]["namespace"], isvc["metadata"]["name"]
    config = store.get(kind_by_name("ConfigMap"), ns, f"{name}-kube-rbac-proxy-sar-config")
    if config is None:
        return
    config["immutable"] = True
    config["metadata"]["ownerReferences"] = [objects.owner_ref(isvc)]
    store.put(config)


def _route(store: Store, isvc: dict) -> None:
    """odh-model-controller's Route: its one label; on 3.x the timeout annotation (§1.5, §1.6)."""
    ns, name = isvc["metadata"]["namespace"], isvc["metadata"]["name"]
    route = store.get(kind_by_name("Route"), ns, name)
    if route is None:
        return
    route["metadata"]["labels"] = {"inferenceservice-name": name}
    if (isvc["metadata"].get("annotations") or {}).get(MODE) != "RawDeployment":
        timeout = {"haproxy.router.openshift.io/timeout": "30s"}
        route["metadata"]["annotations"] = {
            **(route["metadata"].get("annotations") or {}),
            **timeout,
        }
    store.put(route)
