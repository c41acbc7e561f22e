"""Shared fixtures: one lab for the whole session, started in a private state dir."""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from lab import control
from lab.state import LabState
from tests.helpers import DELIBERATE_MUTATION, api_client, lab_tls
from tests.helpers.lab_control import private_lab


@pytest.fixture(autouse=True)
def private_console_config(tmp_path_factory: pytest.TempPathFactory, monkeypatch) -> None:
    """The console remembers preferences (theme, context, project) in $XDG_CONFIG_HOME: each
    test starts with none, and never writes the real home's."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("xdg-config")))


@pytest.fixture(scope="session")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """One lab for the whole run. Under pytest-xdist (`make test` runs two workers) the workers
    share it: the first to need it starts it, the last to finish stops it (a count kept under
    a file lock beside the workers' temporary folders), so the suite reads one lab, not two."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        state = LabState(tmp_path_factory.mktemp("lab-state"))
        info = control.up(state)
        try:
            yield info
            _assert_nothing_mutated(info)
        finally:
            control.down(state)
        return
    shared = tmp_path_factory.getbasetemp().parent  # the same folder for every worker
    state = LabState(shared / "lab-state")
    with _locked(shared / "lab.lock"):
        info = control.up(state)  # running already: the other worker's
        _count(shared / "lab.users", +1)
    try:
        yield info
    finally:
        with _locked(shared / "lab.lock"):
            if _count(shared / "lab.users", -1) == 0:
                try:
                    _assert_nothing_mutated(info)
                finally:
                    control.down(state)


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _count(path: Path, change: int) -> int:
    count = (int(path.read_text() or 0) if path.exists() else 0) + change
    path.write_text(str(count))
    return count


def _assert_nothing_mutated(info: dict) -> None:
    """No request of the whole suite but the one deliberate probe tried to change the lab."""
    import httpx

    seen = httpx.get(f"{info['api']}/_lab/requests", verify=lab_tls(info)).json()
    unexpected = [m for m in seen["mutations"] if not m.startswith(DELIBERATE_MUTATION)]
    assert unexpected == [], f"mutating requests reached the lab API: {unexpected}"


@pytest.fixture(scope="session")
def own_lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """A lab of this process alone, for tests that change objects in it (restarts, fixes,
    compaction, dropped watches) or count the requests its API server saw."""
    with private_lab(tmp_path_factory, "own-lab") as info:
        yield info


@pytest.fixture(scope="session")
def kubeconfig(lab: dict) -> Path:
    return Path(lab["kubeconfig"])


@pytest.fixture(scope="session")
def admin_client(kubeconfig: Path):
    return api_client(kubeconfig, "lab-admin")


@pytest.fixture(scope="session")
def developer_client(kubeconfig: Path):
    return api_client(kubeconfig, "developer")


# The longest modules start first in a run on one process. Under `make test`, pytest-xdist
# hands modules out by their number of tests (most first) and keeps this order only among equal
# counts: handing these out first for real (--no-loadscope-reorder) was measured in stop 33 and
# gained nothing (592 s against 597 s): three console modules at once only slowed each other.
LONGEST_FIRST = (
    "tests/tui/test_console_pty_injection.py",
    "tests/cli/test_fault_matrix.py",
    "tests/tui/test_access_and_resilience.py",
    "tests/cli/test_hostile_captures.py",
    "tests/tui/test_console_keys.py",
    "tests/tui/test_fault_matrix_console.py",
    "tests/tui/test_prefs.py",
    "tests/cli/test_bundle.py",
    "tests/tui/test_console_slow.py",
    "tests/tui/test_type_ahead.py",
    "tests/lab/test_lifecycle.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    rank = {path: i for i, path in enumerate(LONGEST_FIRST)}
    root = Path(__file__).resolve().parent.parent

    def key(item: pytest.Item) -> int:
        return rank.get(str(item.path.relative_to(root)), len(rank))

    items.sort(key=key)  # stable: every other module keeps its order
