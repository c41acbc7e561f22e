"""`check DEPLOYMENT --watch` (issue 25 item 3): a deployment broken in the lab is fixed while the
command watches; it prints each change as a timeline line, the verdict's change, and exits 0."""

from __future__ import annotations

import copy
import os
import re
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from lab.control import env_vars
from lab.scenarios import SCENARIOS
from tests.helpers.doctor_cli import run_doctor
from tests.helpers.lab_control import crash_looping, lab_get, lab_post, lab_requests

ROOT = Path(__file__).resolve().parents[2]
PROJECT, NAME = "std-healthy", "iris"


def test_check_watch_prints_the_fix_as_a_timeline_and_exits_0(own_lab: dict) -> None:
    selector = f"serving.kserve.io/inferenceservice={NAME}"
    pods = lab_get(own_lab, f"/api/v1/namespaces/{PROJECT}/pods?labelSelector={selector}")
    original = pods["items"][0]
    pod = original["metadata"]["name"]
    lab_post(own_lab, "put", crash_looping(original))
    env = {**os.environ, **env_vars(own_lab)}
    argv = ["check", "-n", PROJECT, NAME, "--watch", "--timeout", "5m"]
    watched = f"/namespaces/{PROJECT}/"
    seen = sum(watched in w for w in lab_requests(own_lab)["watches"])
    try:
        with ThreadPoolExecutor(1) as pool:
            running = pool.submit(run_doctor, argv, timeout=400, cwd=ROOT, env=env)
            deadline = time.monotonic() + 120
            # its watches are open (every kind of the project): the fix will be a change to it
            while sum(watched in w for w in lab_requests(own_lab)["watches"]) < seen + 13:
                assert not running.done(), running.result().stdout + running.result().stderr
                assert time.monotonic() < deadline, "check --watch never watched the project"
                time.sleep(0.1)
            time.sleep(1.0)
            lab_post(own_lab, "put", copy.deepcopy(original))
            done = running.result()
    finally:
        lab_post(own_lab, "put", copy.deepcopy(original))
    out = done.stdout
    assert done.returncode == 0, out + done.stderr
    assert out.startswith(f"Diagnosis of {PROJECT}/{NAME}")
    assert re.search(r"^Verdict: fail — root cause: runtime-pods", out, re.M), out
    clock = r"^\d\d:\d\d:\d\d "
    assert re.search(clock + rf"verdict fail: watching {PROJECT}/{NAME} for changes", out, re.M)
    assert re.search(clock + rf"pod {pod} CrashLoopBackOff → Running$", out, re.M), out
    assert re.search(clock + "verdict fail → pass$", out, re.M), out


def test_check_watch_gives_up_at_the_timeout_with_the_failure_code(lab: dict) -> None:
    scenario = next(s for s in SCENARIOS if s.project == "oom-crashloop")
    env = {**os.environ, **env_vars(lab)}
    argv = ["check", "-n", scenario.project, scenario.deployment, "--watch", "--timeout", "3s"]
    done = run_doctor(argv, timeout=300, cwd=ROOT, env=env)
    assert done.returncode == 1, done.stdout + done.stderr
    assert re.search(r"^\d\d:\d\d:\d\d gave up after 3s: verdict fail$", done.stdout, re.M)


def test_check_watch_refuses_what_it_cannot_follow(lab: dict) -> None:
    env = {**os.environ, **env_vars(lab)}
    done = run_doctor(["check", "--all", "--watch"], timeout=120, cwd=ROOT, env=env)
    assert done.returncode == 2 and "--watch follows one DEPLOYMENT" in done.stderr
    done = run_doctor(["check", "x", "--watch", "--timeout", "soon"], timeout=120, env=env)
    assert done.returncode == 2 and "give a duration such as 90s" in done.stderr
