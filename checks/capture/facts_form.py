"""The JSON form of the facts a must-gather yields (its project, llm-d's Gateway API lookups),
in the tagged shape rhoai-doctor's bundles record facts in (`{"$t": "obj", "cls": ..., "f": ...}`,
`{"$t": "datetime", "v": ...}`), so one decoder reads both kinds of capture. The bundle's codec
(checks.capture.facts_codec) decodes them when this build has it; otherwise the two types read
here are decoded here, and any other tagged value is left as it is."""

from __future__ import annotations

import dataclasses
import importlib
from datetime import datetime
from typing import Any

from checks import resources
from checks.engine.gateway import Lookup

TAG = "$t"
KNOWN: dict[str, type] = {
    f"{resources.Project.__module__}.{resources.Project.__qualname__}": resources.Project,
    f"{Lookup.__module__}.{Lookup.__qualname__}": Lookup,
}


def _encode(value: Any) -> Any:
    if isinstance(value, datetime):
        return {TAG: "datetime", "v": value.isoformat()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        cls = type(value)
        fields = {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return {TAG: "obj", "cls": f"{cls.__module__}.{cls.__qualname__}", "f": fields}
    return value


def project_fact(namespace: resources.Raw) -> dict:
    """The `project` fact (migration reads its modelmesh-enabled label) from oc's Namespace."""
    return _encode(resources.Project.parse(namespace))


def lookup_fact(what: str, raw: resources.Raw) -> dict:
    """A `httproutes:ns/name` (gateways:, authpolicies:) fact: the object as found."""
    return _encode(Lookup(what, raw=raw))


def decode_fact(value: Any) -> Any:
    try:
        codec = importlib.import_module("checks.capture.facts_codec")
    except ImportError:
        codec = None
    if codec is not None and hasattr(codec, "decode"):
        return codec.decode(value)
    return _decode(value)


def _decode(value: Any) -> Any:
    if not isinstance(value, dict) or TAG not in value:
        return value
    if value[TAG] == "datetime":
        return datetime.fromisoformat(value["v"])
    cls = KNOWN.get(str(value.get("cls"))) if value[TAG] == "obj" else None
    if cls is None:
        return value
    return cls(**{k: _decode(v) for k, v in (value.get("f") or {}).items()})
