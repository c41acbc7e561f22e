"""An OCI registry seen from where the tool runs: does `HEAD /v2/<repo>/manifests/<tag>` answer
with the pull secret's credentials? Basic auth from the .dockerconfigjson, and the Bearer token
dance a registry asks for in `WWW-Authenticate`. Every request is bounded by --request-timeout.

Registry API facts (distribution spec): 401 = credentials missing or refused, 404 = the repository
or tag is unknown ("manifest unknown"); Docker treats loopback registries as plain HTTP.
"""

from __future__ import annotations

import asyncio
import ipaddress
import re
import ssl
from dataclasses import dataclass

import httpx

from checks.endpoints.routes import RouteAccess
from checks.transport import capped
from checks.transport.addressing import address
from checks.transport.no_answer import unreachable
from checks.transport.pools import SHARD_SIZE, ShardedTransport

TOKEN_LIMIT = 1024 * 1024  # a token answer is a few kB; more is not a registry
MANIFEST_TYPES = ", ".join(
    (
        "application/vnd.oci.image.index.v1+json",
        "application/vnd.oci.image.manifest.v1+json",
        "application/vnd.docker.distribution.manifest.list.v2+json",
        "application/vnd.docker.distribution.manifest.v2+json",
    )
)


@dataclass(frozen=True)
class ImageRef:
    """oci://host[:port]/repo[:tag|@digest], split as a registry reads it."""

    host: str
    repository: str
    reference: str  # tag or digest

    @classmethod
    def parse(cls, uri: str) -> ImageRef | None:
        rest = uri.split("://", 1)[-1]
        if "/" not in rest:
            return None
        host, path = rest.split("/", 1)
        if "@" in path:
            repository, reference = path.split("@", 1)
        elif ":" in path.rsplit("/", 1)[-1]:
            repository, reference = path.rsplit(":", 1)
        else:
            repository, reference = path, "latest"
        if not host or not repository:
            return None
        return cls(host, repository, reference)

    @property
    def bare_host(self) -> str:
        return self.host.rsplit(":", 1)[0] if self.host.count(":") == 1 else self.host

    def base_url(self) -> str:
        return f"{'http' if _loopback(self.bare_host) else 'https'}://{self.host}"

    def manifest_url(self) -> str:
        return f"{self.base_url()}/v2/{self.repository}/manifests/{self.reference}"

    def __str__(self) -> str:
        sep = "@" if self.reference.startswith("sha256:") else ":"
        return f"{self.host}/{self.repository}{sep}{self.reference}"


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def auth_for(auths: dict[str, str], ref: ImageRef) -> str | None:
    """The docker-config entry for the image's registry (with or without the port)."""
    for key in (ref.host, ref.bare_host):
        if key in auths:
            return auths[key]
    if ref.bare_host in ("docker.io", "registry-1.docker.io"):
        return auths.get("https://index.docker.io/v1/") or auths.get("index.docker.io")
    return None


@dataclass(frozen=True)
class RegistryAnswer:
    status: int | None  # None: no HTTP answer
    summary: str  # what a person reads
    kind: str  # ok, unauthorized, denied, manifest-unknown, unreachable, odd
    steps: tuple[str, ...] = ()


_CHALLENGE = re.compile(r'(\w+)="([^"]*)"')


async def head_manifest(routes: RouteAccess, ref: ImageRef, basic: str | None) -> RegistryAnswer:
    """HEAD the manifest with Basic auth, then with a Bearer token if the registry asks."""
    url = ref.manifest_url()
    steps: list[str] = []
    headers = {"Accept": MANIFEST_TYPES}
    if basic:
        headers["Authorization"] = f"Basic {basic}"
    try:
        async with asyncio.timeout(routes.timeout * 2), _client(routes) as http:
            response = await _request(http, routes, "HEAD", url, headers)
            steps.append(f"HEAD {url}: {response.status_code}")
            challenge = response.headers.get("www-authenticate", "")
            if response.status_code == 401 and challenge.lower().startswith("bearer"):
                token = await _bearer(http, routes, challenge, basic, steps, url)
                if token:
                    headers["Authorization"] = f"Bearer {token}"
                    response = await _request(http, routes, "HEAD", url, headers)
                    steps.append(f"HEAD {url} with the token: {response.status_code}")
    except capped.TooLarge as error:
        return RegistryAnswer(None, str(error), "odd", tuple(steps))
    except (httpx.HTTPError, TimeoutError) as error:
        failure = unreachable(url, error, routes.timeout)
        return RegistryAnswer(None, failure.message, "unreachable", tuple(steps))
    return _judge(response.status_code, ref, basic is not None, tuple(steps))


def _client(routes: RouteAccess) -> httpx.AsyncClient:
    """The system CAs plus the route CA (a public registry must verify even when the routes'
    own CA was given), with --request-timeout per request. The registry and its token realm
    dialled at one address (--connect-to) keep their connections apart (ShardedTransport):
    the pull secret goes out only on a connection made for the realm's own name."""
    verify: ssl.SSLContext | bool = False
    if routes.verify:
        verify = ssl.create_default_context()
        if routes.ca_file:
            verify.load_verify_locations(routes.ca_file)
    return httpx.AsyncClient(
        verify=verify, timeout=routes.timeout, transport=ShardedTransport(verify, SHARD_SIZE)
    )


async def _request(
    http: httpx.AsyncClient, routes: RouteAccess, method: str, url: str, headers: dict
) -> httpx.Response:
    addressed = address(url, routes.rules)
    return await http.request(
        method,
        addressed.url,
        headers={**headers, **addressed.headers},
        extensions=addressed.extensions,
    )


def basic_goes_to_realm(registry_url: str, realm: str) -> tuple[bool, str]:
    """(send, why not): the pull secret's Basic credentials go to a token realm over TLS only,
    as containerd does; plain HTTP only to the very host and port of a plain-HTTP (loopback)
    registry, which already has them. An HTTPS registry's credentials never go over HTTP."""
    there, here = httpx.URL(realm), httpx.URL(registry_url)
    if there.scheme == "https":
        return True, ""
    if here.scheme == "http" and (there.host, there.port) == (here.host, here.port):
        return True, ""
    if here.scheme == "https":
        return False, "an HTTPS registry's credentials never go over plain HTTP"
    return False, "credentials go to a token realm on another host only over HTTPS"


async def _bearer(
    http: httpx.AsyncClient,
    routes: RouteAccess,
    challenge: str,
    basic: str | None,
    steps: list[str],
    registry_url: str,
) -> str | None:
    fields = dict(_CHALLENGE.findall(challenge))
    realm = fields.pop("realm", "")
    if not realm.startswith(("http://", "https://")):
        return None
    send, why_not = basic_goes_to_realm(registry_url, realm)
    headers = {"Authorization": f"Basic {basic}"} if basic and send else {}
    if basic and not send:
        steps.append(f"the pull secret's credentials were not sent to {realm}: {why_not}")
    addressed = address(realm, routes.rules)
    response = await capped.request(
        http,
        "GET",
        str(httpx.URL(addressed.url, params=fields)),
        TOKEN_LIMIT,
        f"the registry's token endpoint ({realm})",
        headers={**headers, **addressed.headers},
        extensions=addressed.extensions,
    )
    steps.append(f"token from {realm}: {response.status_code}")
    if response.status_code != 200:
        return None
    try:
        body = response.json()
    except ValueError:
        return None
    token = body.get("token") or body.get("access_token") if isinstance(body, dict) else None
    return str(token) if token else None


def _judge(status: int, ref: ImageRef, had_credentials: bool, steps: tuple) -> RegistryAnswer:
    if status == 200:
        return RegistryAnswer(status, f"{ref} exists and the credentials may pull it", "ok", steps)
    if status == 401:
        who = (
            "rejects the pull secret's credentials"
            if had_credentials
            else "wants credentials and the pull secret has none for it"
        )
        return RegistryAnswer(
            status, f"unauthorized: registry {ref.host} {who} (HTTP 401)", "unauthorized", steps
        )
    if status == 403:
        return RegistryAnswer(
            status,
            f"denied: registry {ref.host} accepts the credentials but they may not pull "
            f"{ref.repository} (HTTP 403)",
            "denied",
            steps,
        )
    if status == 404:
        return RegistryAnswer(
            status,
            f"manifest unknown: {ref.repository}:{ref.reference} does not exist on "
            f"{ref.host} (HTTP 404): wrong repository or tag",
            "manifest-unknown",
            steps,
        )
    return RegistryAnswer(status, f"registry {ref.host} answered HTTP {status}", "odd", steps)
