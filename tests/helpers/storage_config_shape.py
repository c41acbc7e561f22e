"""What odh-model-controller writes into a project's `storage-config` Secret
(../shared/reference/controllers.md §5.4), as facts to hold the lab's objects to."""

from __future__ import annotations

import base64
import json

from tests.helpers.controllers_shape import (
    Objects,
    _annotations,
    _in,
    _labels,
    _meta,
    _named,
    _stopped,
    is_2x,
    raw_inference_services,
)

STORAGE_FIELDS = {"type", "access_key_id", "secret_access_key", "endpoint_url", "bucket", "region"}


def storage_config_problems(objs: Objects, ns: str, three_x: bool) -> list[str]:
    """§5.4: one entry per managed dashboard connection, exactly these fields, sorted keys."""
    cfg = _named(objs, "Secret", ns, "storage-config")
    if cfg is None:
        return []
    out = []
    if _labels(cfg) != {"opendatahub.io/managed": "true"} or _meta(cfg).get("ownerReferences"):
        out.append(f"{ns}/storage-config: labels {_labels(cfg)} or owners differ (§5.4)")
    connections = {
        _meta(s)["name"]: s
        for s in _in(objs, "Secret", ns)
        if _labels(s).get("opendatahub.io/managed") == "true"
        and _labels(s).get("opendatahub.io/dashboard") == "true"
    }
    data = cfg.get("data") or {}
    if set(data) != set(connections):
        out.append(f"{ns}/storage-config: keys {sorted(data)}, connections {sorted(connections)}")
    for key, raw in data.items():
        text = base64.b64decode(raw).decode()
        entry = json.loads(text)
        want = STORAGE_FIELDS if three_x else STORAGE_FIELDS | {"default_bucket"}
        extra = entry.keys() - want - {"cabundle_configmap", "certificate"}
        if want - entry.keys() or extra:
            out.append(f"{ns}/storage-config[{key}]: fields {sorted(entry)}, want {sorted(want)}")
        if list(entry) != sorted(entry):
            out.append(f"{ns}/storage-config[{key}]: keys not sorted (json.Marshal, §5.4)")
        secret = connections.get(key)
        if secret is not None:
            out += _entry_matches(ns, key, entry, secret)
    return out


def _entry_matches(ns: str, key: str, entry: dict, secret: dict) -> list[str]:
    values = {k: base64.b64decode(v).decode() for k, v in (secret.get("data") or {}).items()}
    source = {
        "type": _annotations(secret).get("opendatahub.io/connection-type", ""),
        "access_key_id": values.get("AWS_ACCESS_KEY_ID", ""),
        "secret_access_key": values.get("AWS_SECRET_ACCESS_KEY", ""),
        "endpoint_url": values.get("AWS_S3_ENDPOINT", ""),
        "bucket": values.get("AWS_S3_BUCKET", ""),
        "default_bucket": values.get("AWS_S3_BUCKET", ""),
        "region": values.get("AWS_DEFAULT_REGION", ""),
    }
    wrong = sorted(k for k in entry if k in source and entry[k] != source[k])
    return (
        [f"{ns}/storage-config[{key}]: {wrong} differ from the connection (§5.4)"] if wrong else []
    )


def three_x_namespaces(objs: Objects) -> set[str]:
    """Projects whose models were deployed by a 3.x dashboard (Raw with no mode annotation, or
    llm-d): their storage-config has no `default_bucket` (§5.4)."""
    raw = {
        _meta(i)["namespace"] for i in raw_inference_services(objs) + _stopped(objs) if not is_2x(i)
    }
    return raw | {_meta(o)["namespace"] for o in objs.get("LLMInferenceService", [])}
