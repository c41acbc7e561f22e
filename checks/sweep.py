"""`check --all` over many projects: every check for every deployment, with bounded concurrency.

Projects are loaded a few at a time (one snapshot each, shared by every deployment in it and
dropped once they are diagnosed, so memory follows the window, not the fleet); deployments are
diagnosed a bounded number at a time across projects, which bounds the S3 and route probes in
flight; every request goes through the session's shared clients. Reports are handed on in the
order a one-after-another sweep gives them (projects in order, deployments in snapshot order)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from checks.errors import KubeError

if TYPE_CHECKING:  # `check`'s flags name the limits; the engine loads when a sweep runs
    from checks.cluster.all_namespaces import ClusterLists
    from checks.cluster.snapshot import Snapshot
    from checks.engine.runner import Check, Report
    from checks.resources.fleet import Diagnosed
    from checks.session import Session

PROJECTS_AT_ONCE = 64  # snapshots alive at once: the memory bound
DEPLOYMENT_KINDS = ("inferenceservices", "llminferenceservices")
DEPLOYMENTS_AT_ONCE = 128  # diagnoses in flight: bounds S3 listings, model reads, route probes; a
# diagnosis waits on a chain of ~10 answers, so at 100 ms each 64 at once once left the CPU idle.
# Wider is no quicker where the CPU is the limit (1,000 at 100 ms: 64, 128 and 256 alike), and
# each request then waits longer for the loop: at 256, with a TLS connection per route host,
# 1-2 routes in 1,000 were reported "did not answer within 10 s" on a busy 2-core machine.


@dataclass(frozen=True)
class Swept:
    """One finished report, with where it stands in the sweep (`total` None: not known)."""

    index: int  # 1-based, in output order
    total: int | None
    report: Report


@dataclass(frozen=True)
class SweepLimits:
    """How much runs at once; 1 and 1 is the one-after-another sweep."""

    projects: int = PROJECTS_AT_ONCE
    deployments: int = DEPLOYMENTS_AT_ONCE


async def fleet_size(session: Session) -> int | None:
    """How many deployments an all-projects sweep will diagnose, from one LIST per kind; None
    when the user may not list them across projects (the progress line then shows no total)."""
    try:
        return len(await session.all_deployments())
    except KubeError:
        return None


class HelperLost(Exception):
    """The process a project was sent to ended before it answered for it: diagnose it here."""


class Elsewhere(Protocol):
    """Other processes that diagnose projects too (checks/sweep_helper.py): the sweep's CPU on
    more than one core. `share` starts them and says the limits this process keeps (the width
    is split between the processes); `claim` is asked before this process starts a project
    (False: another has it); `listed` hands on what this process listed across namespaces, so
    they list nothing; `project` is such a project's reports and unreadable lines, or
    its error raised, or HelperLost."""

    async def share(self, namespaces: list[str], limits: SweepLimits) -> SweepLimits: ...

    def listed(self, lists: ClusterLists | None) -> None: ...

    def claim(self, namespace: str) -> bool: ...

    async def project(self, namespace: str) -> tuple[list[Report], list[str]]: ...

    async def close(self) -> None: ...


class ProjectSweep:
    """One project at a time, as many at once as the limits allow: its snapshot (from lists
    made once across projects when there are many), then its deployments diagnosed a bounded
    number at a time. The same in the sweep's own process and in a helper."""

    def __init__(
        self,
        session: Session,
        limits: SweepLimits,
        checks: tuple[Check, ...] | None = None,
        on_landed: Callable[[Report], None] | None = None,
    ) -> None:
        self.session = session
        self.limits = limits
        self.checks = checks
        self.on_landed = on_landed
        self.cluster: ClusterLists | None = None
        self.narrow(limits)
        self._mesh = session.shared_mesh_routes()

    def narrow(self, limits: SweepLimits) -> None:
        """New limits, before any project starts (the width shared with helper processes)."""
        self.limits = limits
        self._projects = asyncio.Semaphore(max(1, limits.projects))
        self._deployments = asyncio.Semaphore(max(1, limits.deployments))

    async def load(self, namespaces: list[str], listed: dict | None = None) -> None:
        """Many projects: each kind listed once across them (one project: its own lists), or
        taken from what another process `listed` (ClusterLists.handed_on)."""
        if listed is not None or (len(namespaces) > 1 and self.limits.deployments > 1):
            self.cluster = self.session.cluster_lists()
            if self.cluster is not None and listed is not None:
                self.cluster.take(listed)
            elif self.cluster is not None:
                await self.cluster.load()

    async def project(
        self,
        namespace: str,
        on_names: Callable[[int], None] | None = None,
        claim: Callable[[str], bool] | None = None,
    ) -> tuple[list[Report], list[str]] | None:
        """The project's reports in snapshot order, and why some may be missing; None when
        `claim`, asked as its turn comes, says another process has it."""
        async with self._projects:
            if claim is not None and not claim(namespace):
                return None
            if self.cluster is not None:
                snapshot = await self.cluster.snapshot(namespace)
            else:
                snapshot = await self.session.snapshot(namespace, mesh=self._mesh)
            snapshot.raise_if_unreachable()

            async def one(name: str) -> Report:
                async with self._deployments:
                    report = await self.session.diagnose(
                        namespace, name, snapshot=snapshot, checks=self.checks
                    )
                if self.on_landed is not None:
                    self.on_landed(report)
                return report

            names = [dep.name for dep in snapshot.all_deployments]
            unread = unread_deployments(snapshot)
            if on_names is not None:
                on_names(len(names))
            if self.limits.deployments == 1:  # strictly one after another, as before the sweep
                return [await one(name) for name in names], unread
            return list(await asyncio.gather(*(one(name) for name in names))), unread


async def sweep(
    session: Session,
    namespaces: list[str],
    *,
    limits: SweepLimits = SweepLimits(),
    count: bool = False,
    on_report: Callable[[Swept], None] | None = None,
    unreadable: list[str] | None = None,
    checks: tuple[Check, ...] | None = None,
    on_landed: Callable[[Report], None] | None = None,
    elsewhere: Elsewhere | None = None,
) -> list[Report]:
    """Every deployment of every project in `namespaces`, diagnosed; reports in order. With
    `count`, each report says how many there are in all (for a progress line). `unreadable`
    gets one line per deployment LIST or object that could not be read, so no face says
    "no deployments" when there were some it could not read. `checks` runs those instead of
    the catalog (the console's first look); `on_landed` gets each report as soon as it is
    made, in no particular order (the console's rows). `elsewhere` may take a share of the
    projects to other processes; a project whose process is lost is diagnosed here."""
    here = ProjectSweep(session, limits, checks, on_landed)
    if elsewhere is not None:  # first: helpers start while the lists load here
        here.narrow(await elsewhere.share(namespaces, limits))
    await here.load(namespaces)
    if elsewhere is not None:
        elsewhere.listed(here.cluster)
    counted: list[int] = []
    if count and len(namespaces) > 1:
        total = here.cluster.deployment_count(namespaces) if here.cluster is not None else None
        if total is None:
            total = await fleet_size(session)
        if total is not None:
            counted.append(total)

    def names_known(n: int) -> None:
        if count and len(namespaces) == 1:  # one project: its snapshot tells how many
            counted.append(n)

    async def project(namespace: str) -> list[Report]:
        claim = elsewhere.claim if elsewhere is not None else None
        done = await here.project(namespace, names_known, claim)
        if done is None and elsewhere is not None:  # another process has it
            try:
                done = await elsewhere.project(namespace)
            except HelperLost:  # its share of the lists is still here
                done = await here.project(namespace)
            else:
                if here.cluster is not None:  # answered: its share of the lists goes
                    here.cluster.drop(namespace)
                for report in done[0]:
                    if on_landed is not None:
                        on_landed(report)
        assert done is not None
        found, unread = done
        if unreadable is not None:
            unreadable.extend(unread)
        return found

    tasks = [asyncio.create_task(project(ns)) for ns in namespaces]
    reports: list[Report] = []
    try:
        for task in tasks:  # in order: the first failure in order is the one raised
            for report in await task:
                reports.append(report)
                if on_report is not None:
                    on_report(Swept(len(reports), counted[0] if counted else None, report))
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        if elsewhere is not None:
            await elsewhere.close()
    return reports


def unread_deployments(snapshot: Snapshot) -> list[str]:
    """Why some of a project's deployments may be missing: a LIST that failed (a kind the API
    does not serve is no such reason), an object or a capture's file that did not parse."""
    lines = []
    for kind in DEPLOYMENT_KINDS:
        error = snapshot.errors.get(kind)
        if error is not None and error.kind != "not-found":
            lines.append(snapshot.error_line(kind) or str(error))
        for line in snapshot.unreadable.get(kind, []):
            lines.append(
                line if line.startswith(kind) else f"{kind} in {snapshot.namespace}: {line}"
            )
    return list(dict.fromkeys(lines))


def diagnosed(report: Report, final: bool = True) -> Diagnosed:
    """A report as a fleet row holds it: the verdict and the root cause in `check --all`'s
    words (its table's ROOT CAUSE column)."""
    from checks.resources.fleet import Diagnosed

    roots = report.root_causes
    cause = f"{roots[0].id}: {roots[0].summary}" if roots else ""
    return Diagnosed(str(report.verdict), cause, final)


def first_look_checks() -> tuple[Check, ...]:
    """The catalog as a first look runs it (checks.engine.first_look): the console's sweep
    shows failures from the objects before the S3 and route probes."""
    from checks.catalog import CATALOG
    from checks.engine.first_look import first_look

    return first_look(CATALOG)
