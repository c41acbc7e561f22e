"""What each part of a bundle must be, checked when it is read: a list where the layout has a
list, an object with a name where the checks read one, a fact that decodes. A bundle that is not
is one line naming the file and the field (a malformed bundle never reaches the checks)."""

from __future__ import annotations

import binascii
from typing import Any

from checks.capture import facts_codec
from checks.capture.model import LogKey
from checks.cluster.kube import Raw
from checks.errors import DoctorError

_WORDS = {dict: "an object", list: "a list", str: "a string", bool: "true or false"}


class BadBundle(ValueError):
    """What is wrong, in words, naming the file (the reader adds the bundle's path)."""


def kind(value: Any, wanted: type, where: str) -> Any:
    if not isinstance(value, wanted):
        raise BadBundle(f"{where} is not {_WORDS.get(wanted, wanted.__name__)}")
    return value


def strings(value: Any, where: str) -> list[str]:
    value = kind(value or [], list, where)
    for item in value:
        kind(item, str, f"{where} entry")
    return value


def objects(value: Any, where: str) -> list[Raw]:
    """A LIST's items: each an object whose metadata names it."""
    for index, item in enumerate(kind(value, list, where)):
        meta = item.get("metadata") if isinstance(item, dict) else None
        if not isinstance(meta, dict) or not isinstance(meta.get("name"), str):
            raise BadBundle(f"{where}: item {index} is not an object with a metadata.name")
    return value


def facts(value: dict[str, Any], where: str) -> dict[str, Any]:
    """Recorded facts decode now, so a broken one is this line, not a crash mid-diagnosis."""
    for key, fact in value.items():
        try:
            facts_codec.decode(fact)
        except DoctorError as error:
            raise BadBundle(f"{where}: fact {key!r}: {error.message}") from None
        except (KeyError, TypeError, ValueError, AttributeError, binascii.Error) as error:
            raise BadBundle(
                f"{where}: fact {key!r} is malformed ({type(error).__name__})"
            ) from None
    return value


def log_entry(entry: Any) -> tuple[LogKey, str]:
    where = "manifest.json: logs entry"
    entry = kind(entry, dict, where)
    for key in ("namespace", "pod", "container", "path"):
        kind(entry.get(key), str, f"{where} {key}")
    previous = kind(entry.get("previous", False), bool, f"{where} previous")
    return LogKey(entry["namespace"], entry["pod"], entry["container"], previous), entry["path"]


def depth(value: Any) -> int:
    """How deep lists and objects nest, without recursion (a deep file must not crash this)."""
    deepest = 0
    stack = [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, level)
        stack.extend((child, level + 1) for child in children)
    return deepest
