"""Shared fixtures: one lab for the whole session, started in a private state dir."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path

import pytest

from lab import control
from lab.state import LabState


@pytest.fixture(scope="session")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    state = LabState(tmp_path_factory.mktemp("lab-state"))
    info = control.up(state)
    try:
        yield info
    finally:
        control.down(state)


@pytest.fixture(scope="session")
def kubeconfig(lab: dict) -> Path:
    return Path(lab["kubeconfig"])


def api_client(kubeconfig_path: Path, context: str = "lab-admin"):  # noqa: ANN201
    from kubernetes import client, config

    configuration = client.Configuration()
    config.load_kube_config(config_file=str(kubeconfig_path), context=context,
                            client_configuration=configuration)
    return client.ApiClient(configuration)


@pytest.fixture(scope="session")
def admin_client(kubeconfig: Path):  # noqa: ANN201
    return api_client(kubeconfig, "lab-admin")


@pytest.fixture(scope="session")
def developer_client(kubeconfig: Path):  # noqa: ANN201
    return api_client(kubeconfig, "developer")


def secret_value(admin_client, namespace: str, name: str, key: str) -> str:  # noqa: ANN001
    from kubernetes import client

    secret = client.CoreV1Api(admin_client).read_namespaced_secret(name, namespace)
    return base64.b64decode(secret.data[key]).decode()
