"""A fast reader for the common kubeconfig: token or client-certificate users, merged across
$KUBECONFIG's files the way kubectl merges them (the first file to name a thing wins).

Users with `exec` or `auth-provider` plugins are left to the kubernetes library (slower to
import); everything else starts without importing it.
"""

from __future__ import annotations

import base64
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any


class NeedsPlugin(Exception):
    """The chosen user authenticates through a plugin: let the kubernetes library do it."""


@dataclass(frozen=True)
class Parsed:
    server: str
    context: str
    namespace: str
    user: str
    token: str | None
    ca_file: str | None
    ca_data: str | None
    verify: bool
    client_cert: tuple[str, str] | None


def _load(paths: str) -> dict[str, Any]:
    import yaml

    merged: dict[str, Any] = {"clusters": {}, "users": {}, "contexts": {}, "current-context": ""}
    for path in paths.split(os.pathsep):
        if not path:
            continue
        document = yaml.safe_load(Path(path).expanduser().read_text()) or {}
        base = Path(path).expanduser().parent
        for section in ("clusters", "users", "contexts"):
            singular = section[:-1]
            for entry in document.get(section) or []:
                name = entry.get("name")
                if name and name not in merged[section]:
                    merged[section][name] = (entry.get(singular) or {}, base)
        if not merged["current-context"]:
            merged["current-context"] = document.get("current-context") or ""
    return merged


def _file(value: str, base: Path) -> str:
    path = Path(value).expanduser()
    return str(path if path.is_absolute() else base / path)


def _data_file(data: str, suffix: str) -> str:
    """Client key material must be a file for ssl; written 0600 and removed at exit."""
    import atexit

    handle = tempfile.NamedTemporaryFile("wb", suffix=suffix, delete=False)  # noqa: SIM115
    os.chmod(handle.name, 0o600)
    handle.write(base64.b64decode(data))
    handle.close()

    def remove() -> None:
        if os.path.exists(handle.name):
            os.unlink(handle.name)

    atexit.register(remove)
    return handle.name


def read(paths: str, context: str | None) -> Parsed:
    config = _load(paths)
    name = context or config["current-context"]
    if name not in config["contexts"]:
        names = ", ".join(config["contexts"]) or "none"
        raise KeyError(
            f'context "{name}" not found in {paths} (contexts: {names})'
            if name
            else f"no current-context in {paths} (contexts: {names})"
        )
    ctx, _ = config["contexts"][name]
    cluster, cluster_base = config["clusters"].get(ctx.get("cluster", ""), ({}, Path(".")))
    user, user_base = config["users"].get(ctx.get("user", ""), ({}, Path(".")))
    if "exec" in user or "auth-provider" in user:
        raise NeedsPlugin(ctx.get("user", ""))
    if not cluster.get("server"):
        raise KeyError(f'context "{name}" names cluster "{ctx.get("cluster")}" without a server')
    token = user.get("token")
    if not token and user.get("tokenFile"):
        token = Path(_file(user["tokenFile"], user_base)).read_text().strip()
    cert = None
    if user.get("client-certificate-data") and user.get("client-key-data"):
        cert = (
            _data_file(user["client-certificate-data"], ".crt"),
            _data_file(user["client-key-data"], ".key"),
        )
    elif user.get("client-certificate") and user.get("client-key"):
        cert = (_file(user["client-certificate"], user_base), _file(user["client-key"], user_base))
    ca_data = cluster.get("certificate-authority-data")
    return Parsed(
        server=cluster["server"],
        context=name,
        namespace=ctx.get("namespace") or "default",
        user=ctx.get("user", ""),
        token=token,
        ca_file=_file(cluster["certificate-authority"], cluster_base)
        if cluster.get("certificate-authority")
        else None,
        ca_data=base64.b64decode(ca_data).decode() if ca_data else None,
        verify=not cluster.get("insecure-skip-tls-verify", False),
        client_cert=cert,
    )
