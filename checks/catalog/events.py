"""events: warning events of the last hour on the deployment, its pods and its runtime."""

from __future__ import annotations

from datetime import timedelta

from checks import resources
from checks.engine.context import CheckContext
from checks.engine.runner import Outcome
from checks.errors import KubeError

WINDOW = timedelta(hours=1)


class RecentEvents:
    id = "events"
    title = "Warning events (last hour)"
    depends_on: tuple[str, ...] = ()

    async def run(self, ctx: CheckContext) -> Outcome:
        if "events" in ctx.snapshot.errors:
            raise KubeError("forbidden", ctx.snapshot.error_line("events") or "forbidden")
        dep = ctx.deployment
        names = {dep.name, dep.runtime, *(p.name for p in ctx.pods)}
        if dep.platform == resources.MODELMESH:
            names.add(f"modelmesh-serving-{dep.runtime}")
        since = ctx.now - WINDOW
        warnings = [
            e
            for e in ctx.snapshot.events_for(dep.namespace, names)
            if e.is_warning and (e.last_seen is None or e.last_seen >= since)
        ]
        if not warnings:
            return Outcome.passed("no warning events in the last hour")
        lines = [
            f"{resources.age(e.last_seen, ctx.now)} ago  {e.reason} ({e.count}x) on "
            f"{e.involved_kind.lower()}/{e.involved_name}: {e.message}"
            for e in warnings
        ]
        first = warnings[0]
        return Outcome.warned(
            f"{len(warnings)} warning event(s); latest: {first.reason}: {first.message}",
            f"Read them in the events pane or `oc get events -n {dep.namespace}`.",
            *lines,
        )
