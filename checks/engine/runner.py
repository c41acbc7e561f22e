"""Checks and their runner: dependency-aware, concurrent, each bounded by a timeout.

A check that fails blocks its dependents, which are reported `skip` with "blocked by <id>", so a
report names the root cause instead of a cascade. A failure may also name the checks whose failure
would explain it (`Outcome.explained_by`: a storage-initializer crash-looping is what a wrong path
looks like from the pod): when one of them failed, the failure is reported as its consequence, not
as a second root cause. `error` means a check could not run at all (forbidden, timeout), which is
not the same as `fail`.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any, Protocol

from checks.errors import DoctorError, ExitCode, Unmet


class Status(StrEnum):
    PASS = "pass"
    WARN = "warn"
    FAIL = "fail"
    SKIP = "skip"
    ERROR = "error"


@dataclass(frozen=True)
class Outcome:
    """What a check returns: the engine adds its id, title and duration."""

    status: Status
    summary: str
    evidence: tuple[str, ...] = ()
    remediation: str = ""
    # checks (earlier in dependency order) whose failure would be this failure's cause
    explained_by: tuple[str, ...] = ()

    @classmethod
    def passed(cls, summary: str, *evidence: str) -> Outcome:
        return cls(Status.PASS, summary, tuple(evidence))

    @classmethod
    def failed(cls, summary: str, remediation: str, *evidence: str) -> Outcome:
        return cls(Status.FAIL, summary, tuple(evidence), remediation)

    @classmethod
    def warned(cls, summary: str, remediation: str, *evidence: str) -> Outcome:
        return cls(Status.WARN, summary, tuple(evidence), remediation)

    @classmethod
    def skipped(cls, summary: str, *evidence: str) -> Outcome:
        return cls(Status.SKIP, summary, tuple(evidence))

    def unless(self, *causes: str) -> Outcome:
        """The same outcome, a consequence of the first of `causes` that failed (if one did)."""
        return replace(self, explained_by=causes)


@dataclass(frozen=True)
class Result:
    id: str
    title: str
    status: Status
    summary: str
    evidence: tuple[str, ...] = ()
    remediation: str = ""
    duration_ms: float = 0.0
    blocked_by: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "status": str(self.status),
            "summary": self.summary,
            "evidence": list(self.evidence),
            "remediation": self.remediation,
            "duration_ms": round(self.duration_ms, 1),
        }


class Check(Protocol):
    """One diagnosis step; its id is a public interface (scripts depend on it)."""

    @property
    def id(self) -> str: ...

    @property
    def title(self) -> str: ...

    @property
    def depends_on(self) -> tuple[str, ...]: ...

    async def run(self, ctx: Any) -> Outcome: ...


@dataclass
class Report:
    target: dict[str, str]
    results: list[Result] = field(default_factory=list)
    # where the objects came from when not the live cluster: "from a capture taken … of …"
    source: str = ""

    @property
    def verdict(self) -> Status:
        statuses = {r.status for r in self.results}
        for status in (Status.FAIL, Status.ERROR, Status.WARN):
            if status in statuses:
                return status
        return Status.PASS

    @property
    def root_causes(self) -> list[Result]:
        return [r for r in self.results if r.status == Status.FAIL]

    def result(self, check_id: str) -> Result:
        return next(r for r in self.results if r.id == check_id)

    @property
    def exit_code(self) -> ExitCode:
        """1 when a check failed; 2 when none failed but one could not run (not judged)."""
        return exit_code_for([self])


def exit_code_for(reports: Iterable[Report], fail_on_warn: bool = False) -> ExitCode:
    """The exit code CI trusts: a failure beats a check that could not run, which beats a pass."""
    statuses = {r.status for report in reports for r in report.results}
    if Status.FAIL in statuses or (fail_on_warn and Status.WARN in statuses):
        return ExitCode.FAILED
    if Status.ERROR in statuses:
        return ExitCode.CANNOT_JUDGE
    return ExitCode.OK


def order(checks: Iterable[Check]) -> list[Check]:
    """Dependencies first (stable), refusing unknown ids and cycles."""
    by_id = {c.id: c for c in checks}
    done: list[Check] = []
    visiting: set[str] = set()

    def visit(check: Check) -> None:
        if check in done:
            return
        if check.id in visiting:
            raise ValueError(f"dependency cycle through {check.id}")
        visiting.add(check.id)
        for dep in check.depends_on:
            if dep not in by_id:
                raise ValueError(f"{check.id} depends on unknown check {dep}")
            visit(by_id[dep])
        visiting.discard(check.id)
        done.append(check)

    for check in by_id.values():
        visit(check)
    return done


def _root_blocker(check: Check, results: dict[str, Result]) -> str | None:
    """A failed dependency blocks; an `error` one does not (it says nothing about the cause)."""
    for dep in check.depends_on:
        if root := _root_of(dep, results[dep]):
            return root
    return None


def _root_of(check_id: str, result: Result) -> str | None:
    """The failure `result` stands for: its own check's when it failed, the check that blocked
    it when it was blocked, None when it neither failed nor was blocked."""
    if result.blocked_by:
        return result.blocked_by
    return check_id if result.status == Status.FAIL else None


async def _cause(
    check: Check,
    outcome: Outcome,
    ordered: list[Check],
    results: dict[str, Result],
    finished: dict[str, asyncio.Event],
) -> str | None:
    """The root cause a failure is a consequence of: the first check it names as a possible
    cause that failed (or was itself blocked by one). Only checks earlier in dependency order
    are waited for, so two failures can never wait on each other."""
    if outcome.status != Status.FAIL or not outcome.explained_by:
        return None
    earlier = {c.id for c in ordered[: ordered.index(check)]}
    for cause in outcome.explained_by:
        if cause not in earlier:
            continue
        await finished[cause].wait()
        if root := _root_of(cause, results[cause]):
            return root
    return None


async def run_checks(
    checks: Iterable[Check],
    ctx: Any,
    *,
    timeout_s: float = 30.0,
    on_result: Callable[[Result], Awaitable[None] | None] | None = None,
    max_concurrency: int | None = None,
) -> list[Result]:
    """Run every check as soon as its dependencies are done; results in dependency order.

    `max_concurrency=1` runs them one after another (benchmarks compare the two), without
    prefetching."""
    ordered = order(checks)
    warming = [] if max_concurrency == 1 else prefetch(ordered, ctx)
    gate = asyncio.Semaphore(max_concurrency or len(ordered) or 1)
    results: dict[str, Result] = {}
    finished: dict[str, asyncio.Event] = {c.id: asyncio.Event() for c in ordered}

    async def one(check: Check) -> None:
        for dep in check.depends_on:
            await finished[dep].wait()
        blocker = _root_blocker(check, results)
        reason = not_applicable(check, ctx)
        if reason:
            result = Result(check.id, check.title, Status.SKIP, reason)
        elif blocker is not None:
            result = Result(
                check.id, check.title, Status.SKIP, f"blocked by {blocker}", blocked_by=blocker
            )
        else:
            async with gate:
                started = time.perf_counter()
                outcome = await run_one(check, ctx, timeout_s)
            elapsed = (time.perf_counter() - started) * 1000
            cause = await _cause(check, outcome, ordered, results, finished)
            if cause is not None:
                result = Result(
                    check.id,
                    check.title,
                    Status.SKIP,
                    f"consequence of {cause}: {outcome.summary}",
                    outcome.evidence,
                    duration_ms=elapsed,
                    blocked_by=cause,
                )
            else:
                result = Result(
                    check.id,
                    check.title,
                    outcome.status,
                    outcome.summary,
                    outcome.evidence,
                    outcome.remediation,
                    elapsed,
                )
        results[check.id] = result
        finished[check.id].set()
        if on_result is not None:
            maybe = on_result(result)
            if asyncio.iscoroutine(maybe):
                await maybe

    try:
        await asyncio.gather(*(one(c) for c in ordered))
    finally:
        for task in warming:  # a fact no check came to ask for is not waited on
            task.cancel()
    return [results[c.id] for c in ordered]


def prefetch(checks: Iterable[Check], ctx: Any) -> list[asyncio.Task]:
    """Start, before any check runs, the reads the checks further down the graph will ask for
    (a check's optional `prefetch(ctx)`): the bucket listing and the ONNX signature need not
    wait for the data connection's verdict, nor the route probes for the pods'. A fact is
    memoised in the context, so the check that asks for it gets the same answer, sooner;
    what a prefetch meets is the check's to report, never the prefetch's."""
    started = []
    for check in checks:
        start = getattr(check, "prefetch", None)
        if start is None or not_applicable(check, ctx):
            continue
        task = asyncio.ensure_future(start(ctx))
        task.add_done_callback(_consume)
        started.append(task)
    return started


def _consume(task: asyncio.Task) -> None:
    if not task.cancelled():
        task.exception()  # seen here, so asyncio does not log it as never retrieved


def not_applicable(check: Check, ctx: Any) -> str:
    """Why a check does not apply to the target's kind ("" when it does). A check lists the
    kinds it cannot judge in `not_for` (kind -> reason); one rule for every check."""
    table = getattr(check, "not_for", None) or {}
    return str(table.get(getattr(ctx, "kind", ""), ""))


async def run_one(check: Check, ctx: Any, timeout_s: float = 30.0) -> Outcome:
    """A check never raises: what stops it becomes an `error` result in words."""
    try:
        return await asyncio.wait_for(check.run(ctx), timeout=timeout_s)
    except TimeoutError:
        return Outcome(Status.ERROR, f"did not finish within {timeout_s:.0f} s")
    except Unmet as error:
        return Outcome(Status.SKIP, f"blocked: {error}")
    except DoctorError as error:
        return Outcome(Status.ERROR, f"could not run: {error}")
    except Exception as error:  # a bug in a check must not take the report down
        return Outcome(
            Status.ERROR, f"internal error in {check.id}: {type(error).__name__}: {error}"
        )
