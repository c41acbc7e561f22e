"""curl's --resolve and --connect-to for httpx: reach a route whose name the bastion cannot
resolve, while TLS still checks the certificate against the route's own host name."""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from checks.errors import ConnectError


@dataclass(frozen=True)
class Override:
    host: str  # exact name, "*.suffix" pattern, or "" for any host
    port: int | None  # None for any port
    target_host: str
    target_port: int | None  # None: keep the request's port

    def matches(self, host: str, port: int) -> bool:
        host_ok = not self.host or fnmatch.fnmatch(host, self.host)
        return host_ok and (self.port is None or self.port == port)


def _port(text: str, spec: str, flag: str) -> int | None:
    if not text:
        return None
    # isascii: "²" and "٣" are digits to str.isdigit; a port is written in 0-9.
    if not (text.isascii() and text.isdigit()) or len(text) > 5 or not 0 < int(text) < 65536:
        raise ConnectError(
            "usage", f"{flag} {spec!r} has a bad port {text!r}: a port is 1 to 65535"
        )
    return int(text)


def parse_resolve(spec: str) -> Override:
    """HOST:PORT:ADDR, as curl --resolve."""
    parts = spec.split(":", 2)
    if len(parts) != 3 or not parts[0] or not parts[2]:
        raise ConnectError("config", f"--resolve wants HOST:PORT:ADDRESS, got {spec!r}")
    return Override(parts[0], _port(parts[1], spec, "--resolve"), parts[2].strip("[]"), None)


def parse_connect_to(spec: str) -> Override:
    """HOST1:PORT1:HOST2:PORT2, as curl --connect-to (empty fields match anything; an IPv6
    HOST2 is written in brackets, `[::1]`)."""
    usage = ConnectError("usage", f"--connect-to wants HOST1:PORT1:HOST2:PORT2, got {spec!r}")
    parts = spec.split(":", 2)
    if len(parts) != 3:
        raise usage
    host1, port1, target = parts
    if target.startswith("["):
        host2, _, rest = target[1:].partition("]")
        if not rest.startswith(":"):
            raise usage
        port2 = rest[1:]
    else:
        host2, colon, port2 = target.partition(":")
        if not colon or ":" in port2:
            raise usage
    return Override(
        host1, _port(port1, spec, "--connect-to"), host2, _port(port2, spec, "--connect-to")
    )


def overrides(resolve: tuple[str, ...], connect_to: tuple[str, ...]) -> list[Override]:
    return [parse_resolve(s) for s in resolve] + [parse_connect_to(s) for s in connect_to]


@dataclass(frozen=True)
class Addressed:
    """The URL to dial, plus the Host header and TLS server name of the URL that was asked for."""

    url: str
    headers: dict[str, str]
    extensions: dict[str, str]
    via: str = ""  # "127.0.0.1:8443" when an override applied


def address(url: str, rules: list[Override]) -> Addressed:
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    for rule in rules:
        if rule.matches(host, port):
            target_port = rule.target_port or port
            target = rule.target_host or host
            netloc = f"[{target}]:{target_port}" if ":" in target else f"{target}:{target_port}"
            host_header = parts.netloc.rsplit("@", 1)[-1]
            extensions = {"sni_hostname": host} if parts.scheme == "https" else {}
            return Addressed(
                urlunsplit(parts._replace(netloc=netloc)), {"Host": host_header}, extensions, netloc
            )
    return Addressed(url, {}, {})
