"""A must-gather directory written from the running lab the way `oc adm must-gather` with the
RHOAI plug-in writes one (oc pkg/cli/admin/inspect; red-hat-data-services/must-gather
collection-scripts): per namespace `oc adm inspect namespace/NS` (the Namespace, the "all"
category and the explicit kinds as Lists under `<group>/<resource>.yaml`, the group of the core
API spelled `core`; each pod under `pods/<pod>/` with its containers' current and previous logs,
lines led by a timestamp as `--timestamps` gives them), then `oc adm inspect <kind> -n NS` for the
serving kinds (one file per object under `<group>/<resource>/<name>.yaml`). Secret values are
elided as oc elides them ("<N> bytes long", `tls.crt`/`ca.crt`/`service-ca.crt` kept), Route TLS
keys blanked. Everything comes from the lab's API answers, read with the official client."""

from __future__ import annotations

import base64
import json
import re
from datetime import UTC, datetime
from pathlib import Path

import yaml

IMAGE_DIR = "quay-io-modh-odh-must-gather-sha256-0c1f2e3d4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a6978"
# `oc adm inspect namespace/NS`: the "all" category plus the explicit list, those the lab serves
LISTED = (
    ("core", "/api/v1", "pods", "Pod"),
    ("core", "/api/v1", "services", "Service"),
    ("apps", "/apis/apps/v1", "deployments", "Deployment"),
    ("apps", "/apis/apps/v1", "replicasets", "ReplicaSet"),
    ("autoscaling", "/apis/autoscaling/v2", "horizontalpodautoscalers", "HorizontalPodAutoscaler"),
    ("route.openshift.io", "/apis/route.openshift.io/v1", "routes", "Route"),
    ("core", "/api/v1", "configmaps", "ConfigMap"),
    ("core", "/api/v1", "events", "Event"),
    ("core", "/api/v1", "secrets", "Secret"),
)
# the RHOAI plug-in's `oc adm inspect <kind> -n NS` (flattened: one file per object)
BY_TYPE = (
    ("serving.kserve.io", "/apis/serving.kserve.io/v1beta1", "inferenceservices"),
    ("serving.kserve.io", "/apis/serving.kserve.io/v1alpha1", "servingruntimes"),
    ("serving.kserve.io", "/apis/serving.kserve.io/v1alpha2", "llminferenceservices"),
    ("gateway.networking.k8s.io", "/apis/gateway.networking.k8s.io/v1", "gateways"),
    ("gateway.networking.k8s.io", "/apis/gateway.networking.k8s.io/v1", "httproutes"),
    ("kuadrant.io", "/apis/kuadrant.io/v1", "authpolicies"),
)
PUBLIC_KEYS = {"tls.crt", "ca.crt", "service-ca.crt"}
RESTARTS = re.compile(r"(restarted|restarts) \d+")


def steady(summary: str) -> str:
    """A summary without restart counts: the lab's crash loops keep restarting between a
    capture and the live run that it is compared with."""
    return RESTARTS.sub(r"\1 N", summary)


class LabReader:
    """GETs against the lab as the admin, answers as JSON or text."""

    def __init__(self, lab: dict) -> None:
        import httpx

        from tests.helpers.cluster import lab_tls

        token = _admin_token(Path(lab["kubeconfig"]))
        self.http = httpx.Client(
            base_url=lab["api"],
            verify=lab_tls(lab),
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        )

    def json(self, path: str) -> dict:
        answer = self.http.get(path)
        answer.raise_for_status()
        return answer.json()

    def log(self, namespace: str, pod: str, container: str, previous: bool) -> str | None:
        params = {"container": container, "timestamps": "true"}
        if previous:
            params["previous"] = "true"
        answer = self.http.get(f"/api/v1/namespaces/{namespace}/pods/{pod}/log", params=params)
        return answer.text if answer.status_code == 200 else None

    def close(self) -> None:
        self.http.close()


def _admin_token(kubeconfig: Path) -> str:
    config = yaml.safe_load(kubeconfig.read_text())
    context = next(c for c in config["contexts"] if c["name"] == "lab-admin")["context"]
    user = next(u for u in config["users"] if u["name"] == context["user"])["user"]
    return user["token"]


def write_must_gather(lab: dict, dest: Path, namespaces: list[str] | None = None) -> Path:
    """`oc adm must-gather --dest-dir DEST` on the lab: returns DEST (the top directory); the
    inspect root is DEST/IMAGE_DIR."""
    reader = LabReader(lab)
    try:
        root = dest / IMAGE_DIR
        root.mkdir(parents=True, exist_ok=True)
        started = _go_now()
        if namespaces is None:
            namespaces = [n["metadata"]["name"] for n in reader.json("/api/v1/namespaces")["items"]]
        for namespace in namespaces:
            inspect_namespace(reader, root, namespace)
        for where in (root, dest):
            (where / "timestamp").write_text(f"{started}\n{_go_now()}\n")
        (dest / "must-gather.logs").write_text(
            "[must-gather      ] OUT Using must-gather plug-in\n"
        )
    finally:
        reader.close()
    return dest


def inspect_namespace(reader: LabReader, root: Path, namespace: str) -> None:
    ns_dir = root / "namespaces" / namespace
    ns_dir.mkdir(parents=True, exist_ok=True)
    own = reader.json(f"/api/v1/namespaces/{namespace}")
    _write(ns_dir / f"{namespace}.yaml", {"apiVersion": "v1", "kind": "Namespace", **own})
    for group, prefix, plural, kind in LISTED:
        answer = reader.json(f"{prefix}/namespaces/{namespace}/{plural}")
        items = [_as_oc_writes(plural, kind, prefix, item) for item in answer.get("items", [])]
        listing = {
            "apiVersion": prefix.removeprefix("/apis/").removeprefix("/api/"),
            "kind": f"{kind}List",
            "metadata": answer.get("metadata") or {},
            "items": items,
        }
        _write(ns_dir / group / f"{plural}.yaml", listing)
        if plural == "pods":
            for pod in items:
                _pod(reader, ns_dir / "pods", namespace, pod)
    for group, prefix, plural in BY_TYPE:
        for item in reader.json(f"{prefix}/namespaces/{namespace}/{plural}").get("items", []):
            name = item["metadata"]["name"]
            _write(ns_dir / group / plural / f"{name}.yaml", item)


def _pod(reader: LabReader, pods_dir: Path, namespace: str, pod: dict) -> None:
    name = pod["metadata"]["name"]
    pod_dir = pods_dir / name
    pod_dir.mkdir(parents=True, exist_ok=True)
    _write(pod_dir / f"{name}.yaml", pod)
    spec = pod.get("spec") or {}
    for container in (*spec.get("containers", []), *spec.get("initContainers", [])):
        logs = pod_dir / container["name"] / container["name"] / "logs"
        logs.mkdir(parents=True, exist_ok=True)
        for previous in (False, True):
            text = reader.log(namespace, name, container["name"], previous)
            # oc writes the file before the request fails: an absent previous log is empty
            (logs / ("previous.log" if previous else "current.log")).write_text(
                _timestamped(text or "")
            )


def _timestamped(text: str) -> str:
    """What `--timestamps` asks the kubelet for: each line led by an RFC 3339 time."""
    if text and text.split(" ", 1)[0].count("-") >= 2 and "T" in text.split(" ", 1)[0]:
        return text  # the server already did
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f000Z")
    return "".join(f"{stamp} {line}\n" for line in text.splitlines())


def _as_oc_writes(plural: str, kind: str, prefix: str, item: dict) -> dict:
    item = json.loads(json.dumps(item))
    item.setdefault("apiVersion", prefix.removeprefix("/apis/").removeprefix("/api/"))
    item.setdefault("kind", kind)
    if plural == "secrets":
        item.pop("apiVersion", None)  # a typed SecretList's items carry no type meta
        item.pop("kind", None)
        item["data"] = {k: _elide(k, v) for k, v in (item.get("data") or {}).items()}
        annotations = item["metadata"].get("annotations") or {}
        for key in (
            "openshift.io/token-secret.value",
            "kubectl.kubernetes.io/last-applied-configuration",
        ):
            if key in annotations:
                annotations[key] = ""
    if plural == "routes" and isinstance((item.get("spec") or {}).get("tls"), dict):
        item["spec"]["tls"]["key"] = ""
    return item


def _elide(key: str, value: str) -> str:
    if key in PUBLIC_KEYS:
        return value
    length = len(base64.b64decode(value or ""))
    return base64.b64encode(f"{length} bytes long".encode()).decode()


def _write(path: Path, obj: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # libyaml's emitter (what oc's own YAML writer is closest to), not PyYAML's pure-Python
    # one: a lab's must-gather is ~700 files, 3 s of CPU that way
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    path.write_text(yaml.dump(obj, Dumper=dumper, sort_keys=True, allow_unicode=True))


def _go_now() -> str:
    """Go's time.Now() printed with %v, as oc writes `timestamp`."""
    now = datetime.now(UTC)
    return now.strftime("%Y-%m-%d %H:%M:%S.%f000 +0000 UTC m=+0.001")


def edit_yaml(path: Path, edit) -> None:
    """Change a written object as a user's cluster would have changed between two captures."""
    obj = yaml.safe_load(path.read_text())
    edit(obj)
    _write(path, obj)
