"""A followed log that drops (a proxy's idle timeout, an API server restart) is asked again from
the last line's time, and the lines the new answer repeats (sinceTime is to the second) are
left out: checks.cluster.log_follow against a local API server that cuts its first answer."""

from __future__ import annotations

import asyncio

from aiohttp import web

from checks.cluster.connect import ClusterConfig
from checks.cluster.kube import KubeClient
from checks.cluster.log_follow import LogFollow
from checks.errors import KubeError

FIRST = ["2026-12-06T10:04:12.1Z one", "2026-12-06T10:04:12.25Z two"]
AGAIN = [*FIRST, "2026-12-06T10:04:12.25Z two and a half", "2026-12-06T10:04:13Z three"]


async def _follow(handler) -> tuple[list[str], list[dict[str, str]], list[float]]:
    asked: list[dict[str, str]] = []

    async def log(request: web.Request) -> web.StreamResponse:
        asked.append(dict(request.query))
        return await handler(request, len(asked))

    app = web.Application()
    app.router.add_get("/api/v1/namespaces/ns/pods/p/log", log)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    waits: list[float] = []
    got: list[str] = []
    kube = KubeClient(ClusterConfig(server=f"http://127.0.0.1:{port}", namespace="ns", token="t"))
    follow = LogFollow(kube, "ns", "p", "c", tail=500)
    try:
        async with asyncio.timeout(60):
            async for batch in follow.batches(on_retry=lambda why, s: waits.append(s)):
                got += batch
                if len(got) >= 4:
                    break
    except KubeError as error:
        got.append(f"error: {error.kind}")
    finally:
        await kube.aclose()
        await runner.cleanup()
    return got, asked, waits


async def _cut_then_more(request: web.Request, n: int) -> web.StreamResponse:
    response = web.StreamResponse(headers={"Content-Type": "text/plain"})
    await response.prepare(request)
    for line in FIRST if n == 1 else AGAIN:
        await response.write(f"{line}\n".encode())
    if n > 1:
        await asyncio.sleep(1)  # followed: held open (the test stops reading first)
    return response  # the first answer ends: the connection dropped


def test_a_dropped_follow_goes_on_from_the_last_line_without_repeating() -> None:
    got, asked, waits = asyncio.run(_follow(_cut_then_more))
    assert got == AGAIN
    assert asked[0]["follow"] == "true" and asked[0]["timestamps"] == "true"
    assert asked[0]["tailLines"] == "500" and "sinceTime" not in asked[0]
    assert asked[1]["sinceTime"] == "2026-12-06T10:04:12Z" and "tailLines" not in asked[1]
    assert waits == [1.0]


async def _gone(request: web.Request, n: int) -> web.Response:
    body = '{"kind":"Status","code":404,"message":"pods \\"p\\" not found"}'
    return web.Response(status=404, text=body, content_type="application/json")


def test_a_pod_that_is_gone_ends_the_follow() -> None:
    got, asked, waits = asyncio.run(_follow(_gone))
    assert got == ["error: not-found"] and len(asked) == 1 and waits == []
