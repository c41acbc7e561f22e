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


class DrippingServer:
    """An HTTP server on loopback that sends its headers at once, then one byte a second: every
    read succeeds, so only a deadline for the whole request ends the wait."""

    def __init__(self) -> None:
        import socket
        import threading

        self._stop = threading.Event()
        self._listener = socket.socket()
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(16)
        self._listener.settimeout(0.2)
        self.port = self._listener.getsockname()[1]
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def __enter__(self) -> DrippingServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._listener.close()

    def _serve(self) -> None:
        import threading

        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except OSError:
                continue
            threading.Thread(target=self._drip, args=(conn,), daemon=True).start()

    def _drip(self, conn) -> None:
        import time

        try:
            conn.recv(65536)
            conn.sendall(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                b"Content-Length: 100000\r\n\r\n"
            )
            while not self._stop.is_set():
                conn.sendall(b" ")
                time.sleep(1.0)
        except OSError:
            pass
        finally:
            conn.close()
