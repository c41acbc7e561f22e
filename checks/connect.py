"""Cluster connection the way kubectl and oc users expect it: kubeconfig(s), context, namespace,
explicit flags, or the in-cluster service account of an RHOAI workbench pod."""

from __future__ import annotations

import os
import ssl
from dataclasses import dataclass, field
from pathlib import Path

from checks.errors import ConnectError

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

    def ssl_context(self) -> ssl.SSLContext | bool:
        if not self.verify:
            return False
        if self.ca_file or self.ca_data:
            context = ssl.create_default_context(cafile=self.ca_file, cadata=self.ca_data)
        else:
            context = ssl.create_default_context()
        if self.client_cert:
            context.load_cert_chain(*self.client_cert)
        return context


def _kubeconfig_paths(explicit: str | None) -> str | None:
    """The kubeconfig the user means: the flag, else $KUBECONFIG (a list), else ~/.kube/config."""
    if explicit:
        return explicit
    env = os.environ.get("KUBECONFIG")
    if env:
        existing = [p for p in env.split(os.pathsep) if p and Path(p).expanduser().exists()]
        return os.pathsep.join(existing) if existing else None
    default = Path.home() / ".kube" / "config"
    return str(default) if default.exists() else None


def context_names(options: ConnectionOptions) -> list[str]:
    """The kubeconfig's context names; none when it cannot be read (nothing to switch to)."""
    import yaml

    from checks.kubeconfig import _load

    paths = _kubeconfig_paths(options.kubeconfig)
    if not paths:
        return []
    try:
        return list(_load(paths)["contexts"])
    except (OSError, ValueError, AttributeError, TypeError, KeyError, yaml.YAMLError):
        return []


def _in_cluster() -> bool:
    return bool(os.environ.get("KUBERNETES_SERVICE_HOST")) and (IN_CLUSTER_DIR / "token").exists()


def _from_in_cluster(options: ConnectionOptions) -> ClusterConfig:
    host = os.environ["KUBERNETES_SERVICE_HOST"]
    port = os.environ.get("KUBERNETES_SERVICE_PORT", "443")
    host = f"[{host}]" if ":" in host else host
    namespace_file = IN_CLUSTER_DIR / "namespace"
    namespace = namespace_file.read_text().strip() if namespace_file.exists() else "default"
    return ClusterConfig(
        server=f"https://{host}:{port}",
        namespace=namespace,
        token=(IN_CLUSTER_DIR / "token").read_text().strip(),
        ca_file=str(IN_CLUSTER_DIR / "ca.crt"),
        source="in-cluster service account",
        user="service account",
        context="in-cluster",
    )


def _from_kubeconfig(paths: str, options: ConnectionOptions) -> ClusterConfig:
    """Plain token/certificate users are read directly; plugin users through the library."""
    from checks import kubeconfig

    try:
        parsed = kubeconfig.read(paths, options.context)
    except kubeconfig.NeedsPlugin:
        return _from_kubeconfig_library(paths, options)
    except KeyError as error:
        raise ConnectError("config", str(error).strip("\"'")) from error
    except (OSError, ValueError, TypeError, AttributeError) as error:
        raise ConnectError("config", f"cannot read kubeconfig {paths}: {error}") from error
    return ClusterConfig(
        server=parsed.server,
        namespace=parsed.namespace,
        token=parsed.token,
        ca_file=parsed.ca_file,
        ca_data=parsed.ca_data,
        verify=parsed.verify,
        client_cert=parsed.client_cert,
        context=parsed.context,
        user=parsed.user,
        source=f"kubeconfig {paths}",
    )


def _from_kubeconfig_library(paths: str, options: ConnectionOptions) -> ClusterConfig:
    from kubernetes import client, config
    from kubernetes.config.config_exception import ConfigException

    configuration = client.Configuration()
    try:
        contexts, active = config.list_kube_config_contexts(config_file=paths)
        chosen = active
        if options.context:
            chosen = next((c for c in contexts if c["name"] == options.context), None)
            if chosen is None:
                names = ", ".join(c["name"] for c in contexts)
                raise ConnectError(
                    "config",
                    f'context "{options.context}" not found in {paths} (contexts: {names})',
                )
        config.load_kube_config(
            config_file=paths,
            context=chosen["name"],
            client_configuration=configuration,
            persist_config=False,
        )
    except ConfigException as error:
        raise ConnectError("config", f"cannot use kubeconfig {paths}: {error}") from error
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise ConnectError("config", f"cannot read kubeconfig {paths}: {error}") from error
    keys = configuration.api_key or {}
    authorization = keys.get("BearerToken") or keys.get("authorization") or ""
    token = authorization.removeprefix("Bearer ").strip() or None
    cert = (
        (configuration.cert_file, configuration.key_file)
        if configuration.cert_file and configuration.key_file
        else None
    )
    context = chosen.get("context") or {}
    return ClusterConfig(
        server=configuration.host,
        namespace=context.get("namespace") or "default",
        token=token,
        ca_file=configuration.ssl_ca_cert,
        verify=bool(configuration.verify_ssl),
        client_cert=cert,
        context=chosen["name"],
        user=context.get("user", ""),
        source=f"kubeconfig {paths}",
    )


def resolve(options: ConnectionOptions) -> ClusterConfig:
    """Turn flags + environment into one ClusterConfig, or a one-line ConnectError."""
    paths = _kubeconfig_paths(options.kubeconfig)
    if options.kubeconfig and not Path(options.kubeconfig).expanduser().exists():
        raise ConnectError("config", f"kubeconfig {options.kubeconfig} does not exist")
    if paths:
        try:
            base = _from_kubeconfig(paths, options)
        except ConnectError:
            if not options.server:
                raise
            base = ClusterConfig(server=options.server, namespace="default", source="flags")
    elif _in_cluster():
        base = _from_in_cluster(options)
    elif options.server:
        base = ClusterConfig(server=options.server, namespace="default", source="flags")
    else:
        raise ConnectError(
            "config",
            "no cluster configured: run `oc login`, set KUBECONFIG, "
            "or pass --kubeconfig / --server (or try `rhoai-doctor --demo`)",
        )
    server = options.server or base.server
    # A kubeconfig `token: |` block or `echo $TOKEN | base64` leaves a newline: a header cannot
    # carry it, and the error would echo the token. Strip it; the token itself is unchanged.
    token = (options.token or base.token or "").strip() or None
    return ClusterConfig(
        server=server.rstrip("/"),
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
    )
