"""Builders for the Kubernetes objects the RHOAI dashboard and controllers would create.

Shapes, labels and annotations follow docs/domain.md §1; every field a real
API server always sends is filled, because the official client validates responses strictly.
"""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import UTC, datetime, timedelta

DASHBOARD = {"opendatahub.io/dashboard": "true"}
OVMS_SHA = "sha256:" + hashlib.sha256(b"ovms-2024.5").hexdigest()


def ts(ago: timedelta = timedelta()) -> str:
    return (datetime.now(UTC) - ago).strftime("%Y-%m-%dT%H:%M:%SZ")


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def suffix(seed: str, length: int = 5) -> str:
    alphabet = "bcdfghjklmnpqrstvwxz2456789"
    digest = hashlib.sha256(seed.encode()).digest()
    return "".join(alphabet[b % len(alphabet)] for b in digest[:length])


def namespace(name: str, labels: dict[str, str], annotations: dict[str, str]) -> dict:
    return {
        "kind": "Namespace",
        "metadata": {
            "name": name,
            "labels": {"kubernetes.io/metadata.name": name, **labels},
            "annotations": annotations,
        },
        "spec": {"finalizers": ["kubernetes"]},
        "status": {"phase": "Active"},
    }


def project(ns: dict) -> dict:
    return {
        "kind": "Project",
        "metadata": json.loads(json.dumps(ns["metadata"])),
        "spec": {"finalizers": ["kubernetes"]},
        "status": {"phase": "Active"},
    }


def secret(
    name: str,
    ns: str,
    data: dict[str, str],
    *,
    labels: dict | None = None,
    annotations: dict | None = None,
    type_: str = "Opaque",
) -> dict:
    return {
        "kind": "Secret",
        "type": type_,
        "metadata": {
            "name": name,
            "namespace": ns,
            "labels": labels or {},
            "annotations": annotations or {},
        },
        "data": {k: b64(v) for k, v in data.items()},
    }


def data_connection(name: str, ns: str, display: str, values: dict[str, str]) -> dict:
    return secret(
        name,
        ns,
        values,
        labels={**DASHBOARD, "opendatahub.io/managed": "true"},
        annotations={"opendatahub.io/connection-type": "s3", "openshift.io/display-name": display},
    )


def storage_config_entry(values: dict[str, str], *, three_x: bool = False) -> dict[str, str]:
    """odh-model-controller's mapping of one data connection into storage-config
    (controllers.md §5.4): `region` always (empty when the connection has none); `default_bucket`
    for ModelMesh only up to 2.x."""
    entry = {
        "type": "s3",
        "access_key_id": values["AWS_ACCESS_KEY_ID"],
        "secret_access_key": values["AWS_SECRET_ACCESS_KEY"],
        "endpoint_url": values["AWS_S3_ENDPOINT"],
        "bucket": values["AWS_S3_BUCKET"],
        "region": values.get("AWS_DEFAULT_REGION", ""),
    }
    if not three_x:
        entry["default_bucket"] = values["AWS_S3_BUCKET"]
    return entry


def storage_config(ns: str, entries: dict[str, dict]) -> dict:
    """Go's json.Marshal of a map: keys sorted, no spaces (§5.4)."""
    return secret(
        "storage-config",
        ns,
        {k: json.dumps(v, sort_keys=True, separators=(",", ":")) for k, v in entries.items()},
        labels={"opendatahub.io/managed": "true"},
    )


def service_account(name: str, ns: str, owner: dict | None = None) -> dict:
    meta: dict = {"name": name, "namespace": ns}
    if owner:
        meta["ownerReferences"] = [owner]
    return {"kind": "ServiceAccount", "metadata": meta}


def owner_ref(obj: dict) -> dict:
    return {
        "apiVersion": obj["apiVersion"],
        "kind": obj["kind"],
        "name": obj["metadata"]["name"],
        "uid": obj["metadata"]["uid"],
        "controller": True,
        "blockOwnerDeletion": True,
    }


def role_binding(
    name: str, ns: str, role_kind: str, role: str, subjects: list[dict], labels: dict | None = None
) -> dict:
    return {
        "kind": "RoleBinding",
        "metadata": {"name": name, "namespace": ns, "labels": labels or {}},
        "subjects": subjects,
        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": role_kind, "name": role},
    }


def token_secret(sa: str, ns: str, token: str) -> dict:
    return secret(
        f"default-name-{sa}",
        ns,
        {"token": token, "namespace": ns},
        labels=dict(DASHBOARD),
        annotations={
            "kubernetes.io/service-account.name": sa,
            "openshift.io/display-name": "default-name",
        },
        type_="kubernetes.io/service-account-token",
    )


def event(
    ns: str,
    involved: dict,
    reason: str,
    message: str,
    *,
    type_: str = "Normal",
    count: int = 1,
    ago: timedelta = timedelta(minutes=5),
    component: str = "",
) -> dict:
    name = involved["metadata"]["name"]
    return {
        "kind": "Event",
        "metadata": {"name": f"{name}.{suffix(name + reason + message, 16)}", "namespace": ns},
        "involvedObject": {
            "kind": involved["kind"],
            "namespace": ns,
            "name": name,
            "uid": involved["metadata"].get("uid", ""),
            "apiVersion": involved["apiVersion"],
        },
        "reason": reason,
        "message": message,
        "type": type_,
        "count": count,
        "source": {"component": component},
        "firstTimestamp": ts(ago + timedelta(minutes=count)),
        "lastTimestamp": ts(ago),
        "reportingComponent": component,
        "reportingInstance": "",
    }


def container_status(
    name: str,
    image: str,
    *,
    ready: bool = True,
    restarts: int = 0,
    state: dict | None = None,
    last_state: dict | None = None,
) -> dict:
    running = {"running": {"startedAt": ts(timedelta(minutes=30))}}
    return {
        "name": name,
        "image": image,
        "imageID": f"{image.split(':')[0]}@{OVMS_SHA}",
        "ready": ready,
        "restartCount": restarts,
        "started": ready,
        "state": state or running,
        "lastState": last_state or {},
        "containerID": f"cri-o://{hashlib.sha256((name + image).encode()).hexdigest()}",
    }


def terminated(reason: str, exit_code: int, message: str = "") -> dict:
    info = {
        "reason": reason,
        "exitCode": exit_code,
        "startedAt": ts(timedelta(minutes=3)),
        "finishedAt": ts(timedelta(minutes=2)),
    }
    if message:
        info["message"] = message
    return {"terminated": info}


def waiting(reason: str, message: str = "") -> dict:
    return {"waiting": {"reason": reason, "message": message} if message else {"reason": reason}}


def pod(
    name: str,
    ns: str,
    labels: dict,
    containers: list[dict],
    *,
    init_containers: list[dict] | None = None,
    phase: str = "Running",
    conditions: list[dict] | None = None,
    statuses: list[dict] | None = None,
    init_statuses: list[dict] | None = None,
    owner: dict | None = None,
) -> dict:
    meta: dict = {"name": name, "namespace": ns, "labels": labels}
    if owner:
        meta["ownerReferences"] = [owner]
    spec: dict = {
        "containers": containers,
        "restartPolicy": "Always",
        "serviceAccountName": "default",
        "nodeName": "worker-0.rhoai-lab.test",
    }
    if init_containers:
        spec["initContainers"] = init_containers
    if phase == "Pending" and statuses is None:
        spec.pop("nodeName")
    status: dict = {
        "phase": phase,
        "conditions": conditions or [],
        "qosClass": "Burstable",
        "startTime": ts(timedelta(minutes=30)),
    }
    if statuses is not None:
        status["containerStatuses"] = statuses
        status["hostIP"], status["podIP"] = "10.0.0.10", "10.128.2." + str(len(name) % 200)
    if init_statuses is not None:
        status["initContainerStatuses"] = init_statuses
    return {"kind": "Pod", "metadata": meta, "spec": spec, "status": status}


def container(
    name: str,
    image: str,
    *,
    memory: str = "",
    args: list[str] | None = None,
    ports: list[int] | None = None,
) -> dict:
    spec: dict = {"name": name, "image": image}
    if memory:
        spec["resources"] = {
            "requests": {"cpu": "1", "memory": memory},
            "limits": {"cpu": "2", "memory": memory},
        }
    if args:
        spec["args"] = args
    if ports:
        spec["ports"] = [{"containerPort": p, "protocol": "TCP"} for p in ports]
    return spec


def condition(type_: str, status: bool | str, reason: str = "", message: str = "") -> dict:
    value = status if isinstance(status, str) else ("True" if status else "False")
    cond = {"type": type_, "status": value, "lastTransitionTime": ts(timedelta(minutes=20))}
    if reason:
        cond["reason"] = reason
    if message:
        cond["message"] = message
    return cond


def route(
    name: str,
    ns: str,
    host: str,
    *,
    path: str = "",
    service: str,
    port: str | int,
    termination: str,
    labels: dict,
    owner: dict | None = None,
) -> dict:
    meta: dict = {"name": name, "namespace": ns, "labels": labels}
    if owner:
        meta["ownerReferences"] = [owner]
    spec: dict = {
        "host": host,
        "to": {"kind": "Service", "name": service, "weight": 100},
        "port": {"targetPort": port},
        "wildcardPolicy": "None",
        "tls": {"termination": termination, "insecureEdgeTerminationPolicy": "Redirect"},
    }
    if path:
        spec["path"] = path
    return {
        "kind": "Route",
        "metadata": meta,
        "spec": spec,
        "status": {
            "ingress": [
                {
                    "host": host,
                    "routerName": "default",
                    "wildcardPolicy": "None",
                    "routerCanonicalHostname": "router-default.apps.rhoai-lab.test",
                    "conditions": [condition("Admitted", True)],
                }
            ]
        },
    }


def service(name: str, ns: str, selector: dict, ports: dict[str, int]) -> dict:
    return {
        "kind": "Service",
        "metadata": {"name": name, "namespace": ns},
        "spec": {
            "selector": selector,
            "type": "ClusterIP",
            "clusterIP": "172.30.0.10",
            "ports": [
                {"name": n, "port": p, "protocol": "TCP", "targetPort": p} for n, p in ports.items()
            ],
        },
    }


def deployment(
    name: str, ns: str, labels: dict, replicas: int, ready: int, containers: list[dict]
) -> dict:
    return {
        "kind": "Deployment",
        "metadata": {"name": name, "namespace": ns, "labels": labels},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": labels},
            "template": {"metadata": {"labels": labels}, "spec": {"containers": containers}},
        },
        "status": {
            "replicas": replicas,
            "readyReplicas": ready,
            "availableReplicas": ready,
            "updatedReplicas": replicas,
            "unavailableReplicas": replicas - ready,
            "observedGeneration": 1,
        },
    }
