"""Change a running lab as its controllers and kubelet would (the lab's /_lab/ control API,
never the Kubernetes API the product reads), and read what its API server saw."""

from __future__ import annotations

import contextlib
import copy
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from lab import control
from lab.state import LabState
from tests.helpers.cluster import lab_tls


@contextlib.contextmanager
def private_lab(
    tmp_path_factory: pytest.TempPathFactory, name: str, **options: Any
) -> Iterator[dict]:
    """A lab of its own (`control.up`'s options: latency_ms, bulk, fleet), down at the end,
    for tests that need a different lab or change the one they have."""
    state = LabState(tmp_path_factory.mktemp(name))
    info = control.up(state, **options)
    try:
        yield info
    finally:
        control.down(state)


def lab_post(info: dict, what: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
    """POST /_lab/<what> as the lab's admin; the answer's JSON (`at`: the lab's change time)."""
    answer = httpx.post(
        f"{info['api']}/_lab/{what}",
        json=body or {},
        headers={"Authorization": f"Bearer {info['tokens']['lab-admin']}"},
        verify=lab_tls(info),
        timeout=30,
    )
    answer.raise_for_status()
    return answer.json()


def lab_requests(info: dict) -> dict[str, Any]:
    """Every LIST and WATCH the lab's API server answered so far (paths, in order)."""
    return httpx.get(f"{info['api']}/_lab/requests", verify=lab_tls(info), timeout=30).json()


def lab_get(info: dict, path: str) -> dict[str, Any]:
    """One object as the API server serves it (a GET, as the admin)."""
    answer = httpx.get(
        f"{info['api']}{path}",
        headers={"Authorization": f"Bearer {info['tokens']['lab-admin']}"},
        verify=lab_tls(info),
        timeout=30,
    )
    answer.raise_for_status()
    return answer.json()


def crash_looping(pod: dict) -> dict:
    """The pod as the kubelet shows it after the model server was OOM-killed three times."""
    broken = copy.deepcopy(pod)
    for status in broken["status"]["containerStatuses"]:
        if status["name"] == "kserve-container":
            status.update(
                ready=False,
                restartCount=int(status.get("restartCount") or 0) + 3,
                state={"waiting": {"reason": "CrashLoopBackOff", "message": "back-off 40s"}},
                lastState={"terminated": {"reason": "OOMKilled", "exitCode": 137}},
            )
    for condition in broken["status"].get("conditions") or []:
        if condition["type"] in ("Ready", "ContainersReady"):
            condition["status"] = "False"
    return broken
