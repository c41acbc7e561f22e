"""The informer against a hostile API server (a real local one): a watch line that is not a
watch event, or one over the size cap, is an error in one line, never a crash; the informer
backs off and resumes from its last resourceVersion, and what comes next is applied."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable

from aiohttp import web

from checks.cluster.connect import ClusterConfig
from checks.cluster.kube import KubeClient
from checks.cluster.watch import Informer
from checks.cluster.watch_lines import MAX_LINE


def pod(name: str, version: str) -> dict:
    return {"metadata": {"name": name, "namespace": "p", "resourceVersion": version}}


async def serve(first_watch: bytes) -> tuple[web.AppRunner, str, list[str]]:
    """LIST: one pod at version 5. The first WATCH says `first_watch`, the next a new pod."""
    asked: list[str] = []

    async def pods(request: web.Request) -> web.StreamResponse:
        if request.query.get("watch") != "true":
            return web.json_response(
                {"kind": "PodList", "metadata": {"resourceVersion": "5"}, "items": [pod("a", "5")]}
            )
        asked.append(request.query.get("resourceVersion", ""))
        response = web.StreamResponse()
        response.enable_chunked_encoding()
        await response.prepare(request)
        if len(asked) == 1:
            await response.write(first_watch)
        else:
            event = {"type": "ADDED", "object": pod("b", "6")}
            await response.write(json.dumps(event).encode() + b"\n")
            await asyncio.sleep(30)
        return response

    app = web.Application()
    app.router.add_get("/api/v1/namespaces/p/pods", pods)
    runner = web.AppRunner(app, shutdown_timeout=0.1)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    return runner, f"http://127.0.0.1:{port}", asked


async def until(condition: Callable[[], bool], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "gave up waiting"
        await asyncio.sleep(0.02)


def survives(first_watch: bytes) -> tuple[str, list[str], list[str]]:
    async def go() -> tuple[str, list[str], list[str]]:
        runner, server, asked = await serve(first_watch)
        kube = KubeClient(ClusterConfig(server=server, namespace="p", token="t"))
        informer = Informer(kube, "pods", "p")
        errors: list[str] = []
        informer.listen(lambda i, c: c is None and i.error and errors.append(str(i.error)))
        informer.start()
        try:
            await until(lambda: ("p", "b") in informer.items)
            return errors[0] if errors else "", asked, sorted(n for _, n in informer.items)
        finally:
            await informer.stop()
            await kube.aclose()
            await runner.cleanup()

    return asyncio.run(go())


def test_a_line_that_is_not_json_is_one_error_and_the_watch_resumes() -> None:
    error, asked, names = survives(b'{"type":"ADDED","object":\x1b]52;c;aGk=\x07 nope\n')
    assert "watch of pods" in error and "not JSON" in error and "\n" not in error
    assert "\x1b" not in error
    assert asked == ["5", "5"]  # resumed from the LIST's resourceVersion, not listed again
    assert names == ["a", "b"]


def test_a_line_over_the_cap_is_refused_before_it_fills_memory() -> None:
    error, asked, names = survives(b'{"type":"ADDED","object":"' + b"x" * (MAX_LINE + 10))
    assert f"over {MAX_LINE // (1024 * 1024)} MiB" in error
    assert asked == ["5", "5"] and names == ["a", "b"]
