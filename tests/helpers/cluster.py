"""The lab's API from the official client: TLS, clients per user or token, secret values."""

from __future__ import annotations

import base64
from pathlib import Path

DELIBERATE_MUTATION = "DELETE /api/v1/namespaces/iris-project/pods/deliberate-mutation-probe"


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


def secret_value(admin_client, namespace: str, name: str, key: str) -> str:
    from kubernetes import client

    secret = client.CoreV1Api(admin_client).read_namespaced_secret(name, namespace)
    return base64.b64decode(secret.data[key]).decode()
