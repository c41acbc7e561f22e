"""Keeps the lab alive: crash-looping containers restart again and their BackOff events count up,
as on a real cluster, so watches and "updated Ns ago" have something to show."""

from __future__ import annotations

import asyncio
import copy

from lab.kube.kinds import kind_by_name
from lab.kube.store import Store, now_rfc3339

TICK_SECONDS = 20.0


def tick(store: Store) -> int:
    """One round of restarts; returns how many containers restarted."""
    restarted = 0
    crashing: set[tuple[str, str]] = set()
    for pod in store.list(kind_by_name("Pod")):
        statuses = [
            *pod["status"].get("initContainerStatuses", []),
            *pod["status"].get("containerStatuses", []),
        ]
        looping = [
            s
            for s in statuses
            if (s.get("state") or {}).get("waiting", {}).get("reason") == "CrashLoopBackOff"
        ]
        if not looping:
            continue
        updated = copy.deepcopy(pod)
        for status in [
            *updated["status"].get("initContainerStatuses", []),
            *updated["status"].get("containerStatuses", []),
        ]:
            if (status.get("state") or {}).get("waiting", {}).get("reason") == "CrashLoopBackOff":
                status["restartCount"] = int(status.get("restartCount") or 0) + 1
                restarted += 1
        store.put(updated)
        crashing.add((pod["metadata"]["namespace"], pod["metadata"]["name"]))
    for event in store.list(kind_by_name("Event")):
        involved = event.get("involvedObject") or {}
        if (
            event.get("reason") == "BackOff"
            and (involved.get("namespace"), involved.get("name")) in crashing
        ):
            updated = copy.deepcopy(event)
            updated["count"] = int(updated.get("count") or 1) + 1
            updated["lastTimestamp"] = now_rfc3339()
            store.put(updated)
    return restarted


async def run_ticker(store: Store, every: float = TICK_SECONDS) -> None:
    while True:
        await asyncio.sleep(every)
        tick(store)
