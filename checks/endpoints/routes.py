"""How the tool reaches model routes: one CA, one verify switch, one timeout, the --resolve /
--connect-to rules, and one pooled HTTP client shared by every probe, send and burst of a session."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import httpx

from checks.endpoints.probe import ProbeResult, Reach, _verify_context, probe, reach
from checks.endpoints.probe_turns import ProbeTurns
from checks.errors import DoctorError, ErrorKind
from checks.transport import capped
from checks.transport.addressing import Override, address
from checks.transport.no_answer import host_of, unreachable
from checks.transport.pools import ShardedTransport

# Sending a request (infer, a burst) loads its module when one is sent: a diagnosis only probes.
if TYPE_CHECKING:
    from checks.endpoints.send import Burst, Sent

POOL = 64  # connections of the shared client, and more as a burst needs them (pools.py)
POOL_MOST = 1024  # ... up to this many
SILENT_FOR = 30.0  # seconds a host that gave no answer is not waited on again
REACHED_FOR = 5.0  # seconds one host's DNS, TCP and TLS steps serve every probe of it


@dataclass
class RouteAccess:
    ca_file: str | None = None
    verify: bool = True
    timeout: float = 10.0
    rules: list[Override] = field(default_factory=list)
    _client: httpx.AsyncClient | None = field(default=None, repr=False)
    _silent: dict[str, tuple[float, DoctorError]] = field(default_factory=dict, repr=False)
    _reached: dict[tuple, tuple[float, asyncio.Future]] = field(default_factory=dict, repr=False)
    _turns: ProbeTurns = field(default_factory=ProbeTurns, repr=False)

    def _still_silent(self, url: str) -> DoctorError | None:
        """A host that timed out or refused a moment ago: checks and sends that would each wait
        on it share that first failure instead of paying the deadline again."""
        seen = self._silent.get(host_of(url))
        if seen is None or time.monotonic() - seen[0] > SILENT_FOR:
            return None
        return seen[1]

    def _remember(self, url: str, error: DoctorError | None) -> None:
        if error is not None and error.kind in (ErrorKind.TIMEOUT, ErrorKind.REFUSED):
            self._silent[host_of(url)] = (time.monotonic(), error)

    def client(self) -> httpx.AsyncClient:
        """Created on first use, so it belongs to the event loop that uses it."""
        if self._client is None:
            verify = _verify_context(self.ca_file, self.verify)
            self._client = httpx.AsyncClient(
                verify=verify,
                timeout=self.timeout,
                transport=ShardedTransport(verify, POOL, POOL_MOST),
            )
        return self._client

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def get_json(self, url: str, token: str | None) -> dict | None:
        """GET a JSON object; None when the route does not answer one."""
        if self._still_silent(url):
            return None
        addressed = address(url, self.rules)
        headers = dict(addressed.headers)
        if token:
            headers["Authorization"] = f"Bearer {token}"
        try:
            async with asyncio.timeout(self.timeout):
                response = await capped.request(
                    self.client(),
                    "GET",
                    addressed.url,
                    capped.MODEL_ANSWER_LIMIT,
                    f"the model route ({url})",
                    headers=headers,
                    extensions=addressed.extensions,
                )
            body = response.json() if response.status_code == 200 else None
        except (httpx.HTTPError, TimeoutError) as error:
            self._remember(url, unreachable(url, error, self.timeout))
            return None
        except (ValueError, DoctorError):
            return None
        return body if isinstance(body, dict) else None

    async def send(self, url: str, body: bytes, token: str | None, model: str = "") -> Sent:
        if (silent := self._still_silent(url)) is not None:
            raise silent
        from checks.endpoints.send import send

        try:
            return await send(self.client(), url, body, token, self.rules, model, self.timeout)
        except DoctorError as error:
            self._remember(url, error)
            raise

    async def burst(
        self, url: str, body: bytes, token: str | None, count: int, concurrency: int
    ) -> Burst:
        from checks.endpoints.send import burst, http_client

        if concurrency <= POOL:
            return await burst(
                self.client(), url, body, token, self.rules, count, concurrency, self.timeout
            )
        # A pool as wide as the concurrency asked for: latency is then the server's, not time
        # spent queueing for one of the shared pool's connections.
        async with http_client(self.ca_file, self.verify, self.timeout, concurrency) as wide:
            return await burst(wide, url, body, token, self.rules, count, concurrency, self.timeout)

    async def probe(self, url: str, token: str | None, method: str = "GET") -> ProbeResult:
        if (silent := self._still_silent(url)) is not None:
            return ProbeResult(url, "http", silent.message, (), error=silent)
        try:
            async with asyncio.timeout(self.timeout * 3):  # DNS, TCP, TLS and HTTP, each bounded
                async with self._turns.turn((url, method, address(url, self.rules).via)):
                    # the probe this one waited for may have found the host silent
                    if (silent := self._still_silent(url)) is not None:
                        return ProbeResult(url, "http", silent.message, (), error=silent)
                    result = await self._probe(url, token, method)
        except TimeoutError:
            return ProbeResult(url, "http", f"no answer within {self.timeout * 3:g} s", ())
        self._remember(url, result.error)
        return result

    async def _probe(self, url: str, token: str | None, method: str = "GET") -> ProbeResult:
        return await probe(
            url,
            rules=self.rules,
            ca_file=self.ca_file,
            verify=self.verify,
            token=token,
            timeout=self.timeout,
            method=method,
            http=self.client(),
            reached=await self._reach(url),
        )

    async def _reach(self, url: str) -> Reach:
        """DNS and TCP to the URL's host once for the probes of it a moment apart (a
        diagnosis probes the model's URL with its token and without one): the same steps,
        asked once. Shielded: a probe that gives up does not cancel another's wait."""
        parts = urlsplit(url)
        key = (parts.scheme, parts.hostname, parts.port, address(url, self.rules).via)
        now, loop = time.monotonic(), asyncio.get_running_loop()
        kept = self._reached.get(key)
        if kept is None or now - kept[0] > REACHED_FOR or kept[1].get_loop() is not loop:
            if len(self._reached) > 256:  # a sweep's hosts: keep only the fresh ones
                self._reached = {
                    k: v for k, v in self._reached.items() if now - v[0] <= REACHED_FOR
                }
            work = reach(url, rules=self.rules, timeout=self.timeout)
            kept = self._reached[key] = (now, asyncio.ensure_future(work))
        return await asyncio.shield(kept[1])

    def as_curl(self, url: str, body: dict, token: str | None, show_token: bool = False) -> str:
        from checks.endpoints.send import as_curl

        return as_curl(
            url,
            body,
            token=token,
            show_token=show_token,
            ca_file=self.ca_file,
            insecure=not self.verify,
            rules=self.rules,
        )
