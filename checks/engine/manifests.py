"""Objects as the API server returned them (camelCase keys, real annotations and requests), for
the console's `y` and `get -o yaml|json`: people check the manifest, not our model. Trimmed as
kubectl trims it (no managedFields) and without the last-applied annotation (on a Secret it holds
the values in clear); Secret values masked, their keys kept."""

from __future__ import annotations

import json
import re
from typing import Any

from checks import resources
from checks.cluster.kube import KubeClient
from checks.cluster.snapshot import Snapshot
from checks.cluster.snapshot_kinds import KIND_PATHS
from checks.engine.redaction import JWT, OPENSHIFT_TOKEN
from checks.errors import KubeError
from checks.resources import Raw, masked
from checks.text import BIDI, visible

LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"
# Annotations that carry a credential themselves (OpenShift's token secrets of 3.x/4.x clusters).
SECRET_ANNOTATIONS = frozenset({"openshift.io/token-secret.value"})
SECRET_FIELDS = ("data", "stringData")

# LIST items of built-in kinds come without apiVersion/kind: kubectl fills them in, so do we.
KIND_NAMES: dict[str, str] = {
    "inferenceservices": "InferenceService",
    "servingruntimes": "ServingRuntime",
    "secrets": "Secret",
    "rolebindings": "RoleBinding",
    "events": "Event",
    "pods": "Pod",
    "routes": "Route",
    "deployments": "Deployment",
    "replicasets": "ReplicaSet",
    "services": "Service",
    "horizontalpodautoscalers": "HorizontalPodAutoscaler",
    "resourcequotas": "ResourceQuota",
    "llminferenceservices": "LLMInferenceService",
}

_TERMINAL_CONTROLS = re.compile("[\x7f-\x9f" + "".join(sorted(BIDI)) + "]")

# The typed object a view shows -> the LIST it was parsed from.
API_KIND_OF: dict[type, str] = {
    resources.Deployment: "inferenceservices",
    resources.LLMService: "llminferenceservices",
    resources.ModelServer: "servingruntimes",
    resources.DataConnection: "secrets",
    resources.SecretInfo: "secrets",
    resources.Event: "events",
    resources.Pod: "pods",
    resources.Route: "routes",
}


def _api_version(kind: str) -> str:
    prefix = KIND_PATHS.get(kind, ("/api/v1", ""))[0]
    return prefix.removeprefix("/apis/").removeprefix("/api/")


def _masked_values(values: Any) -> Any:
    if not isinstance(values, dict):
        return masked(str(values)) if values else values
    return {
        str(key): masked(value if isinstance(value, str) else str(value or ""))
        for key, value in values.items()
    }


def _metadata(meta: Any) -> Any:
    if not isinstance(meta, dict):
        return meta
    out = {k: v for k, v in meta.items() if k != "managedFields"}
    annotations = out.get("annotations")
    if isinstance(annotations, dict):
        kept = {
            k: (masked(str(v)) if k in SECRET_ANNOTATIONS else v)
            for k, v in annotations.items()
            if k != LAST_APPLIED
        }
        if kept:
            out["annotations"] = kept
        else:
            del out["annotations"]
    return out


SECRET_ENV = re.compile(r"SECRET|PASSWORD|PASSWD|TOKEN|ACCESS_KEY|API_KEY|CREDENTIAL", re.I)


def _scrubbed(value: Any) -> Any:
    """Tokens pasted where they do not belong (an annotation, an env value) are masked, and so
    is a literal env value whose name says it is a secret (AWS_SECRET_ACCESS_KEY=...)."""
    if isinstance(value, str):
        return OPENSHIFT_TOKEN.sub("<token redacted>", JWT.sub("<token redacted>", value))
    if isinstance(value, list):
        return [_scrubbed(item) for item in value]
    if not isinstance(value, dict):
        return value
    out = {key: _scrubbed(item) for key, item in value.items()}
    name, literal = out.get("name"), out.get("value")
    if isinstance(name, str) and isinstance(literal, str) and SECRET_ENV.search(name):
        out["value"] = masked(literal)
    return out


def manifest_of(raw: Raw, kind: str) -> dict[str, Any]:
    """The object as `kubectl get -o yaml` shows it, `kind` being its LIST's plural name
    ("secrets"); a Secret's values masked whatever its type."""
    out: dict[str, Any] = {
        "apiVersion": raw.get("apiVersion") or _api_version(kind),
        "kind": raw.get("kind") or KIND_NAMES.get(kind, kind),
    }
    for key, value in raw.items():
        if key in ("apiVersion", "kind"):
            continue
        out[key] = _metadata(value) if key == "metadata" else value
    if out["kind"] == "Secret":
        for field in SECRET_FIELDS:
            if field in out:
                out[field] = _masked_values(out[field])
    return _scrubbed(out)


def raw_of(snapshot: Snapshot, obj: Any) -> tuple[Raw, str] | None:
    """The raw dict a typed object was parsed from, and its kind; None when it is not there."""
    kind = API_KIND_OF.get(type(obj))
    if kind is None:
        return None
    name, namespace = getattr(obj, "name", None), getattr(obj, "namespace", None)
    for raw in snapshot.raw.get(kind) or []:
        meta = raw.get("metadata") if isinstance(raw, dict) else None
        if (
            isinstance(meta, dict)
            and meta.get("name") == name
            and (meta.get("namespace") or "") == (namespace or "")
        ):
            return raw, kind
    return None


def manifest_for(snapshot: Snapshot, obj: Any) -> dict[str, Any] | None:
    found = raw_of(snapshot, obj)
    return manifest_of(*found) if found else None


def as_list(manifests: list[dict[str, Any]]) -> dict[str, Any]:
    """Several objects as kubectl prints them: one v1 List."""
    return {"apiVersion": "v1", "kind": "List", "items": manifests}


def kubectl_shape(manifests: list[dict[str, Any]], single: bool) -> dict[str, Any]:
    """A named object bare, anything else wrapped in a List (kubectl's rule)."""
    return manifests[0] if single and len(manifests) == 1 else as_list(manifests)


async def project_manifests(kube: KubeClient) -> list[dict[str, Any]]:
    """Projects as listed (OpenShift's Project, else the Namespace), sorted by name."""
    try:
        items = await kube.list("/apis/project.openshift.io/v1/projects")
        api_version, kind = "project.openshift.io/v1", "Project"
    except KubeError as error:
        if error.kind != "not-found":
            raise
        items = await kube.list("/api/v1/namespaces")
        api_version, kind = "v1", "Namespace"
    found = []
    for raw in items:
        if isinstance(raw, dict) and isinstance(raw.get("metadata"), dict):
            manifest = manifest_of(raw, kind)
            manifest["apiVersion"] = raw.get("apiVersion") or api_version
            found.append(manifest)
    return sorted(found, key=lambda m: str(m["metadata"].get("name", "")))


def to_yaml(doc: Any) -> str:
    """YAML that is safe in a terminal: names and annotations others wrote are shown, never
    obeyed (control characters and direction overrides made visible)."""
    import yaml

    text = yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, default_flow_style=False)
    return visible(text.rstrip())


def to_json(doc: Any) -> str:
    """JSON as kubectl prints it (UTF-8), with the characters a terminal would obey (C1
    controls, direction overrides) written as \\u escapes: still valid, still the same text."""
    text = json.dumps(doc, indent=2, ensure_ascii=False)
    return _TERMINAL_CONTROLS.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)
