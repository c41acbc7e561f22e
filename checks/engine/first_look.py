"""A sweep's first look: the checks that judge the cluster's objects (runtime, pods, status,
events, migration) run, the ones that probe S3, a URI, a registry, a route or a model's proxy
stand aside until the whole diagnosis. A first look that fails is a failure whatever the
probes say later (their failure only becomes the root cause); one that passes proves nothing
yet. The console shows a fleet's failures this way in a second instead of after every probe."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from checks.engine.runner import Check, Outcome

# Checks whose answer needs a request outside the API server (S3, URI, registry, route, proxy).
PROBING = frozenset(
    {"data-connection", "bucket-path", "model-format", "route", "auth", "token", "input-shape"}
)
LATER = "not yet: the S3 and route probes come after the first look"


@dataclass(frozen=True)
class Later:
    """A probing check's place in the graph: a skip, which blocks nothing."""

    id: str
    title: str
    depends_on: tuple[str, ...]
    not_for: dict[str, str] = field(default_factory=dict)

    async def run(self, ctx: Any) -> Outcome:
        return Outcome.skipped(LATER)


def first_look(catalog: Iterable[Check]) -> tuple[Check, ...]:
    """The catalog with every probing check standing aside (same ids, same dependencies)."""
    return tuple(
        Later(c.id, c.title, c.depends_on, dict(getattr(c, "not_for", None) or {}))
        if c.id in PROBING
        else c
        for c in catalog
    )
