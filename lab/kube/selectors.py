"""Label and field selectors, parsed the way the API server parses them."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any


class SelectorError(ValueError):
    """A selector the API server would reject with 400 BadRequest."""


@dataclass(frozen=True)
class Requirement:
    key: str
    operator: str  # "=", "!=", "in", "notin", "exists", "!exists"
    values: tuple[str, ...] = ()

    def matches(self, value: str | None) -> bool:
        if self.operator == "exists":
            return value is not None
        if self.operator == "!exists":
            return value is None
        if self.operator in ("=", "in"):
            return value is not None and value in self.values
        # "!=" and "notin" match objects that lack the key, as in Kubernetes.
        return value is None or value not in self.values


_SET_RE = re.compile(r"^\s*([^\s!=]+)\s+(in|notin)\s+\(([^)]*)\)\s*$")
_EQ_RE = re.compile(r"^\s*([^\s!=]+)\s*(==|=|!=)\s*([^\s]*)\s*$")


def _split_terms(selector: str) -> list[str]:
    """Split on commas that are not inside a set's parentheses."""
    terms, depth, current = [], 0, ""
    for char in selector:
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        if char == "," and depth == 0:
            terms.append(current)
            current = ""
        else:
            current += char
    terms.append(current)
    return [t for t in (term.strip() for term in terms) if t]


def parse_label_selector(selector: str | None) -> list[Requirement]:
    requirements = []
    for term in _split_terms(selector or ""):
        if match := _SET_RE.match(term):
            values = tuple(v.strip() for v in match.group(3).split(",") if v.strip())
            requirements.append(Requirement(match.group(1), match.group(2), values))
        elif match := _EQ_RE.match(term):
            operator = "!=" if match.group(2) == "!=" else "="
            requirements.append(Requirement(match.group(1), operator, (match.group(3),)))
        elif term.startswith("!") and re.fullmatch(r"![\w./-]+", term):
            requirements.append(Requirement(term[1:], "!exists"))
        elif re.fullmatch(r"[\w./-]+", term):
            requirements.append(Requirement(term, "exists"))
        else:
            raise SelectorError(f"unable to parse requirement: {term!r}")
    return requirements


def parse_field_selector(selector: str | None) -> list[Requirement]:
    requirements = []
    for term in _split_terms(selector or ""):
        match = _EQ_RE.match(term)
        if not match:
            raise SelectorError(f"invalid selector: '{selector}'; can't understand '{term}'")
        operator = "!=" if match.group(2) == "!=" else "="
        requirements.append(Requirement(match.group(1), operator, (match.group(3),)))
    return requirements


def _field_value(obj: Mapping[str, Any], path: str) -> str | None:
    node: Any = obj
    for part in path.split("."):
        if not isinstance(node, Mapping) or part not in node:
            return None
        node = node[part]
    if node is None or isinstance(node, Mapping | list):
        return None if node is None else str(node)
    return str(node)


def label_matcher(selector: str | None) -> Callable[[Mapping[str, Any]], bool]:
    requirements = parse_label_selector(selector)

    def matches(obj: Mapping[str, Any]) -> bool:
        labels = (obj.get("metadata") or {}).get("labels") or {}
        return all(req.matches(labels.get(req.key)) for req in requirements)

    return matches


def field_matcher(selector: str | None) -> Callable[[Mapping[str, Any]], bool]:
    requirements = parse_field_selector(selector)

    def matches(obj: Mapping[str, Any]) -> bool:
        # A missing field compares as the empty string, as the API server's field sets do.
        return all(req.matches(_field_value(obj, req.key) or "") for req in requirements)

    return matches
