"""With --connect-to or --resolve, many routes are dialled at one address (the router's, or a
tunnel's on a bastion). A kept-alive connection is keyed by that address, so route B's request
could go out on a connection whose handshake named and verified route A: B's check would show
A's certificate, and B's token would travel where A's TLS leads. Each request must ride a
connection made for its own host. Against a loopback TLS server that picks its certificate by
the server name asked (as a router does) and records which name each request came in under."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from checks.endpoints.probe import ProbeResult
from checks.endpoints.routes import RouteAccess
from checks.transport.addressing import parse_connect_to
from tests.helpers.named_tls import NamedServer

GOOD = "good.apps.example.test"
ALSO_GOOD = "also-good.apps.example.test"
MISNAMED = "misnamed.example.test"  # its certificate names another host
MANY = 150  # route hosts in one session: more than the transport keeps pools for
WIDTH = 32  # probes at once, as a sweep has them


def probed(
    tmp_path: Path, work: Callable[[RouteAccess], Awaitable[Any]]
) -> tuple[NamedServer, Any]:
    """(the server, what `work` returned) for `work` given the session's route access, every
    *.example.test dialled at the server (--connect-to)."""
    server = NamedServer(tmp_path, "*.apps.example.test", MISNAMED)
    rule = parse_connect_to(f"*.example.test:443:127.0.0.1:{server.port}")

    async def scenario() -> Any:
        routes = RouteAccess(ca_file=server.ca_file, timeout=10.0, rules=[rule])
        try:
            return await work(routes)
        finally:
            await routes.aclose()

    try:
        return server, asyncio.run(scenario())
    finally:
        server.close()


def url(host: str) -> str:
    return f"https://{host}/v2/models/iris"


def on_its_own_connection(server: NamedServer, token: Callable[[str], str]) -> None:
    for name, host, auth in server.seen:
        assert name == host, f"{host}'s request went out on a connection made for {name}"
        assert auth == f"Bearer {token(host)}"


def test_a_route_after_another_shows_its_own_certificate(tmp_path: Path) -> None:
    async def work(routes: RouteAccess) -> list[ProbeResult]:
        first = await routes.probe(url(GOOD), "token-good")
        return [first, await routes.probe(url(MISNAMED), "token-misnamed")]

    server, (first, second) = probed(tmp_path, work)
    assert first.failed_step is None, first.message
    # the kept-alive connection to GOOD's handshake must not stand in for MISNAMED's
    assert second.failed_step == "tls", second.steps
    assert f"the certificate of {MISNAMED} is not trusted" in second.message
    assert not any(auth == "Bearer token-misnamed" for _, _, auth in server.seen)


def test_each_request_rides_a_connection_made_for_its_own_host(tmp_path: Path) -> None:
    tokens = {GOOD: "token-good", ALSO_GOOD: "token-also-good"}

    async def work(routes: RouteAccess) -> list[ProbeResult]:
        results = []
        for host in (GOOD, ALSO_GOOD, GOOD, ALSO_GOOD):  # one after another: kept alive
            results.append(await routes.probe(url(host), tokens[host]))
        together = [routes.probe(url(h), tokens[h]) for h in (GOOD, ALSO_GOOD) * 5]
        return results + list(await asyncio.gather(*together))

    server, results = probed(tmp_path, work)
    assert [r.message for r in results if r.failed_step is not None] == []
    assert len(server.seen) == 14
    on_its_own_connection(server, tokens.__getitem__)


def test_a_sweep_over_many_routes_keeps_every_host_on_its_own_connections(tmp_path: Path) -> None:
    hosts = [f"model-{n}.apps.example.test" for n in range(MANY)]

    async def work(routes: RouteAccess) -> list[ProbeResult]:
        at_once = asyncio.Semaphore(WIDTH)

        async def probe(host: str) -> ProbeResult:
            async with at_once:
                return await routes.probe(url(host), f"token-{host}")

        results: list[ProbeResult] = []
        for _ in range(2):  # many at once, twice: names come, go idle and are let go
            results += await asyncio.gather(*(probe(h) for h in hosts))
        for host in hosts[:10]:  # and one after another
            results.append(await routes.probe(url(host), f"token-{host}"))
        return results

    server, results = probed(tmp_path, work)
    assert [r.message for r in results if r.failed_step is not None] == []
    assert len(server.seen) == 2 * MANY + 10
    on_its_own_connection(server, lambda host: f"token-{host}")


def test_a_route_probed_with_and_without_its_token_at_once_costs_one_handshake(
    tmp_path: Path,
) -> None:
    """The route and auth checks probe a model's URL at the same moment: the second waits for
    the first and rides its connection (checks/endpoints/probe_turns.py)."""

    async def work(routes: RouteAccess) -> list[ProbeResult]:
        both = routes.probe(url(GOOD), "token-good"), routes.probe(url(GOOD), None)
        return list(await asyncio.gather(*both))

    server, results = probed(tmp_path, work)
    assert [r.failed_step for r in results] == [None, None]
    assert sorted(auth for _, _, auth in server.seen) == ["", "Bearer token-good"]
    assert len(set(server.ports)) == 1, "two connections (two handshakes) for one route"
