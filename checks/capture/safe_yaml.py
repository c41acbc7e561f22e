"""YAML from a capture is untrusted: an alias bomb expands without end, a 60 MB file of tiny
nodes costs gigabytes as Python objects. So documents are built here straight from the parser's
events (no node graph kept), refusing aliases (oc never writes one), and counting every node and
the depth against caps shared by the whole capture: a hostile file is one line, never a hang."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import yaml
from yaml import events
from yaml.nodes import ScalarNode

MAX_NODES = 8_000_000  # every scalar, list and mapping kept (~600 MB at worst: empty dicts)
MAX_FILE_NODES = 2_000_000  # one file (a namespace's pods.yaml of 1,000 pods is ~400,000)
MAX_DEPTH = 100  # a Kubernetes object nests a few dozen levels at most
_DEFAULT_TAGS = {
    events.SequenceStartEvent: "tag:yaml.org,2002:seq",
    events.MappingStartEvent: "tag:yaml.org,2002:map",
}


class UnsafeYaml(yaml.YAMLError):
    """A document the capture reader refuses to build; its text is one line."""


class _TooMany(Exception):
    """The node budget ran out (the caller says which one)."""


@dataclass
class YamlBudget:
    """Nodes left to build for one capture: every file kept draws on it (a refused file is
    dropped, so it costs nothing and the next project's files still read)."""

    nodes: int = MAX_NODES
    per_file: int = MAX_FILE_NODES
    depth: int = MAX_DEPTH


def load_yaml(data: bytes | str, budget: YamlBudget | None = None) -> Any:
    """The one document in `data` (None when there is none), as yaml.safe_load builds it."""
    budget = budget if budget is not None else YamlBudget()
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(data)
    try:
        loader.get_event()  # StreamStart
        if loader.check_event(events.StreamEndEvent):
            return None
        loader.get_event()  # DocumentStart
        allowed = min(budget.nodes, budget.per_file)
        try:
            value, left = _build(loader, allowed, budget.depth)
        except _TooMany:
            if allowed < budget.per_file:
                raise UnsafeYaml(f"the capture holds more than {MAX_NODES:,} YAML nodes") from None
            raise UnsafeYaml(f"more than {budget.per_file:,} YAML nodes in one file") from None
        budget.nodes -= allowed - left
        loader.get_event()  # DocumentEnd
        if not loader.check_event(events.StreamEndEvent):
            raise UnsafeYaml("more than one YAML document in the file")
        return value
    finally:
        loader.dispose()


def _build(loader: Any, left: int, depth: int) -> tuple[Any, int]:
    """One node and everything under it, with an explicit stack (no recursion limit to hit),
    and how many of the `left` nodes it did not use."""
    stack: list[list[Any]] = []  # [container, pending mapping key or _NO_KEY]
    get_event = loader.get_event
    while True:
        event = get_event()
        kind = type(event)
        if kind is events.ScalarEvent:
            left -= 1
            if left < 0:
                raise _TooMany
            value = _scalar(loader, event)
        elif kind is events.SequenceStartEvent or kind is events.MappingStartEvent:
            left -= 1
            if left < 0:
                raise _TooMany
            if event.tag not in (None, "!", _DEFAULT_TAGS[kind]):
                raise UnsafeYaml(f"YAML tag {event.tag} at {_where(event)}: not read")
            if len(stack) >= depth:
                raise UnsafeYaml(f"YAML nested deeper than {depth} levels")
            stack.append([[] if kind is events.SequenceStartEvent else {}, _NO_KEY])
            continue
        elif kind is events.SequenceEndEvent or kind is events.MappingEndEvent:
            value = stack.pop()[0]  # an end is no node
        elif kind is events.AliasEvent:
            raise UnsafeYaml(f"a YAML alias (*{event.anchor}) at {_where(event)}: not read")
        else:
            raise UnsafeYaml(f"unexpected YAML at {_where(event)}")
        if not stack:
            return value, left
        top = stack[-1]
        if top[0].__class__ is list:
            top[0].append(value)
        elif top[1] is _NO_KEY:
            if isinstance(value, (list, dict)):
                raise UnsafeYaml(f"a YAML mapping key that is not a scalar at {_where(event)}")
            top[1] = value
        else:
            top[0][top[1]] = value
            top[1] = _NO_KEY


_NO_KEY = object()


def _scalar(loader: Any, event: events.ScalarEvent) -> Any:
    """A scalar typed as the safe loader types it (int, bool, null, timestamp, ...). An untagged
    one's value depends on its text and style alone, so it is built once per text: a capture
    repeats the same few thousand ("True", "0", image names) hundreds of thousands of times."""
    tag = event.tag
    untagged = tag is None or tag == "!"
    if untagged:
        key = (event.value, event.implicit)
        if key in _KNOWN:
            return _KNOWN[key]
        tag = loader.resolve(ScalarNode, event.value, event.implicit)
    node = ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
    construct = loader.yaml_constructors.get(tag) or loader.yaml_constructors[None]
    value = construct(loader, node)
    if untagged and type(value) in _IMMUTABLE:
        if len(_KNOWN) >= _KNOWN_MAX:
            _KNOWN.clear()
        _KNOWN[key] = value
    return value


_KNOWN: dict[tuple[str, tuple[bool, bool]], Any] = {}
_KNOWN_MAX = 65_536  # texts kept (a few MB at most), then forgotten all at once
_IMMUTABLE = (str, int, float, bool, type(None), datetime.date, datetime.datetime)


def _where(event: events.Event) -> str:
    mark = event.start_mark
    return f"line {mark.line + 1}" if mark is not None else "an unknown line"
