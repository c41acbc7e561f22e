"""YAML from a capture is untrusted: an alias bomb expands without end, a 60 MB file of tiny
nodes costs gigabytes as Python objects. So documents are built here straight from the parser's
events (no node graph kept), refusing aliases (oc never writes one), and counting every node and
the depth against caps shared by the whole capture: a hostile file is one line, never a hang."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml
from yaml import events
from yaml.nodes import ScalarNode

MAX_NODES = 4_000_000  # every scalar, list and mapping of one capture
MAX_DEPTH = 100  # a Kubernetes object nests a few dozen levels at most
_DEFAULT_TAGS = {
    events.SequenceStartEvent: "tag:yaml.org,2002:seq",
    events.MappingStartEvent: "tag:yaml.org,2002:map",
}


class UnsafeYaml(yaml.YAMLError):
    """A document the capture reader refuses to build; its text is one line."""


@dataclass
class YamlBudget:
    """Nodes left to build for one capture (every file draws on it)."""

    nodes: int = MAX_NODES
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
        value = _build(loader, budget)
        loader.get_event()  # DocumentEnd
        if not loader.check_event(events.StreamEndEvent):
            raise UnsafeYaml("more than one YAML document in the file")
        return value
    finally:
        loader.dispose()


def _build(loader: Any, budget: YamlBudget) -> Any:
    """One node and everything under it, with an explicit stack (no recursion limit to hit)."""
    stack: list[list[Any]] = []  # [container, pending mapping key or _NO_KEY]
    while True:
        event = loader.get_event()
        if isinstance(event, events.AliasEvent):
            raise UnsafeYaml(f"a YAML alias (*{event.anchor}) at {_where(event)}: not read")
        budget.nodes -= 1
        if budget.nodes < 0:
            raise UnsafeYaml(f"more than {MAX_NODES:,} YAML nodes in the capture")
        if isinstance(event, (events.SequenceStartEvent, events.MappingStartEvent)):
            if event.tag not in (None, "!", _DEFAULT_TAGS[type(event)]):
                raise UnsafeYaml(f"YAML tag {event.tag} at {_where(event)}: not read")
            if len(stack) >= budget.depth:
                raise UnsafeYaml(f"YAML nested deeper than {budget.depth} levels")
            container: Any = [] if isinstance(event, events.SequenceStartEvent) else {}
            stack.append([container, _NO_KEY])
            continue
        if isinstance(event, (events.SequenceEndEvent, events.MappingEndEvent)):
            budget.nodes += 1  # an end is no node
            value = stack.pop()[0]
        elif isinstance(event, events.ScalarEvent):
            value = _scalar(loader, event)
        else:
            raise UnsafeYaml(f"unexpected YAML at {_where(event)}")
        if not stack:
            return value
        top = stack[-1]
        if isinstance(top[0], list):
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
    """A scalar typed as the safe loader types it (int, bool, null, timestamp, ...)."""
    tag = event.tag
    if tag is None or tag == "!":
        tag = loader.resolve(ScalarNode, event.value, event.implicit)
    node = ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
    construct = loader.yaml_constructors.get(tag) or loader.yaml_constructors[None]
    return construct(loader, node)


def _where(event: events.Event) -> str:
    mark = event.start_mark
    return f"line {mark.line + 1}" if mark is not None else "an unknown line"
