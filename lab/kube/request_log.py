"""What the lab's API server counts (GET /_lab/requests): the suite checks it was never
mutated, and that a log follow is one long answer."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class RequestLog:
    """What the lab's API saw: totals per verb, every refused mutation, and the pod log reads
    (`once` or `follow`: a follow is one long answer, not a poll)."""

    total: int = 0
    by_verb: dict[str, int] = field(default_factory=dict)
    mutations: list[str] = field(default_factory=list)
    # "once NS/POD/CONTAINER" or "follow NS/POD/CONTAINER" (+ " previous") -> how many
    log_reads: dict[str, int] = field(default_factory=dict)
    lists: list[str] = field(default_factory=list)  # every LIST's path, in order
    watches: list[str] = field(default_factory=list)  # every WATCH's path and resourceVersion
    # GETs of one object, by kind ("services" -> how many): what a sweep asks one by one
    gets: dict[str, int] = field(default_factory=dict)
    # POSTs by the last part of their path ("selfsubjectaccessreviews" -> how many): the
    # reviews the tool asks, apart from those the lab's own proxies ask
    posts: dict[str, int] = field(default_factory=dict)
