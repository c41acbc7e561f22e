"""The Kubernetes API's HTTP client: one httpx.AsyncClient per cluster, set up from the
kubeconfig the way kubectl is: the CA (file or data) or insecure-skip-tls-verify, the client
certificate, tls-server-name (SNI, and the name the certificate must carry), proxy-url (else
HTTPS_PROXY / NO_PROXY from the environment), and the bearer token of checks.cluster.kube_auth.

Redirects are never followed (httpx's default, kept): the token goes to the API server only."""

from __future__ import annotations

import os
import ssl
from typing import Any

import httpx

from checks.cluster.connect import ClusterConfig
from checks.cluster.kube_auth import BearerAuth, token_source
from checks.transport.pools import ShardedTransport

API_CONNECTIONS = 100  # a sweep keeps ~100 requests in flight; more open as a burst needs them
API_CONNECTIONS_MOST = 512  # ... up to this many
HEADERS = {
    "Accept": "application/json",
    "User-Agent": "rhoai-doctor/0.1",
    # what checks.transport.capped inflates with a bound (httpx would add br/zstd when installed)
    "Accept-Encoding": "gzip, deflate",
}


def _unverified() -> ssl.SSLContext:
    """insecure-skip-tls-verify without a client certificate: encrypted, nothing checked."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def tls_context(cluster: ClusterConfig) -> ssl.SSLContext | None:
    """The context the API server is dialled with (None for http://)."""
    if not cluster.server.lower().startswith("https"):
        return None
    # httpcore asks for http/1.1 by ALPN: without the h2 package there is no HTTP/2
    return cluster.tls_context() if cluster.verify or cluster.client_cert else _unverified()


def extensions(cluster: ClusterConfig) -> dict[str, Any]:
    """Per-request extensions: tls-server-name as SNI (httpcore then checks the certificate
    against that name, not the URL's host)."""
    return {"sni_hostname": cluster.tls_server_name} if cluster.tls_server_name else {}


PROXY_VARIABLES = ("https_proxy", "http_proxy", "all_proxy")


def _may_be_proxied(cluster: ClusterConfig) -> bool:
    """Whether httpx could send this client's requests through a proxy: proxy-url, or any
    proxy variable in the environment (httpx then applies its own NO_PROXY rules)."""
    return bool(cluster.proxy_url) or any(
        os.environ.get(name) or os.environ.get(name.upper()) for name in PROXY_VARIABLES
    )


def api_client(cluster: ClusterConfig) -> httpx.AsyncClient:
    """The client for one ClusterConfig; requests are paths relative to its server.

    Straight to the API server, its connections are split over small pools (a sweep keeps a
    hundred requests in flight; one pool of a hundred costs more CPU per request than the
    request itself). Where a proxy may apply, httpx's own client decides, from its rules."""
    context = tls_context(cluster)
    verify: ssl.SSLContext | bool = context if context is not None else False
    if not _may_be_proxied(cluster):
        return httpx.AsyncClient(
            base_url=cluster.server,
            headers=HEADERS,
            auth=BearerAuth(token_source(cluster)),
            timeout=httpx.Timeout(cluster.timeout),
            transport=ShardedTransport(verify, API_CONNECTIONS, API_CONNECTIONS_MOST),
            follow_redirects=False,
        )
    return httpx.AsyncClient(
        base_url=cluster.server,
        headers=HEADERS,
        auth=BearerAuth(token_source(cluster)),
        verify=verify,
        timeout=httpx.Timeout(cluster.timeout),
        limits=httpx.Limits(
            max_connections=API_CONNECTIONS, max_keepalive_connections=API_CONNECTIONS
        ),
        proxy=cluster.proxy_url or None,  # kubectl: proxy-url wins over the environment
        trust_env=not cluster.proxy_url,
        follow_redirects=False,
    )
