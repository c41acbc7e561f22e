"""`check --all -A` over a small fleet (lab --fleet 5,10): the concurrent sweep reports what a
one-after-another sweep reports, in the same order, broken deployments named with their root
cause; a progress line on a terminal's stderr, nothing extra when stderr is a pipe."""

from __future__ import annotations

import json
import os
import pty
import re
import select
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from lab.control import env_vars
from lab.seed.fleet import expected
from tests.helpers.doctor_cli import run_doctor
from tests.helpers.lab_control import lab_requests, private_lab
from tests.helpers.processes import children_running

ROOT = Path(__file__).resolve().parents[2]
PROJECTS, DEPLOYMENTS = 5, 10


@pytest.fixture(scope="module")
def fleet(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    with private_lab(tmp_path_factory, "fleet-lab", fleet=f"{PROJECTS},{DEPLOYMENTS}") as info:
        yield info


def _command(*args: str) -> list[str]:
    return [sys.executable, "-m", "rhoai_doctor", "check", "--all", "-A", *args]


def check(fleet: dict, *args: str) -> subprocess.CompletedProcess:
    return run_doctor(
        _command(*args)[3:],
        timeout=120,
        cwd=ROOT,
        env={**os.environ, **env_vars(fleet)},
    )


def _without_timings(text: str) -> dict:
    doc = json.loads(text)
    for report in doc["reports"]:
        for result in report["checks"]:
            result.pop("duration_ms", None)
    return doc


def test_concurrent_sweep_reports_what_one_after_another_reports(fleet) -> None:
    concurrent = check(fleet, "-o", "json")
    sequential = check(fleet, "-o", "json", "--sweep-concurrency", "1")
    assert concurrent.returncode == sequential.returncode == 1, concurrent.stderr
    assert concurrent.stderr == sequential.stderr == ""
    swept, one_by_one = _without_timings(concurrent.stdout), _without_timings(sequential.stdout)
    assert swept == one_by_one
    seen = {
        (r["target"]["namespace"], r["target"]["name"]): next(
            (c["id"] for c in r["checks"] if c["status"] == "fail"), None
        )
        for r in swept["reports"]
    }
    assert seen == expected(PROJECTS, DEPLOYMENTS)
    # a check that could not run is no healthy deployment's answer, nor a broken one's cause
    unsure = [
        (r["target"]["name"], c["id"], c["summary"])
        for r in swept["reports"]
        for c in r["checks"]
        if c["status"] == "error"
    ]
    assert unsure == []
    assert sum(cause is not None for cause in seen.values()) == DEPLOYMENTS // 5
    table = check(fleet)
    assert table.returncode == 1
    summary = table.stdout[table.stdout.rindex("DEPLOYMENT") :]
    project, name = next(k for k, v in seen.items() if v == "data-connection")
    row = next(line for line in summary.splitlines() if line.startswith(f"{project}/{name} "))
    assert re.search(r"\bfail\b.*data-connection: storage key \S+ names no data connection", row)


def test_progress_line_on_a_terminal_and_nothing_when_piped(fleet) -> None:
    piped = check(fleet, "-o", "junit")
    assert piped.stderr == "" and "[1/" not in piped.stdout
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        _command("-o", "junit"),
        stdout=subprocess.PIPE,
        stderr=follower,
        stdin=subprocess.DEVNULL,
        cwd=ROOT,
        env={**os.environ, **env_vars(fleet), "COLUMNS": "120"},
    )
    os.close(follower)
    seen = b""
    while True:
        ready, _, _ = select.select([leader], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    stdout = process.communicate(timeout=60)[0].decode()
    os.close(leader)
    untimed = lambda xml: re.sub(r' time="[^"]*"', "", xml)  # noqa: E731
    assert untimed(stdout) == untimed(piped.stdout)  # the same reports, in the same order
    text = seen.decode()
    lines = [part for part in re.split(r"\r\x1b\[2K", text) if part]
    assert lines, repr(text)
    first, last = lines[0], lines[-1]
    assert re.fullmatch(rf"\[1/{DEPLOYMENTS}\] fleet-000-serverless/\S+: (pass|fail|warn)", first)
    assert re.fullmatch(rf"\[{DEPLOYMENTS}/{DEPLOYMENTS}\] fleet-\d+-\w+/\S+: (pass|fail)", last)
    assert text.endswith("\r\x1b[2K")  # cleared at the end: the prompt comes back clean


def test_the_sweep_does_not_get_what_its_lists_carry(fleet) -> None:
    """Objects the projects' LISTs already carry are not asked again one by one (a Standard
    predictor's Service was a GET per deployment: 187 of a 1,000-deployment sweep's requests),
    nor the LLM deployments' HTTPRoutes, AuthPolicies and Gateways and the projects themselves,
    which the sweep lists once across namespaces (they were 640 GETs); the broken HTTPRoute is
    still named."""
    before = lab_requests(fleet)["gets"]
    swept = check(fleet, "-o", "json")
    assert swept.returncode == 1, swept.stderr
    gets = {
        kind: n - before.get(kind, 0)
        for kind, n in lab_requests(fleet)["gets"].items()
        if n > before.get(kind, 0)
    }
    assert "services" not in gets, gets
    assert not {"httproutes", "authpolicies", "gateways", "projects"} & set(gets), gets
    seen = {
        (r["target"]["namespace"], r["target"]["name"]): next(
            (c["id"] for c in r["checks"] if c["status"] == "fail"), None
        )
        for r in json.loads(swept.stdout)["reports"]
        if r["target"]["namespace"].endswith("-llmd")
    }
    wanted = {k: v for k, v in expected(PROJECTS, DEPLOYMENTS).items() if k in seen}
    assert seen == wanted and "deployment-status" in seen.values(), seen


def _helpers_of(parent: int) -> set[int]:
    """The sweep's helper processes (checks/sweep_helper.py) `parent` started."""
    return children_running(parent, "checks.sweep_helper")


def _talking_to(pid: int, port: int) -> bool:
    """Whether process `pid` has a TCP connection to `port` on loopback (from /proc)."""
    try:
        sockets = {
            os.readlink(f"/proc/{pid}/fd/{fd}")[8:-1]
            for fd in os.listdir(f"/proc/{pid}/fd")
            if os.readlink(f"/proc/{pid}/fd/{fd}").startswith("socket:[")
        }
        with open("/proc/net/tcp", encoding="ascii") as table:
            rows = [line.split() for line in table.readlines()[1:]]
    except OSError:
        return False
    return any(int(row[2].split(":")[1], 16) == port and row[9] in sockets for row in rows)


def _swept_watching_helpers(
    fleet: dict, *args: str, kill_at: int | None = None
) -> tuple[str, set[int]]:
    """`check --all -A -o json ARGS`, its helpers seen from outside while it runs; with
    `kill_at` (a port), each helper is killed, as the OOM killer would, once it talks to that
    port (it holds projects then). Its stdout, and the helpers."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        process = subprocess.Popen(
            _command("-o", "json", *args),
            stdout=out,
            stderr=err,
            stdin=subprocess.DEVNULL,
            cwd=ROOT,
            env={**os.environ, **env_vars(fleet)},
        )
        seen: set[int] = set()
        killed: set[int] = set()
        while process.poll() is None:
            seen |= _helpers_of(process.pid)
            for helper in seen - killed:
                if kill_at is not None and _talking_to(helper, kill_at):
                    os.kill(helper, 9)
                    killed.add(helper)
            select.select([], [], [], 0.005)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    assert process.returncode == 1, stderr
    assert stderr == "", stderr
    assert killed == (seen if kill_at is not None else set())
    return stdout, seen


def _untimed(text: str) -> dict:
    return json.loads(re.sub(r"\b\d+[smhd] ago\b", "_ ago", json.dumps(_without_timings(text))))


# Two deployments at a time in each of two processes (each process then takes its projects'
# objects from lists made once across them), one in each of three (each lists per project);
# at 100 ms a request a helper has started long before the main process could finish this
# small fleet alone, so it always takes projects.
NARROW = ("--sweep-concurrency", "4")


@pytest.fixture(scope="module")
def slow_fleet(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    with private_lab(
        tmp_path_factory, "slow-fleet", fleet=f"{PROJECTS},{DEPLOYMENTS}", latency_ms=100
    ) as info:
        yield info


def test_helper_processes_report_what_one_process_reports(slow_fleet) -> None:
    """--sweep-processes N: helpers diagnose projects too (each on a core of its own); the
    reports are the one process's, in the same order, and the helpers are gone after."""
    alone, none = _swept_watching_helpers(slow_fleet, *NARROW, "--sweep-processes", "1")
    assert none == set()
    for count in (2, 3):
        shared, helpers = _swept_watching_helpers(
            slow_fleet, *NARROW, "--sweep-processes", str(count)
        )
        assert len(helpers) == count - 1
        assert _untimed(shared) == _untimed(alone)
        assert all(not os.path.exists(f"/proc/{pid}") for pid in helpers)


def test_a_helper_killed_mid_sweep_costs_time_not_reports(slow_fleet) -> None:
    """A helper killed while it diagnoses (it is probing the router): what it held is
    diagnosed by the main process, and every report is there."""
    router = int(slow_fleet["router"].rsplit(":", 1)[1])
    alone, _ = _swept_watching_helpers(slow_fleet, *NARROW, "--sweep-processes", "1")
    shared, killed = _swept_watching_helpers(
        slow_fleet, *NARROW, "--sweep-processes", "2", kill_at=router
    )
    assert len(killed) == 1
    assert _untimed(shared) == _untimed(alone)


def test_sweep_processes_takes_a_count_of_one_or_more(fleet) -> None:
    for bad in ("0", "-2", "two"):
        done = check(fleet, "--sweep-processes", bad)
        assert done.returncode == 2
        assert "--sweep-processes" in done.stderr and "1 or more" in done.stderr, done.stderr


def test_each_access_question_is_asked_once_per_project(fleet) -> None:
    """A model token's SelfSubjectAccessReview is asked once per project and question: the
    models of one ModelMesh server (one token, `get services`) share it; each report still
    shows the question and the token it was asked with (the lab's proxies ask theirs as
    SubjectAccessReviews, not counted here)."""
    project = "fleet-001-modelmesh"
    asked = lambda: lab_requests(fleet)["posts"].get("selfsubjectaccessreviews", 0)  # noqa: E731
    before = asked()
    swept = run_doctor(
        ["check", "--all", "-n", project, "-o", "json"],
        timeout=120,
        cwd=ROOT,
        env={**os.environ, **env_vars(fleet)},
    )
    reviews = asked() - before
    questions, reports = set(), 0
    for report in json.loads(swept.stdout)["reports"]:
        token = next(c for c in report["checks"] if c["id"] == "token")
        asks = [e for e in token["evidence"] if e.startswith(("the enforcer asks: ", "token from"))]
        assert token["status"] == "pass" and len(asks) == 2, token
        reports += 1
        questions.add(tuple(asks))
    assert reviews == len(questions) == 1 < reports, (reviews, questions, reports)
