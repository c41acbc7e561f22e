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
        _assert_nothing_mutated(info)
    finally:
        control.down(state)


DELIBERATE_MUTATION = "DELETE /api/v1/namespaces/iris-project/pods/deliberate-mutation-probe"


def _assert_nothing_mutated(info: dict) -> None:
    """No request of the whole suite but the one deliberate probe tried to change the lab."""
    import httpx

    seen = httpx.get(f"{info['api']}/_lab/requests", verify=lab_tls(info)).json()
    unexpected = [m for m in seen["mutations"] if not m.startswith(DELIBERATE_MUTATION)]
    assert unexpected == [], f"mutating requests reached the lab API: {unexpected}"


@pytest.fixture(scope="session")
def kubeconfig(lab: dict) -> Path:
    return Path(lab["kubeconfig"])


def lab_tls(info: dict):
    """An SSL context trusting the lab's CA."""
    import ssl

    return ssl.create_default_context(cafile=info["ca_file"])


def api_client(kubeconfig_path: Path, context: str = "lab-admin"):
    from kubernetes import client, config

    configuration = client.Configuration()
    config.load_kube_config(
        config_file=str(kubeconfig_path), context=context, client_configuration=configuration
    )
    return client.ApiClient(configuration)


def token_client(admin_client, token: str):
    """An API client for the same lab, authenticated with another bearer token."""
    from kubernetes import client

    configuration = client.Configuration()
    configuration.host = admin_client.configuration.host
    configuration.ssl_ca_cert = admin_client.configuration.ssl_ca_cert
    configuration.api_key = {"BearerToken": f"Bearer {token}"}
    return client.ApiClient(configuration)


@pytest.fixture(scope="session")
def admin_client(kubeconfig: Path):
    return api_client(kubeconfig, "lab-admin")


@pytest.fixture(scope="session")
def developer_client(kubeconfig: Path):
    return api_client(kubeconfig, "developer")


def secret_value(admin_client, namespace: str, name: str, key: str) -> str:
    from kubernetes import client

    secret = client.CoreV1Api(admin_client).read_namespaced_secret(name, namespace)
    return base64.b64decode(secret.data[key]).decode()
