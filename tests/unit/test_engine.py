"""The runner's contract: dependency order, concurrency, blocking, timeouts, errors in words."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

import pytest

from checks.engine.runner import Outcome, Status, order, run_checks
from checks.errors import KubeError


@dataclass
class Probe:
    id: str
    depends_on: tuple[str, ...] = ()
    outcome: Outcome | None = None
    delay: float = 0.0
    raises: Exception | None = None
    title: str = "probe"

    async def run(self, ctx: object) -> Outcome:
        await asyncio.sleep(self.delay)
        if self.raises:
            raise self.raises
        return self.outcome or Outcome.passed(f"{self.id} ok")


def run(checks, timeout: float = 5.0):
    return asyncio.run(run_checks(checks, None, timeout_s=timeout))


def test_dependents_of_a_failure_are_skipped_naming_the_root_cause() -> None:
    results = run(
        [
            Probe("c", ("b",)),
            Probe("b", ("a",)),
            Probe("a", outcome=Outcome.failed("bucket missing", "fix it")),
            Probe("d"),
        ]
    )
    by_id = {r.id: r for r in results}
    assert [r.id for r in results] == ["a", "b", "c", "d"]
    assert by_id["a"].status == Status.FAIL
    assert (by_id["b"].status, by_id["b"].summary) == (Status.SKIP, "blocked by a")
    assert (by_id["c"].status, by_id["c"].summary) == (Status.SKIP, "blocked by a")
    assert by_id["d"].status == Status.PASS


def test_independent_checks_run_concurrently() -> None:
    started = time.perf_counter()
    run([Probe(str(i), delay=0.2) for i in range(5)])
    assert time.perf_counter() - started < 0.6


def test_timeouts_and_exceptions_become_error_results() -> None:
    results = {
        r.id: r
        for r in run(
            [
                Probe("slow", delay=2),
                Probe("forbidden", raises=KubeError("forbidden", "you cannot list secrets in x")),
                Probe("bug", raises=ZeroDivisionError("division by zero")),
                Probe("after", ("forbidden",)),
            ],
            timeout=0.2,
        )
    }
    # an error says nothing about the cause: its dependents still run
    assert results["slow"].status == Status.ERROR and "0 s" in results["slow"].summary
    assert results["forbidden"].summary == "could not run: you cannot list secrets in x"
    assert results["bug"].summary.startswith("internal error in bug: ZeroDivisionError")
    assert results["after"].status == Status.PASS


def test_warnings_do_not_block() -> None:
    results = run([Probe("a", outcome=Outcome.warned("odd", "look")), Probe("b", ("a",))])
    assert [r.status for r in results] == [Status.WARN, Status.PASS]


def test_a_failure_its_named_cause_explains_is_its_consequence_not_a_second_root() -> None:
    """Issue 23 item 5: the pod crash-looping because the path is wrong is reported as a
    consequence of bucket-path (one root cause); its dependents are blocked by that root."""
    crash = Outcome.failed("storage-initializer keeps crashing", "read its log", "log: x")
    results = {
        r.id: r
        for r in run(
            [
                Probe("bucket", outcome=Outcome.failed("nothing under fraud-model", "fix path")),
                Probe("pods", outcome=crash.unless("connection", "bucket"), delay=0.05),
                Probe("connection"),
                Probe("route", ("pods",)),
            ]
        )
    }
    pods = results["pods"]
    assert (pods.status, pods.blocked_by) == (Status.SKIP, "bucket")
    assert pods.summary == "consequence of bucket: storage-initializer keeps crashing"
    assert pods.evidence == ("log: x",) and pods.remediation == ""
    assert (results["route"].status, results["route"].summary) == (Status.SKIP, "blocked by bucket")
    assert [r for r in results.values() if r.status == Status.FAIL] == [results["bucket"]]


def test_a_failure_whose_named_causes_passed_is_the_root_cause() -> None:
    crash = Outcome.failed("killed by its liveness probe", "raise the probe's delay")
    results = run([Probe("bucket", delay=0.05), Probe("pods", outcome=crash.unless("bucket"))])
    assert [(r.id, r.status) for r in results] == [("bucket", Status.PASS), ("pods", Status.FAIL)]
    assert results[1].summary == "killed by its liveness probe"


def test_a_cause_named_later_in_dependency_order_is_not_waited_for() -> None:
    """Only earlier checks can be causes: two failures never wait on each other."""
    later = Outcome.failed("late", "x").unless("a")
    results = run(
        [Probe("a", outcome=Outcome.failed("a", "x").unless("b")), Probe("b", ("a",), later)]
    )
    assert [(r.id, r.status) for r in results] == [("a", Status.FAIL), ("b", Status.SKIP)]
    assert results[1].summary == "blocked by a"


def test_cycles_and_unknown_dependencies_are_refused() -> None:
    with pytest.raises(ValueError, match="cycle"):
        order([Probe("a", ("b",)), Probe("b", ("a",))])
    with pytest.raises(ValueError, match="unknown check z"):
        order([Probe("a", ("z",))])


def test_an_unmet_precondition_is_a_skip_with_its_reason_not_an_error() -> None:
    from checks.errors import Unmet

    results = run([Probe("a", raises=Unmet("you cannot list secrets in iris-project: forbidden"))])
    assert (results[0].status, results[0].summary) == (
        Status.SKIP,
        "blocked: you cannot list secrets in iris-project: forbidden",
    )


@pytest.mark.parametrize(
    ("statuses", "fail_on_warn", "code"),
    [
        ((Status.PASS, Status.SKIP), False, 0),
        ((Status.PASS, Status.WARN), False, 0),
        ((Status.PASS, Status.WARN), True, 1),
        ((Status.ERROR, Status.PASS), False, 2),
        ((Status.ERROR, Status.FAIL), False, 1),
    ],
)
def test_exit_codes_ci_can_trust(statuses, fail_on_warn, code) -> None:
    from checks.engine.runner import Report, Result, exit_code_for

    report = Report({}, [Result(f"c{i}", "t", s, "") for i, s in enumerate(statuses)])
    assert exit_code_for([report], fail_on_warn=fail_on_warn) == code


@dataclass
class OnlyFor(Probe):
    not_for: dict | None = None


@dataclass
class Target:
    kind: str


def test_a_check_that_does_not_apply_to_the_kind_says_why_and_blocks_nothing() -> None:
    checks = [
        OnlyFor("runtime", not_for={"llmisvc": "LLMInferenceService: no ServingRuntime"}),
        Probe("pods", depends_on=("runtime",)),
    ]
    for kind, runtime_status in (("llmisvc", Status.SKIP), ("isvc", Status.PASS)):
        results = asyncio.run(run_checks(checks, Target(kind), timeout_s=5))
        by_id = {r.id: r for r in results}
        assert by_id["runtime"].status == runtime_status
        assert by_id["pods"].status == Status.PASS
    assert by_id["runtime"].summary == "runtime ok"
    results = asyncio.run(run_checks(checks, Target("llmisvc"), timeout_s=5))
    assert results[0].summary == "LLMInferenceService: no ServingRuntime"
    assert results[0].blocked_by is None
