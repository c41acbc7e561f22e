"""Cluster connection the way kubectl and oc users expect it: kubeconfig(s), context, namespace,
explicit flags, or the in-cluster service account of an RHOAI workbench pod."""

from __future__ import annotations

import os
import ssl
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from checks.cluster.local_input import (
    API_CA_FIX,
    check_ca_data,
    check_ca_file,
    check_proxy,
    check_server,
    check_token,
    config_error,
    expand,
    loaded_ca,
    local_file,
    no_passphrase,
    verifying_context,
)
from checks.errors import ConnectError

if TYPE_CHECKING:  # run only for an exec user (it imports subprocess)
    from checks.cluster.exec_credential import ExecPlugin

IN_CLUSTER_DIR = Path("/var/run/secrets/kubernetes.io/serviceaccount")


@dataclass(frozen=True)
class ConnectionOptions:
    """What a user said on the command line (or nothing: then kubeconfig / in-cluster decide)."""

    kubeconfig: str | None = None
    context: str | None = None
    namespace: str | None = None
    all_namespaces: bool = False
    server: str | None = None
    token: str | None = None
    certificate_authority: str | None = None
    insecure_skip_tls_verify: bool = False
    resolve: tuple[str, ...] = ()
    connect_to: tuple[str, ...] = ()
    request_timeout: float = 10.0
    token_flag: str = "--token"  # how the command spells the API token flag, for errors


@dataclass(frozen=True)
class ClusterConfig:
    """Everything needed to talk to one API server as one user."""

    server: str
    namespace: str
    token: str | None = None
    ca_file: str | None = None
    ca_data: str | None = None
    verify: bool = True
    client_cert: tuple[str, str] | None = None
    context: str = ""
    user: str = ""
    source: str = ""
    all_namespaces: bool = False
    timeout: float = 10.0
    resolve: tuple[str, ...] = ()
    connect_to: tuple[str, ...] = field(default=())
    tls_server_name: str | None = None  # the name in the certificate, and SNI (kubeconfig)
    proxy_url: str | None = None  # the kubeconfig's proxy-url; else HTTPS_PROXY / NO_PROXY
    token_file: str | None = None  # read again when it changes or on a 401
    exec_plugin: ExecPlugin | None = None  # run again when its token expires or on a 401
    token_expires: float | None = None  # the exec token's expiry (epoch seconds)

    def ssl_context(self) -> ssl.SSLContext | bool:
        """The TLS context for the API server, or False when nothing is verified or sent."""
        if not self.verify and not self.client_cert:
            return False
        return self.tls_context()

    def tls_context(self) -> ssl.SSLContext:
        """The CA the checks loaded (checks.cluster.local_input), else the system store (SSL_CERT_FILE
        / SSL_CERT_DIR honoured), loaded only then; the client certificate when there is one."""
        if self.verify and (self.ca_file or self.ca_data):
            context = loaded_ca(self.ca_file, self.ca_data)
            if context is None:
                context = verifying_context()
                context.load_verify_locations(cafile=self.ca_file, cadata=self.ca_data)
        elif self.verify:
            context = ssl.create_default_context()
        else:
            context = verifying_context()
        if not self.verify:  # insecure-skip-tls-verify, yet the client certificate is still sent
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        if self.client_cert:
            # An encrypted key would make OpenSSL ask for its passphrase on the terminal.
            context.load_cert_chain(*self.client_cert, password=no_passphrase)
        return context


@dataclass(frozen=True)
class _Origins:
    """Where each part of a ClusterConfig came from, in words, for its error lines."""

    server: str = "--server"
    server_fix: str = "give --server https://HOST:PORT"
    token: str = "the API token"
    ca_file: str = "the CA file"  # the path included: "--certificate-authority /x"
    ca_data: str = "the CA data"
    ca_fix: str = API_CA_FIX + " (--certificate-authority FILE)"

    @classmethod
    def kubeconfig(cls, paths: str, cluster: str, user: str, ca_file: str | None) -> _Origins:
        in_cluster = f'cluster "{cluster}" in kubeconfig {paths}'
        return cls(
            server=f"the server of {in_cluster}",
            server_fix="fix it (https://HOST:PORT) or pass --server",
            token=f'the token of user "{user}" in kubeconfig {paths}',
            ca_file=f"certificate-authority {ca_file} of {in_cluster}",
            ca_data=f"certificate-authority-data of {in_cluster}",
            ca_fix=f"{API_CA_FIX}, or pass --certificate-authority FILE",
        )


def _kubeconfig_paths(explicit: str | None) -> str | None:
    """The kubeconfig the user means: the flag, else $KUBECONFIG (a list), else ~/.kube/config."""
    if explicit:
        return explicit
    env = os.environ.get("KUBECONFIG")
    if env:
        existing = [p for p in env.split(os.pathsep) if p and expand(p).exists()]
        return os.pathsep.join(existing) if existing else None
    default = Path.home() / ".kube" / "config"
    return str(default) if default.exists() else None


def context_names(options: ConnectionOptions) -> list[str]:
    """The kubeconfig's context names; none when it cannot be read (nothing to switch to)."""
    from checks.cluster.kubeconfig import _load

    paths = _kubeconfig_paths(options.kubeconfig)
    if not paths:
        return []
    try:
        return list(_load(paths)["contexts"])
    except ConnectError:
        return []


def _in_cluster() -> bool:
    return bool(os.environ.get("KUBERNETES_SERVICE_HOST")) and (IN_CLUSTER_DIR / "token").exists()


def _from_in_cluster(options: ConnectionOptions) -> tuple[ClusterConfig, _Origins]:
    host = os.environ["KUBERNETES_SERVICE_HOST"]
    port = os.environ.get("KUBERNETES_SERVICE_PORT", "443")
    host = f"[{host}]" if ":" in host else host
    fix = "this is not a workbench pod: unset KUBERNETES_SERVICE_HOST or pass --kubeconfig"
    namespace_file = IN_CLUSTER_DIR / "namespace"
    token_file = local_file(
        str(IN_CLUSTER_DIR / "token"), f"the service account token {IN_CLUSTER_DIR}/token", fix
    )
    try:
        namespace = namespace_file.read_text().strip() if namespace_file.exists() else "default"
        token = token_file.read_text().strip()
    except (OSError, UnicodeDecodeError) as error:
        raise config_error(
            f"cannot read the service account in {IN_CLUSTER_DIR}: {error}: {fix}"
        ) from error
    cluster = ClusterConfig(
        server=f"https://{host}:{port}",
        namespace=namespace or "default",
        token=token,
        token_file=str(IN_CLUSTER_DIR / "token"),  # kubelet rotates the projected token
        ca_file=str(IN_CLUSTER_DIR / "ca.crt"),
        source="in-cluster service account",
        user="service account",
        context="in-cluster",
    )
    origins = _Origins(
        server="the in-cluster API address (KUBERNETES_SERVICE_HOST, KUBERNETES_SERVICE_PORT)",
        server_fix=fix,
        token=f"the service account token {IN_CLUSTER_DIR}/token",
        ca_file=f"the service account CA {IN_CLUSTER_DIR}/ca.crt",
        ca_fix=f"{API_CA_FIX} (--certificate-authority FILE)",
    )
    return cluster, origins


def _from_kubeconfig(paths: str, options: ConnectionOptions) -> tuple[ClusterConfig, _Origins]:
    """Plain token/certificate users are read directly; plugin users through the library."""
    from checks.cluster import kubeconfig

    try:
        parsed = kubeconfig.read(paths, options.context)
    except kubeconfig.NeedsPlugin as plugin:
        return _from_kubeconfig_library(paths, options, plugin)
    token, expires, client_cert = parsed.token, None, parsed.client_cert
    origins = _Origins.kubeconfig(paths, parsed.cluster, parsed.user, parsed.ca_file)
    if parsed.exec_plugin is not None and not options.token:
        token, expires, client_cert = _exec_login(parsed.exec_plugin, client_cert)
        origins = replace(
            origins, token=f"the token the {parsed.exec_plugin.what} of {parsed.user} gave"
        )
    cluster = ClusterConfig(
        server=parsed.server,
        namespace=parsed.namespace,
        token=token,
        ca_file=parsed.ca_file,
        ca_data=parsed.ca_data,
        verify=parsed.verify,
        client_cert=client_cert,
        context=parsed.context,
        user=parsed.user,
        source=f"kubeconfig {paths}",
        tls_server_name=parsed.tls_server_name,
        proxy_url=parsed.proxy_url,
        token_file=parsed.token_file,
        exec_plugin=parsed.exec_plugin,
        token_expires=expires,
    )
    return cluster, origins


def _exec_login(
    plugin: ExecPlugin, client_cert: tuple[str, str] | None
) -> tuple[str | None, float | None, tuple[str, str] | None]:
    """The plugin's first credential: a token (and its expiry), or a client certificate."""
    from checks.cluster import exec_credential
    from checks.cluster.kubeconfig import data_file

    credential = exec_credential.run(plugin)
    if credential.cert_pem and credential.key_pem:
        client_cert = (
            data_file(credential.cert_pem, ".crt"),
            data_file(credential.key_pem, ".key"),
        )
    return credential.token, credential.expires, client_cert


def _from_kubeconfig_library(
    paths: str, options: ConnectionOptions, plugin: Exception
) -> tuple[ClusterConfig, _Origins]:
    """An auth-provider user (oidc, gcp, azure): the kubernetes library logs it in once."""
    from checks.cluster import auth_provider

    user = auth_provider.load(paths, options.context, plugin)
    cluster = ClusterConfig(
        server=user.server,
        namespace=user.namespace,
        token=user.token,
        ca_file=user.ca_file,
        verify=user.verify,
        client_cert=user.client_cert,
        context=user.context,
        user=user.user,
        source=f"kubeconfig {paths}",
    )
    origins = _Origins.kubeconfig(paths, user.cluster, user.user, user.ca_file)
    return cluster, replace(
        origins,
        token=f"the token the {user.plugin} of {user.where} gave",
        ca_file=f'the CA of cluster "{user.cluster}" in kubeconfig {paths}',
    )


def _check(cluster: ClusterConfig, origins: _Origins) -> ClusterConfig:
    """Every local input the connection is made of, checked before the first request: the
    server URL, the token (a header), the CA the API is verified with."""
    server = check_server(cluster.server, origins.server, origins.server_fix)
    if cluster.token:
        check_token(cluster.token, origins.token)
    if cluster.verify and cluster.ca_file:
        check_ca_file(cluster.ca_file, origins.ca_file, origins.ca_fix)
    if cluster.verify and cluster.ca_data:
        check_ca_data(cluster.ca_data, origins.ca_data, origins.ca_fix)
    if cluster.proxy_url:
        check_proxy(
            cluster.proxy_url, f"the proxy-url of context {cluster.context!r} in {cluster.source}"
        )
    return replace(cluster, server=server.rstrip("/"))


def resolve(options: ConnectionOptions) -> ClusterConfig:
    """Turn flags + environment into one ClusterConfig, or a one-line ConnectError."""
    paths = _kubeconfig_paths(options.kubeconfig)
    if options.kubeconfig and not expand(options.kubeconfig).exists():
        raise config_error(
            f"kubeconfig {options.kubeconfig} does not exist: give the kubeconfig file "
            "(--kubeconfig FILE), or run `oc login`"
        )
    flags_only = ClusterConfig(server=options.server or "", namespace="default", source="flags")
    if paths:
        try:
            base, origins = _from_kubeconfig(paths, options)
        except ConnectError:
            if not options.server:
                raise
            base, origins = flags_only, _Origins()
    elif _in_cluster():
        base, origins = _from_in_cluster(options)
    elif options.server:
        base, origins = flags_only, _Origins()
    else:
        raise ConnectError(
            "config",
            "no cluster configured: run `oc login`, set KUBECONFIG, "
            "or pass --kubeconfig / --server (or try `rhoai-doctor --demo`)",
        )
    if options.server:
        origins = replace(origins, server="--server", server_fix="give --server https://HOST:PORT")
    if options.token:
        origins = replace(origins, token=options.token_flag)
    if options.certificate_authority:
        origins = replace(
            origins,
            ca_file=f"--certificate-authority {options.certificate_authority}",
            ca_fix=API_CA_FIX,
        )
    server = options.server or base.server
    # A kubeconfig `token: |` block or `echo $TOKEN | base64` leaves a newline: a header cannot
    # carry it, and the error would echo the token. Strip it; the token itself is unchanged.
    token = (options.token or base.token or "").strip() or None
    cluster = ClusterConfig(
        server=server,
        namespace=options.namespace or base.namespace,
        token=token,
        ca_file=options.certificate_authority or base.ca_file,
        ca_data=None if options.certificate_authority else base.ca_data,
        verify=base.verify and not options.insecure_skip_tls_verify,
        client_cert=None if options.token else base.client_cert,
        context=base.context,
        user=base.user if not options.token else "token from --token",
        source=base.source,
        all_namespaces=options.all_namespaces,
        timeout=options.request_timeout,
        resolve=options.resolve,
        connect_to=options.connect_to,
        tls_server_name=None if options.server else base.tls_server_name,
        proxy_url=base.proxy_url,
        token_file=None if options.token else base.token_file,
        exec_plugin=None if options.token else base.exec_plugin,
        token_expires=None if options.token else base.token_expires,
    )
    return _check(cluster, origins)
