"""Re-diagnose one deployment whenever its objects change, until it is healthy or time is up:
the timeline `check --watch` prints and the console's diagnosis `w` shows under its report
(`10:04:12 pod iris-predictor-…-x2x9q CrashLoopBackOff → Running`, `10:04:30 verdict fail → pass`).

The project is watched through the session's informers; each diagnosis runs on their snapshot
(no LIST per change). Every line is one line and shown, never obeyed (checks.text)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from checks.cluster.concerns import concerns, describe
from checks.cluster.snapshot_kinds import UNREACHABLE
from checks.cluster.watch import Change
from checks.errors import DoctorError, ErrorKind, ExitCode
from checks.text import one_line

if TYPE_CHECKING:
    from checks.cluster.live_project import LiveProject
    from checks.engine.runner import Report
    from checks.session import Session

RECHECK_S = 30.0  # with no change to the objects, diagnosed again this often
QUIET_S = 0.5  # a rollout changes several objects at once: diagnose once they settle
SETTLE_MAX_S = 3.0


@dataclass(frozen=True)
class Moment:
    text: str
    at: float = field(default_factory=time.time)

    def line(self) -> str:
        return f"{time.strftime('%H:%M:%S', time.localtime(self.at))} {one_line(self.text)}"


def healthy(report: Report, fail_on_warn: bool = False) -> bool:
    from checks.engine.runner import exit_code_for

    return exit_code_for([report], fail_on_warn=fail_on_warn) == ExitCode.OK


def duration_words(seconds: float) -> str:
    return f"{seconds / 60:g}m" if seconds >= 60 and seconds % 60 == 0 else f"{seconds:g}s"


async def watch_until_healthy(
    session: Session,
    namespace: str,
    name: str,
    *,
    timeout_s: float,
    on_report: Callable[[Report], None],
    on_moment: Callable[[Moment], None],
    fail_on_warn: bool = False,
) -> Report:
    """The first report (handed to `on_report`), then a Moment per change and per verdict that
    changed; returns the last report, healthy or the one standing when time ran out."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout_s
    changes: asyncio.Queue[Change] = asyncio.Queue()
    synced = asyncio.Event()
    holder: list[LiveProject] = []

    def heard(change: Change | None) -> None:
        # informers shared with a screen may be synced already: ask them, not the news
        if not holder or not holder[0].synced:
            return  # the first LISTs' objects are not changes
        if change is None:
            synced.set()
        else:
            changes.put_nowait(change)

    live = session.live_project(namespace, heard)
    holder.append(live)
    try:
        await _until_synced(live, synced, deadline)
        snapshot = live.snapshot()
        report = await session.diagnose(namespace, name, snapshot=snapshot)
        on_report(report)
        dep = snapshot.any_deployment(name, namespace)
        if healthy(report, fail_on_warn) or dep is None:
            return report
        on_moment(
            Moment(
                f"verdict {report.verdict}: watching {namespace}/{name} for changes "
                f"(until it passes, at most {duration_words(timeout_s)})"
            )
        )
        while not healthy(report, fail_on_warn):
            remaining = deadline - loop.time()
            batch = await _next_changes(changes, min(RECHECK_S, remaining))
            if batch is None and remaining > RECHECK_S:
                # what no object shows changes too (a file uploaded to the bucket, a route's
                # certificate, a change the watch was still catching up on): look again
                report = await _again(session, namespace, name, live, report, on_moment)
                continue
            if batch is None:
                on_moment(
                    Moment(f"gave up after {duration_words(timeout_s)}: verdict {report.verdict}")
                )
                break
            mine = [c for c in batch if concerns(dep, c.kind, c.obj)]
            for change in mine:
                deleted = change.type == "DELETED"
                on_moment(
                    Moment(describe(change.kind, change.obj, change.before, deleted), change.at)
                )
            if not mine:
                continue
            report = await _again(session, namespace, name, live, report, on_moment)
        return report
    finally:
        live.close()


async def _again(
    session: Session,
    namespace: str,
    name: str,
    live: LiveProject,
    before: Report,
    on_moment: Callable[[Moment], None],
) -> Report:
    report = await session.diagnose(namespace, name, snapshot=live.snapshot())
    roots, old_roots = report.root_causes, before.root_causes
    if report.verdict != before.verdict:
        cause = f" (root cause {roots[0].id}: {roots[0].summary})" if roots else ""
        on_moment(Moment(f"verdict {before.verdict} → {report.verdict}{cause}"))
    elif roots and (not old_roots or roots[0].summary != old_roots[0].summary):
        on_moment(Moment(f"verdict still {report.verdict}: {roots[0].id}: {roots[0].summary}"))
    return report


async def _until_synced(live: LiveProject, synced: asyncio.Event, deadline: float) -> None:
    """Every kind listed once; a cluster that cannot be read is said as for `check`."""
    loop = asyncio.get_running_loop()
    while not synced.is_set():
        if live.synced:
            return
        failed = [i.error for i in live.informers if i.error and not i.synced.is_set()]
        unreachable = [e for e in failed if e.kind in UNREACHABLE]
        if unreachable:
            raise unreachable[0]
        if loop.time() > deadline:
            raise DoctorError(ErrorKind.TIMEOUT, f"could not list {live.namespace} in time")
        try:
            await asyncio.wait_for(synced.wait(), 0.1)
        except TimeoutError:
            pass


async def _next_changes(changes: asyncio.Queue[Change], remaining: float) -> list[Change] | None:
    """The next change and those right behind it (None: time is up)."""
    if remaining <= 0:
        return None
    try:
        batch = [await asyncio.wait_for(changes.get(), remaining)]
    except TimeoutError:
        return None
    settle = asyncio.get_running_loop().time() + SETTLE_MAX_S
    while (left := settle - asyncio.get_running_loop().time()) > 0:
        try:
            batch.append(await asyncio.wait_for(changes.get(), min(QUIET_S, left)))
        except TimeoutError:
            break
    return batch
