"""The streamed send against a real local server: SSE lines cut at odd places arrive whole, the
first token's time is measured, usage is read; an older vLLM's flat error comes back as one line."""

from __future__ import annotations

import asyncio
import json

import httpx
from aiohttp import web

from checks.endpoints.openai_api import generate


def chunk(text: str, finish: str | None = None) -> bytes:
    choice = {"index": 0, "delta": {"content": text}, "finish_reason": finish}
    return f"data: {json.dumps({'choices': [choice]})}\n\n".encode()


async def sse(request: web.Request) -> web.StreamResponse:
    response = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
    await response.prepare(request)
    body = chunk("Hel") + chunk("lo") + chunk("!", "stop")
    body += b'data: {"choices": [], "usage": {"completion_tokens": 3}}\n\ndata: [DONE]\n\n'
    for start in range(0, len(body), 7):  # lines split across writes
        await response.write(body[start : start + 7])
        await asyncio.sleep(0.002)
    return response


async def flat_error(request: web.Request) -> web.Response:
    return web.json_response(
        {
            "object": "error",
            "message": "The model `x` does not exist.",
            "type": "NotFoundError",
            "param": None,
            "code": 404,
        },
        status=404,
    )


async def serve_and(call):
    app = web.Application()
    app.router.add_post("/v1/chat/completions", sse)
    app.router.add_post("/old/v1/chat/completions", flat_error)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        async with httpx.AsyncClient() as http:
            return await call(http, f"http://127.0.0.1:{port}")
    finally:
        await runner.cleanup()


def test_stream_split_across_writes_is_read_whole() -> None:
    pieces: list[str] = []

    async def call(http, base):
        return await generate(
            http, f"{base}/v1/chat/completions", b"{}", None, [], 10, pieces.append
        )

    result = asyncio.run(serve_and(call))
    assert pieces == ["Hel", "lo", "!"]
    assert result.text == "Hello!" and result.tokens == 3 and result.finish_reason == "stop"
    assert result.ttft is not None and 0 < result.ttft < result.seconds
    assert result.ok


def test_old_flat_error_is_one_line() -> None:
    async def call(http, base):
        return await generate(http, f"{base}/old/v1/chat/completions", b"{}", "t", [], 10)

    result = asyncio.run(serve_and(call))
    assert not result.ok and result.status == 404
    assert result.explanation.startswith(
        "404 NotFoundError (vLLM error (older flat shape)): The model `x` does not exist."
    )
