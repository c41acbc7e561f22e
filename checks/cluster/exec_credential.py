"""A kubeconfig's exec plugin run the way client-go runs it: the command (a relative path with a
slash is the kubeconfig's folder's), its args and env, KUBERNETES_EXEC_INFO holding the
ExecCredential request, and the ExecCredential it prints read back (its token, when that token
expires, or a client certificate). Failures are one line naming the plugin and the user."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from checks.errors import ConnectError, ErrorKind
from checks.text import one_line

API_VERSIONS = ("client.authentication.k8s.io/v1", "client.authentication.k8s.io/v1beta1")
PLUGIN_TIMEOUT = 120.0  # an SSO login in a browser takes a while; a hung plugin does not
OUTPUT_LIMIT = 1024 * 1024  # an ExecCredential is a few KiB


@dataclass(frozen=True)
class ExecPlugin:
    """The `exec` entry of a kubeconfig user, checked; `where` names the user and the file."""

    command: str
    args: tuple[str, ...]
    env: tuple[tuple[str, str], ...]
    api_version: str
    where: str
    cluster_info: str = ""  # the ExecCredential's spec.cluster as JSON, when provideClusterInfo

    @property
    def what(self) -> str:
        return f"exec plugin {self.command}"


@dataclass(frozen=True)
class Credential:
    """What a plugin run gave: a token (maybe with its expiry, epoch seconds) or a client
    certificate and key (PEM)."""

    token: str | None = None
    expires: float | None = None
    cert_pem: bytes | None = None
    key_pem: bytes | None = None

    def expired(self) -> bool:
        return self.expires is not None and time.time() >= self.expires


def _fail(plugin: ExecPlugin | None, where: str, what: str, detail: str, fix: str) -> ConnectError:
    name = plugin.what if plugin else what
    return ConnectError(
        ErrorKind.CONFIG, one_line(f"the kubeconfig's {name} failed ({where}): {detail}: {fix}")
    )


def parse(spec: Any, base: Path, where: str, cluster: dict[str, Any] | None = None) -> ExecPlugin:
    """The exec entry as an ExecPlugin; a malformed one is a one-line error naming the field."""
    bad = "fix the exec entry of the user, or log in again"
    if not isinstance(spec, dict):
        raise _fail(None, where, "exec plugin", "the exec entry is not a mapping", bad)
    command = spec.get("command")
    if not isinstance(command, str) or not command:
        raise _fail(None, where, "exec plugin", 'it names no "command"', bad)
    what = f"exec plugin {command}"
    version = spec.get("apiVersion")
    if version not in API_VERSIONS:
        raise _fail(
            None,
            where,
            what,
            f'"apiVersion" must be one of {", ".join(API_VERSIONS)}',
            bad,
        )
    args = spec.get("args") or []
    if not isinstance(args, list) or not all(isinstance(a, str) for a in args):
        raise _fail(None, where, what, '"args" must be a list of strings', bad)
    env: list[tuple[str, str]] = []
    for entry in spec.get("env") or []:
        name = entry.get("name") if isinstance(entry, dict) else None
        value = entry.get("value") if isinstance(entry, dict) else None
        if not isinstance(name, str) or not isinstance(value, str):
            raise _fail(None, where, what, '"env" must be a list of {name, value} strings', bad)
        env.append((name, value))
    if spec.get("interactiveMode") == "Always":
        raise _fail(
            None,
            where,
            what,
            'it asks for a terminal (interactiveMode "Always"), which this tool never hands '
            "to a plugin",
            "log in first (so it needs no prompt), or set interactiveMode IfAvailable",
        )
    if "/" in command and not Path(os.path.expanduser(command)).is_absolute():
        command = str(base / command)  # as client-go resolves it
    info = ""
    if spec.get("provideClusterInfo") and cluster is not None:
        info = json.dumps(cluster)
    return ExecPlugin(command, tuple(args), tuple(env), str(version), where, info)


def _expiry(stamp: Any, plugin: ExecPlugin, fix: str) -> float | None:
    if stamp in (None, ""):
        return None
    try:
        return datetime.fromisoformat(str(stamp).replace("Z", "+00:00")).timestamp()
    except ValueError as error:
        raise _fail(
            plugin, plugin.where, "", "its status.expirationTimestamp is not an RFC 3339 time", fix
        ) from error


def run(plugin: ExecPlugin) -> Credential:
    """Run the plugin once (blocking: call it in a thread from async code)."""
    fix = "fix or reinstall the plugin, or log in again"
    request: dict[str, Any] = {
        "apiVersion": plugin.api_version,
        "kind": "ExecCredential",
        "spec": {"interactive": False},
    }
    if plugin.cluster_info:
        request["spec"]["cluster"] = json.loads(plugin.cluster_info)
    env = {**os.environ, **dict(plugin.env), "KUBERNETES_EXEC_INFO": json.dumps(request)}
    try:
        done = subprocess.run(
            [plugin.command, *plugin.args],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            env=env,
            timeout=PLUGIN_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise _fail(
            plugin, plugin.where, "", f"it did not finish in {PLUGIN_TIMEOUT:g} s", fix
        ) from error
    except OSError as error:
        detail = f"{error.strerror or error}: {plugin.command}"
        raise _fail(plugin, plugin.where, "", detail, fix) from error
    if done.returncode != 0:
        said = done.stderr.decode("utf-8", "replace").strip().splitlines()
        detail = f"process returned {done.returncode}" + (f": {said[0][:200]}" if said else "")
        raise _fail(plugin, plugin.where, "", detail, fix)
    return _credential(done.stdout, plugin, fix)


def _credential(output: bytes, plugin: ExecPlugin, fix: str) -> Credential:
    """The ExecCredential a plugin printed, checked the way client-go checks it."""
    try:
        answer = json.loads(output[:OUTPUT_LIMIT])
    except ValueError as error:
        raise _fail(
            plugin, plugin.where, "", "failed to decode its output as an ExecCredential", fix
        ) from error
    if not isinstance(answer, dict) or answer.get("kind") != "ExecCredential":
        raise _fail(plugin, plugin.where, "", "failed to decode: it printed no ExecCredential", fix)
    if answer.get("apiVersion") != plugin.api_version:
        raise _fail(
            plugin,
            plugin.where,
            "",
            f"it answered apiVersion {str(answer.get('apiVersion'))[:60]!r}, "
            f"not the {plugin.api_version} it was asked for",
            fix,
        )
    status = answer.get("status")
    if not isinstance(status, dict):
        raise _fail(plugin, plugin.where, "", "its ExecCredential has no status", fix)
    expires = _expiry(status.get("expirationTimestamp"), plugin, fix)
    token = status.get("token")
    if isinstance(token, str) and token.strip():
        return Credential(token=token.strip(), expires=expires)
    cert, key = status.get("clientCertificateData"), status.get("clientKeyData")
    if isinstance(cert, str) and isinstance(key, str) and cert and key:
        return Credential(expires=expires, cert_pem=cert.encode(), key_pem=key.encode())
    raise _fail(
        plugin,
        plugin.where,
        "",
        "its ExecCredential holds neither a token nor a client certificate and key",
        fix,
    )


def cluster_info(cluster: dict[str, Any], server: str) -> dict[str, Any]:
    """spec.cluster for a plugin with provideClusterInfo (client-go's Cluster fields)."""
    info: dict[str, Any] = {"server": server}
    for ours, theirs in (
        ("tls-server-name", "tls-server-name"),
        ("insecure-skip-tls-verify", "insecure-skip-tls-verify"),
        ("certificate-authority-data", "certificate-authority-data"),
        ("proxy-url", "proxy-url"),
    ):
        if cluster.get(ours) not in (None, ""):
            info[theirs] = cluster[ours]
    if isinstance(info.get("certificate-authority-data"), str):  # client-go sends the bytes
        try:
            base64.b64decode(info["certificate-authority-data"], validate=True)
        except ValueError:
            info.pop("certificate-authority-data")
    return info
