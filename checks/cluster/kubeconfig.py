"""A fast reader for the common kubeconfig: token or client-certificate users, merged across
$KUBECONFIG's files the way kubectl merges them (the first file to name a thing wins).

Users with `exec` or `auth-provider` plugins are left to the kubernetes library (slower to
import); everything else starts without importing it.

A kubeconfig is a person's local file: whatever is wrong with it (not YAML, a list where a
mapping belongs, a context naming a cluster that is not there, key data that is not base64) is a
one-line ConnectError naming the file, the entry and the fix. No value of a user entry (a token,
a key) is ever quoted back.
"""

from __future__ import annotations

import base64
import binascii
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from checks.cluster.local_input import expand, local_file
from checks.errors import ConnectError, ErrorKind
from checks.text import one_line

if TYPE_CHECKING:  # run only for an exec user (it imports subprocess)
    from checks.cluster.exec_credential import ExecPlugin

MiB = 1024 * 1024
KUBECONFIG_LIMIT = 16 * MiB  # kubeconfigs are kilobytes; `--kubeconfig /dev/zero` is not one
TOKEN_FILE_LIMIT = 1 * MiB


class NeedsPlugin(Exception):
    """The chosen user authenticates through a plugin: let the kubernetes library do it.
    `args`: (user name, what the plugin is: "exec plugin /usr/bin/x" or "auth-provider oidc")."""

    @property
    def user(self) -> str:
        return str(self.args[0]) if self.args else ""

    @property
    def plugin(self) -> str:
        return str(self.args[1]) if len(self.args) > 1 else "plugin"


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
    cluster: str = ""
    tls_server_name: str | None = None
    proxy_url: str | None = None
    token_file: str | None = None  # re-read when it changes (a projected, rotated token)
    exec_plugin: ExecPlugin | None = None


def _fail(message: str) -> ConnectError:
    """One line, whatever the names in it hold (YAML names may hold newlines)."""
    return ConnectError(ErrorKind.CONFIG, one_line(message))


def kind_of(value: Any) -> str:
    """What a YAML value is, in words (never the value: it may be a secret)."""
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"a {type(value).__name__}"


def _document(path: str) -> dict[str, Any]:
    """One kubeconfig file as a mapping, or a one-line error naming it."""
    import yaml

    file = local_file(
        path, f"kubeconfig {path}", "give the kubeconfig file itself (--kubeconfig FILE)"
    )
    try:
        with file.open("rb") as handle:
            raw = handle.read(KUBECONFIG_LIMIT + 1)
    except OSError as error:
        raise _fail(f"cannot read kubeconfig {path}: {error.strerror or error}") from error
    if len(raw) > KUBECONFIG_LIMIT:
        raise _fail(
            f"kubeconfig {path} is larger than {KUBECONFIG_LIMIT // MiB} MiB: "
            "it is not a kubeconfig (give --kubeconfig FILE)"
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise _fail(
            f"kubeconfig {path} is not UTF-8 text (byte {error.start}): "
            "it is not a kubeconfig (give --kubeconfig FILE)"
        ) from error
    try:
        # libyaml's parser where PyYAML has it (as the capture reader does), with the same
        # safe constructor: a kubeconfig `oc login` grew to 40 clusters (81 KB) reads in
        # 9.6 ms instead of 104 ms, the lab's in 0.4 ms instead of 3.9 ms
        document = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = " ".join(str(error.problem or error.context or "syntax error").split())
        raise _fail(
            f"kubeconfig {path} is not valid YAML ({where}{problem}): fix the file, "
            "or log in again (`oc login`) to rewrite it"
        ) from error
    except yaml.YAMLError as error:
        problem = " ".join(str(error).split())[:200]
        raise _fail(
            f"kubeconfig {path} is not valid YAML ({problem}): fix the file, "
            "or log in again (`oc login`) to rewrite it"
        ) from error
    except RecursionError as error:
        raise _fail(
            f"kubeconfig {path} is nested too deeply to be a kubeconfig: fix the file"
        ) from error
    if document is None:
        return {}
    if not isinstance(document, dict):
        raise _fail(
            f"kubeconfig {path} holds {kind_of(document)}, not a kubeconfig (a mapping with "
            "clusters, users and contexts): fix the file or give another (--kubeconfig FILE)"
        )
    return document


def _load(paths: str) -> dict[str, Any]:
    """The merged kubeconfig: {"clusters"/"users"/"contexts": {name: (body, base dir, file)},
    "current-context": name}."""
    merged: dict[str, Any] = {"clusters": {}, "users": {}, "contexts": {}, "current-context": ""}
    for path in paths.split(os.pathsep):
        if not path:
            continue
        document = _document(path)
        base = expand(path).parent
        for section in ("clusters", "users", "contexts"):
            singular = section[:-1]
            entries = document.get(section)
            if entries is None:
                continue
            if not isinstance(entries, list):
                raise _fail(
                    f'kubeconfig {path}: "{section}" must be a list of entries with a "name" '
                    f'and a "{singular}", not {kind_of(entries)}: fix the file'
                )
            for index, entry in enumerate(entries):
                where = f"kubeconfig {path}: {section}[{index}]"
                if not isinstance(entry, dict):
                    raise _fail(
                        f'{where} must be a mapping with a "name" and a "{singular}", '
                        f"not {kind_of(entry)}: fix the file"
                    )
                name = entry.get("name")
                if not isinstance(name, str) or not name:
                    raise _fail(
                        f'{where} has no "name" (a string): fix the file'
                        if name is None or name == ""
                        else f'{where}: "name" must be a string, not {kind_of(name)}: fix the file'
                    )
                body = entry.get(singular)
                if body is None:
                    body = {}
                if not isinstance(body, dict):
                    raise _fail(
                        f'kubeconfig {path}: {singular} "{name}" must be a mapping, '
                        f"not {kind_of(body)}: fix the file"
                    )
                if name not in merged[section]:
                    merged[section][name] = (body, base, path)
        current = document.get("current-context")
        if current is not None and not isinstance(current, str):
            raise _fail(
                f'kubeconfig {path}: "current-context" must be a context name, '
                f"not {kind_of(current)}: fix the file or pass --context NAME"
            )
        if not merged["current-context"]:
            merged["current-context"] = current or ""
    return merged


def _text(body: dict[str, Any], key: str, where: str) -> str | None:
    """A string field of an entry (None when absent or empty); anything else is an error that
    names the field, never its value."""
    value = body.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        hint = ": quote it" if isinstance(value, int | float) else ""
        raise _fail(f'{where}: "{key}" must be a string, not {kind_of(value)}{hint}')
    return value


def _file(value: str, base: Path) -> str:
    path = expand(value)
    return str(path if path.is_absolute() else base / path)


def _decoded(data: str, what: str, fix: str) -> bytes:
    try:
        decoded = base64.b64decode("".join(data.split()), validate=True)
    except (binascii.Error, ValueError) as error:
        raise _fail(f"{what} is not base64: {fix}") from error
    if not decoded:
        raise _fail(f"{what} is empty: {fix}")
    return decoded


def data_file(data: bytes, suffix: str) -> str:
    """Client key material must be a file for ssl; written 0600 and removed at exit."""
    import atexit
    import tempfile  # only for certificate data: most starts go without

    handle = tempfile.NamedTemporaryFile("wb", suffix=suffix, delete=False)  # noqa: SIM115
    os.chmod(handle.name, 0o600)
    handle.write(data)
    handle.close()

    def remove() -> None:
        if os.path.exists(handle.name):
            os.unlink(handle.name)

    atexit.register(remove)
    return handle.name


def _client_cert(user: dict[str, Any], user_base: Path, where: str) -> tuple[str, str] | None:
    """The user's client certificate and key as files, checked to load together."""
    import ssl

    cert_data = _text(user, "client-certificate-data", where)
    key_data = _text(user, "client-key-data", where)
    cert_path = _text(user, "client-certificate", where)
    key_path = _text(user, "client-key", where)
    fix = "it must be the base64 of a PEM file; log in again (`oc login`) to rewrite it"
    if cert_data and key_data:
        cert_pem = _decoded(cert_data, f"client-certificate-data of {where}", fix)
        key_pem = _decoded(key_data, f"client-key-data of {where}", fix)
        if b"-----BEGIN" not in cert_pem or b"CERTIFICATE-----" not in cert_pem:
            raise _fail(f"client-certificate-data of {where} holds no PEM certificate: {fix}")
        if b"-----BEGIN" not in key_pem or b"PRIVATE KEY-----" not in key_pem:
            raise _fail(f"client-key-data of {where} holds no PEM private key: {fix}")
        cert = (data_file(cert_pem, ".crt"), data_file(key_pem, ".key"))
        what = f"client-certificate-data and client-key-data of {where}"
    elif cert_path and key_path:
        cert = (_file(cert_path, user_base), _file(key_path, user_base))
        fix_file = "fix the path, or log in again (`oc login`)"
        local_file(cert[0], f"client-certificate {cert[0]} of {where}", fix_file)
        local_file(cert[1], f"client-key {cert[1]} of {where}", fix_file)
        what = f"client-certificate {cert[0]} and client-key {cert[1]} of {where}"
    else:
        return None
    try:
        ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT).load_cert_chain(*cert)
    except (ssl.SSLError, ValueError) as error:
        reason = getattr(error, "reason", None) or "not PEM"
        raise _fail(
            f"{what} do not load as a certificate and its private key ({reason}): "
            "the key must be the certificate's own, both PEM; log in again (`oc login`)"
        ) from error
    except OSError as error:
        raise _fail(f"{what} cannot be read: {error.strerror or error}") from error
    return cert


def _token_file(value: str, base: Path, where: str) -> str:
    return read_token_file(_file(value, base), f"tokenFile {_file(value, base)} of {where}")


def read_token_file(path: str, what: str) -> str:
    """A token file's token, stripped; read again by checks.cluster.kube_auth when the file changes."""
    file = local_file(path, what, "fix the path or log in again")
    try:
        with file.open("rb") as handle:
            raw = handle.read(TOKEN_FILE_LIMIT + 1)
    except OSError as error:
        raise _fail(f"{what} cannot be read: {error.strerror or error}") from error
    if len(raw) > TOKEN_FILE_LIMIT:
        raise _fail(f"{what} is larger than 1 MiB: it is not a token")
    try:
        return raw.decode("utf-8").strip()
    except UnicodeDecodeError as error:
        raise _fail(f"{what} is not text: a token is plain ASCII") from error


def _plugin(user: dict[str, Any]) -> str:
    """What authenticates a plugin user, in words, for errors ("exec plugin /usr/bin/x")."""
    if "exec" in user:
        spec = user.get("exec")
        command = spec.get("command") if isinstance(spec, dict) else None
        return f"exec plugin {command}" if isinstance(command, str) and command else "exec plugin"
    provider = user.get("auth-provider")
    name = provider.get("name") if isinstance(provider, dict) else None
    return f"auth-provider {name}" if isinstance(name, str) and name else "auth-provider"


def read(paths: str, context: str | None) -> Parsed:
    config = _load(paths)
    name = context or config["current-context"]
    if name not in config["contexts"]:
        names = ", ".join(config["contexts"]) or "none"
        raise _fail(
            f'context "{name}" not found in {paths} (contexts: {names})'
            if name
            else f"no current-context in {paths} (contexts: {names}): pass --context NAME"
        )
    ctx, _, ctx_file = config["contexts"][name]
    where_ctx = f'context "{name}" in kubeconfig {ctx_file}'
    cluster_name = _text(ctx, "cluster", where_ctx) or ""
    user_name = _text(ctx, "user", where_ctx) or ""
    namespace = _text(ctx, "namespace", where_ctx)
    if not cluster_name:
        raise _fail(f'{where_ctx} names no cluster: add "cluster: NAME" to it, or pass --server')
    if cluster_name not in config["clusters"]:
        names = ", ".join(config["clusters"]) or "none"
        raise _fail(
            f'{where_ctx} names cluster "{cluster_name}", which is not in {paths} '
            f"(clusters: {names}): fix the context, or pass --context NAME"
        )
    if user_name and user_name not in config["users"]:
        names = ", ".join(config["users"]) or "none"
        raise _fail(
            f'{where_ctx} names user "{user_name}", which is not in {paths} '
            f"(users: {names}): fix the context, or log in again (`oc login`)"
        )
    cluster, cluster_base, cluster_file = config["clusters"][cluster_name]
    user, user_base, user_file = config["users"].get(user_name, ({}, Path("."), ""))
    where_cluster = f'cluster "{cluster_name}" in kubeconfig {cluster_file}'
    where_user = f'user "{user_name}" in kubeconfig {user_file}'
    if "auth-provider" in user and "exec" not in user:
        raise NeedsPlugin(user_name, _plugin(user))
    server = _text(cluster, "server", where_cluster)
    if not server:
        raise _fail(f'context "{name}" names {where_cluster} without a server: add its server')
    plugin = None
    if "exec" in user:
        from checks.cluster import exec_credential

        info = exec_credential.cluster_info(cluster, server)
        plugin = exec_credential.parse(user["exec"], user_base, where_user, info)
    insecure = cluster.get("insecure-skip-tls-verify", False)
    if insecure is None:
        insecure = False
    if not isinstance(insecure, bool):
        raise _fail(
            f'{where_cluster}: "insecure-skip-tls-verify" must be true or false, '
            f"not {kind_of(insecure)}"
        )
    token = _text(user, "token", where_user)
    token_file = _text(user, "tokenFile", where_user)
    token_path = None
    if not token and token_file:
        token_path = _file(token_file, user_base)
        token = _token_file(token_file, user_base, where_user)
    cert = _client_cert(user, user_base, where_user)
    ca_file = _text(cluster, "certificate-authority", where_cluster)
    ca_data = _text(cluster, "certificate-authority-data", where_cluster)
    ca_text = None
    if ca_data:
        fix = "it must be the base64 of the cluster's PEM CA bundle; log in again (`oc login`)"
        decoded = _decoded(ca_data, f"certificate-authority-data of {where_cluster}", fix)
        # PEM is ASCII; a bundle's comment lines may not be (ssl wants ASCII text).
        ca_text = decoded.decode("ascii", "ignore")
    return Parsed(
        server=server,
        context=name,
        namespace=namespace or "default",
        user=user_name,
        token=token,
        ca_file=_file(ca_file, cluster_base) if ca_file else None,
        ca_data=ca_text,
        verify=not insecure,
        client_cert=cert,
        cluster=cluster_name,
        tls_server_name=_text(cluster, "tls-server-name", where_cluster),
        proxy_url=_text(cluster, "proxy-url", where_cluster),
        token_file=token_path,
        exec_plugin=plugin,
    )
