"""Shared fixtures: one lab for the whole session, started in a private state dir."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from lab import control
from lab.state import LabState
from tests.helpers import DELIBERATE_MUTATION, api_client, lab_tls


@pytest.fixture(autouse=True)
def private_console_config(tmp_path_factory: pytest.TempPathFactory, monkeypatch) -> None:
    """The console remembers preferences (theme, context, project) in $XDG_CONFIG_HOME: each
    test starts with none, and never writes the real home's."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.mktemp("xdg-config")))


@pytest.fixture(scope="session")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    state = LabState(tmp_path_factory.mktemp("lab-state"))
    info = control.up(state)
    try:
        yield info
        _assert_nothing_mutated(info)
    finally:
        control.down(state)


def _assert_nothing_mutated(info: dict) -> None:
    """No request of the whole suite but the one deliberate probe tried to change the lab."""
    import httpx

    seen = httpx.get(f"{info['api']}/_lab/requests", verify=lab_tls(info)).json()
    unexpected = [m for m in seen["mutations"] if not m.startswith(DELIBERATE_MUTATION)]
    assert unexpected == [], f"mutating requests reached the lab API: {unexpected}"


@pytest.fixture(scope="session")
def kubeconfig(lab: dict) -> Path:
    return Path(lab["kubeconfig"])


@pytest.fixture(scope="session")
def admin_client(kubeconfig: Path):
    return api_client(kubeconfig, "lab-admin")


@pytest.fixture(scope="session")
def developer_client(kubeconfig: Path):
    return api_client(kubeconfig, "developer")
