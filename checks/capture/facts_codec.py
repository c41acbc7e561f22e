"""Fact values <-> JSON, so a live run's facts (an S3 listing, a route probe, a recorded error)
can be written into a bundle and decoded back into the very types the checks read.

JSON-native values stay as they are. Everything else is tagged with "$t":
    {"$t": "tuple", "v": [...]}            tuples (facts return (key, signature), (parent, entries))
    {"$t": "frozenset", "v": [...]}
    {"$t": "bytes", "b64": "..."}          an object's first bytes (file heads)
    {"$t": "datetime", "v": "ISO 8601"}
    {"$t": "dict", "v": {...}}             a dict that itself has a "$t" key
    {"$t": "obj", "cls": "checks.x.Y", "f": {...}}   a dataclass of ours, by field
    {"$t": "error", "cls": "checks.x.E", "kind": "...", "message": "...", "attrs": {...}}

Only classes under `checks.` are decoded (a bundle is data from someone else: it names no code
outside ours); anything else becomes a one-line DoctorError, never an import of theirs.
"""

from __future__ import annotations

import base64
import dataclasses
import importlib
from datetime import datetime
from typing import Any

from checks.capture.former_names import current_name
from checks.errors import DoctorError, ErrorKind

TAG = "$t"


def encode(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, bytes | bytearray | memoryview):
        return {TAG: "bytes", "b64": base64.b64encode(bytes(value)).decode()}
    if isinstance(value, tuple):
        return {TAG: "tuple", "v": [encode(v) for v in value]}
    if isinstance(value, frozenset | set):
        return {TAG: "frozenset", "v": sorted((encode(v) for v in value), key=repr)}
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, datetime):
        return {TAG: "datetime", "v": value.isoformat()}
    if isinstance(value, dict):
        plain = {str(k): encode(v) for k, v in value.items()}
        return {TAG: "dict", "v": plain} if TAG in plain else plain
    if isinstance(value, BaseException):
        return encode_error(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return {TAG: "obj", "cls": _name(type(value)), "f": fields}
    return str(value)  # an odd value is kept as words, not lost


def encode_error(error: BaseException) -> dict:
    attrs = {
        k: encode(v)
        for k, v in vars(error).items()
        if k not in ("kind", "message") and not k.startswith("_")
    }
    kind = str(getattr(error, "kind", ErrorKind.BAD_RESPONSE))
    message = getattr(error, "message", None) or str(error) or type(error).__name__
    return {
        TAG: "error",
        "cls": _name(type(error)),
        "kind": kind,
        "message": message,
        "attrs": attrs,
        "finding": getattr(error, "_finding", None),  # a finding (exit 1) by choice, not by kind
    }


def decode(value: Any) -> Any:
    if isinstance(value, list):
        return [decode(v) for v in value]
    if not isinstance(value, dict):
        return value
    tag = value.get(TAG)
    if tag is None:
        return {k: decode(v) for k, v in value.items()}
    if tag == "tuple":
        return tuple(decode(v) for v in value["v"])
    if tag == "frozenset":
        return frozenset(decode(v) for v in value["v"])
    if tag == "bytes":
        return base64.b64decode(value["b64"])
    if tag == "datetime":
        return datetime.fromisoformat(value["v"])
    if tag == "dict":
        return {k: decode(v) for k, v in value["v"].items()}
    if tag == "obj":
        cls = _class(value["cls"])
        if not dataclasses.is_dataclass(cls):
            raise _bad(f"{value['cls']} is not a recorded value type")
        fields = {k: decode(v) for k, v in value["f"].items()}
        return cls(**fields)  # type: ignore[operator]
    if tag == "error":
        return decode_error(value)
    raise _bad(f"unknown value tag {tag!r}")


def decode_error(value: dict) -> DoctorError:
    """The recorded error as the same class, kind and words (its extra attributes too)."""
    try:
        cls = _class(value["cls"])
    except DoctorError:
        cls = DoctorError
    if not (isinstance(cls, type) and issubclass(cls, DoctorError)):
        cls = DoctorError
    error = cls.__new__(cls)
    Exception.__init__(error, value["message"])
    try:
        error.kind = ErrorKind(value["kind"])
    except ValueError:
        error.kind = ErrorKind.BAD_RESPONSE
    error.message = value["message"]
    finding = value.get("finding")
    error._finding = finding if isinstance(finding, bool) else None
    for key, attr in (value.get("attrs") or {}).items():
        setattr(error, key, decode(attr))
    return error


def _name(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def _class(name: str) -> Any:
    module, _, attr = name.rpartition(".")
    if not module.startswith("checks.") and module != "checks":
        raise _bad(f"{name} is not one of rhoai-doctor's types")
    for candidate in (name, current_name(name)):  # a bundle from before checks/ had rooms
        if candidate is None:
            continue
        module, _, attr = candidate.rpartition(".")
        try:
            return getattr(importlib.import_module(module), attr)
        except (ImportError, AttributeError):
            continue
    raise _bad(f"{name} is not known to this rhoai-doctor version")


def _bad(line: str) -> DoctorError:
    return DoctorError(
        ErrorKind.CORRUPT, f"the capture's facts cannot be read: {line}", finding=False
    )
