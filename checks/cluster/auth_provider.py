"""Kubeconfig users that log in through an auth-provider (oidc, gcp, azure): the kubernetes
library does what it does for them, once; what it logs on failure becomes one line of ours.
Exec plugins are not here: checks.cluster.exec_credential runs them, and re-runs them when needed."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from checks.cluster.local_input import config_error
from checks.errors import ConnectError


@dataclass(frozen=True)
class LibraryUser:
    server: str
    namespace: str
    token: str | None
    ca_file: str | None
    verify: bool
    client_cert: tuple[str, str] | None
    context: str
    user: str
    cluster: str
    plugin: str
    where: str


class _LibraryLog(logging.Handler):
    """The kubernetes library logs a failed exec plugin (`ERROR:root:...`) and carries on
    without credentials: catch what it logs, so the failure is an error of ours instead."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if "kubernetes" in record.pathname:
            self.lines.append(record.getMessage())


def _without_values(text: str) -> str:
    """The kubernetes library names a bad key by printing the objects around it (a cluster's
    CA data, a user's token): keep the key path, drop the values."""
    while True:
        shorter = re.sub(r"\{[^{}]*\}", "{…}", text)
        if shorter == text:
            return text
        text = shorter


def _first_line(text: str, limit: int = 240) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    first = lines[0] if lines else "no message"
    return first if len(first) <= limit else first[:limit] + "…"


def load(paths: str, context_name: str | None, plugin: Exception) -> LibraryUser:
    """The chosen context's cluster and user as the library logged in, or a one-line error."""
    from kubernetes import client, config
    from kubernetes.config.config_exception import ConfigException

    user_name = getattr(plugin, "user", "")
    what = getattr(plugin, "plugin", "plugin")
    where = f'user "{user_name}" in kubeconfig {paths}'
    configuration = client.Configuration()
    captured = _LibraryLog()
    root = logging.getLogger()
    root.addHandler(captured)  # also keeps logging from adding its stderr handler
    try:
        contexts, active = config.list_kube_config_contexts(config_file=paths)
        chosen = active
        if context_name:
            chosen = next((c for c in contexts if c["name"] == context_name), None)
            if chosen is None:
                names = ", ".join(c["name"] for c in contexts)
                raise config_error(
                    f'context "{context_name}" not found in {paths} (contexts: {names})'
                )
        config.load_kube_config(
            config_file=paths,
            context=chosen["name"],
            client_configuration=configuration,
            persist_config=False,
        )
    except ConnectError:
        raise
    except Exception as error:  # the library on a file it cannot follow: a local problem
        detail = (
            str(error) if isinstance(error, ConfigException) else f"{type(error).__name__}: {error}"
        )
        detail = _without_values(detail)
        raise config_error(
            f"cannot use kubeconfig {paths} ({what} of {where}): {_first_line(detail)}: "
            "fix the file, or log in again"
        ) from error
    finally:
        root.removeHandler(captured)
    if captured.lines:
        raise config_error(
            f"the kubeconfig's {what} failed ({where}): {_first_line(_without_values(captured.lines[0]))}: "
            "fix or reinstall the plugin, or log in again"
        )
    keys = configuration.api_key or {}
    authorization = keys.get("BearerToken") or keys.get("authorization") or ""
    token = authorization.removeprefix("Bearer ").strip() or None
    cert = (
        (configuration.cert_file, configuration.key_file)
        if configuration.cert_file and configuration.key_file
        else None
    )
    context = chosen.get("context") or {}
    return LibraryUser(
        server=configuration.host,
        namespace=context.get("namespace") or "default",
        token=token,
        ca_file=configuration.ssl_ca_cert,
        verify=bool(configuration.verify_ssl),
        client_cert=cert,
        context=chosen["name"],
        user=context.get("user", ""),
        cluster=str(context.get("cluster", "")),
        plugin=what,
        where=where,
    )
