"""Files, tokens and URLs the user gave, checked before anything is dialled: each bad one is a
one-line ConnectError naming the flag or the kubeconfig entry and the fix, never a traceback
from ssl, urllib or the kubernetes library."""

from __future__ import annotations

import os
import re
import ssl
import stat
import sys
from pathlib import Path
from urllib.parse import urlsplit

from checks.errors import ConnectError, ErrorKind
from checks.text import one_line

CA_LIMIT = 64 * 1024 * 1024  # the largest system bundles are a few hundred KiB
API_CA_FIX = "give the PEM CA bundle that signed the API server's certificate"
# A host as a URL may spell it: a name or IPv4 address (percent-escapes and sub-delimiters
# allowed, as RFC 3986 does), or an IPv6 literal (urlsplit has checked its brackets).
HOST = re.compile(r"[A-Za-z0-9._~!$&'()*+,;=%-]+|[0-9A-Fa-f:.]*:[0-9A-Za-z:.%]*")
# The context each CA check loaded, by what it loaded: the API client takes it (once) instead
# of loading the same bundle again.
_loaded: dict[tuple[str, str], ssl.SSLContext] = {}
PEM_BEGIN, PEM_END = "-----BEGIN CERTIFICATE-----", "-----END CERTIFICATE-----"


def no_passphrase() -> bytes:
    return b""


def config_error(message: str) -> ConnectError:
    """One line, whatever the names and paths in it hold (a context name may hold a newline)."""
    return ConnectError(ErrorKind.CONFIG, one_line(message))


def expand(path: str) -> Path:
    """`~/x` and `~user/x` as a shell would; an unknown user's `~name` stays as written."""
    try:
        return Path(path).expanduser()
    except RuntimeError:
        return Path(path)


def local_file(path: str, what: str, fix: str) -> Path:
    """A file the user named, checked to exist and not be a directory; else a one-line error
    `<what> does not exist: <fix>`. Pipes (`--kubeconfig <(oc config view --raw)`) are fine."""
    file = expand(path)
    try:
        info = file.stat()
    except (FileNotFoundError, NotADirectoryError):
        raise config_error(f"{what} does not exist: {fix}") from None
    except PermissionError:
        raise config_error(f"{what} cannot be read (permission denied): {fix}") from None
    except OSError as error:
        raise config_error(f"{what} cannot be read ({error.strerror or error}): {fix}") from None
    except ValueError:
        raise config_error(f"{what} is not a valid path: {fix}") from None
    if stat.S_ISDIR(info.st_mode):
        raise config_error(f"{what} is a directory, not a file: {fix}")
    if not os.access(file, os.R_OK):
        raise config_error(f"{what} cannot be read (permission denied): {fix}")
    return file


def verifying_context() -> ssl.SSLContext:
    """What ssl.create_default_context() makes to verify a server, before it loads any CA:
    hostname checked, certificate required, SSLKEYLOGFILE honoured."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    keylog = os.environ.get("SSLKEYLOGFILE")
    if keylog and not sys.flags.ignore_environment:
        context.keylog_filename = keylog
    return context


def loaded_ca(ca_file: str | None, ca_data: str | None) -> ssl.SSLContext | None:
    """The context check_ca_file / check_ca_data loaded for exactly this CA, taken once (its
    taker goes on to change it); None when both a file and data are given."""
    if ca_file and not ca_data:
        return _loaded.pop(("file", ca_file), None)
    if ca_data and not ca_file:
        return _loaded.pop(("data", ca_data), None)
    return None


def check_ca_data(
    text: str, what: str, fix: str, cafile: Path | None = None, *, key: str = ""
) -> None:
    """PEM CA certificates ssl can load, else `<what> holds no PEM certificate: <fix>`."""
    if "-----BEGIN" not in text:
        raise config_error(f"{what} holds no PEM certificate (-----BEGIN CERTIFICATE-----): {fix}")
    context = verifying_context()
    try:
        if cafile is not None:
            context.load_verify_locations(cafile=str(cafile))
        else:
            context.load_verify_locations(cadata=text)
    except (ssl.SSLError, ValueError, TypeError) as error:
        reason = getattr(error, "reason", None)
        why = f" ({reason})" if reason else ""
        raise config_error(f"{what} holds no readable PEM certificate{why}: {fix}") from error
    except OSError as error:
        raise config_error(f"{what} cannot be read ({error.strerror or error}): {fix}") from error
    _loaded[("file", key) if key else ("data", text)] = context
    while len(_loaded) > 8:  # contexts nobody took (a command that stopped before dialling)
        _loaded.pop(next(iter(_loaded)))


def check_pem_blocks(text: str, what: str, fix: str) -> None:
    """PEM certificate blocks whose base64 decodes to DER, without building an SSL context:
    for a bundle this command never dials with (a system bundle costs ssl ~17 ms to load)."""
    import base64
    import binascii

    if "-----BEGIN" not in text:
        raise config_error(f"{what} holds no PEM certificate (-----BEGIN CERTIFICATE-----): {fix}")
    blocks = [part.partition(PEM_END)[0] for part in text.split(PEM_BEGIN)[1:]]
    try:
        readable = bool(blocks) and all(
            base64.b64decode("".join(block.split()), validate=True)[:1] == b"0" for block in blocks
        )
    except (binascii.Error, ValueError):
        readable = False
    if not readable:
        raise config_error(f"{what} holds no readable PEM certificate: {fix}")


def check_ca_file(path: str, what: str, fix: str, *, load: bool = True) -> None:
    """A CA bundle the user named: there, a file, readable, and PEM certificates ssl loads
    (`load`; else only their PEM form, see check_pem_blocks). `what` names it for the person
    ("--certificate-authority /x")."""
    file = local_file(path, what, fix)
    try:
        with file.open("rb") as handle:
            raw = handle.read(CA_LIMIT + 1)
    except OSError as error:
        raise config_error(f"{what} cannot be read ({error.strerror or error}): {fix}") from error
    if len(raw) > CA_LIMIT:
        raise config_error(f"{what} is larger than 64 MiB, not a CA bundle: {fix}")
    regular = stat.S_ISREG(file.stat().st_mode)
    text = raw.decode("ascii", "ignore")
    if not load:
        return check_pem_blocks(text, what, fix)
    check_ca_data(text, what, fix, file if regular else None, key=path)


def check_token(token: str, what: str, fix: str = "copy the token again (`oc whoami -t`)") -> None:
    """A bearer token goes into an HTTP header: printable ASCII without spaces. Says where the
    first offending character is, never the token."""
    if token[:7].lower() == "bearer ":
        raise config_error(f"{what} starts with 'Bearer ': give the token alone")
    for position, char in enumerate(token, 1):
        if not char.isascii():
            raise config_error(f"{what} holds a non-ASCII character (character {position}): {fix}")
        if not char.isprintable() or char.isspace():
            raise config_error(
                f"{what} holds a space or control character (character {position}): {fix}"
            )


def check_server(server: str, what: str, fix: str) -> str:
    """The API server URL, as https://HOST[:PORT][/path] (kubectl's default scheme is https);
    a URL that cannot be dialled is a one-line error naming where it came from."""
    text = server.strip()
    if not text:
        raise config_error(f"{what} is empty: {fix}")
    if "://" not in text:
        text = f"https://{text}"
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as error:
        if "out of range" in str(error):
            raise config_error(f"{what} {server!r} has a port outside 1-65535: {fix}") from error
        raise config_error(f"{what} {server!r} is not a URL ({error}): {fix}") from error
    if parts.scheme.lower() not in ("https", "http"):
        raise config_error(f"{what} {server!r} is not an https:// URL ({parts.scheme}://): {fix}")
    if not parts.hostname:
        raise config_error(f"{what} {server!r} has no host: {fix}")
    if port == 0:
        raise config_error(f"{what} {server!r} has a port outside 1-65535: {fix}")
    if not text.isascii() or not text.isprintable() or any(c.isspace() for c in text):
        bad = next(c for c in text if not c.isascii() or not c.isprintable() or c.isspace())
        ascii_form = " (write a host name in its ASCII xn-- form)" if not bad.isascii() else ""
        raise config_error(f"{what} {server!r} is not a URL (it holds {bad!r}){ascii_form}: {fix}")
    if not HOST.fullmatch(parts.hostname):
        raise config_error(f"{what} {server!r} is not a URL (invalid host): {fix}")
    return text


def check_proxy(proxy: str, what: str) -> None:
    """A kubeconfig proxy-url: http:// or https:// (socks5:// needs the socksio package, which
    httpx does not bring), with a host; the URL is never quoted (it may carry a password)."""
    fix = "give http://HOST:PORT"
    try:
        parts = urlsplit(proxy.strip())
        parts.port  # noqa: B018  (a bad port raises here)
    except ValueError as error:
        raise config_error(f"{what} is not a URL: {fix}") from error
    scheme = parts.scheme.lower()
    if scheme in ("socks5", "socks5h"):
        import importlib.util

        if importlib.util.find_spec("socksio") is None:
            raise config_error(
                f"{what} is a SOCKS proxy, which needs the socksio package: "
                "pip install 'httpx[socks]', or give an http:// proxy"
            )
    elif scheme not in ("http", "https"):
        raise config_error(f"{what} is not an http://, https:// or socks5:// URL: {fix}")
    if not parts.hostname:
        raise config_error(f"{what} has no host: {fix}")
