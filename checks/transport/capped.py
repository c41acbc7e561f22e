"""Answers read with a ceiling: a server that sends a huge (or endless) body is stopped at a
size, named, instead of filling the memory of the operator's machine."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from checks.errors import DoctorError, ErrorKind

API_PAGE_LIMIT = 64 * 1024 * 1024  # one LIST page (500 objects) of even large objects is far less
MODEL_ANSWER_LIMIT = 16 * 1024 * 1024  # a test inference's answer
LOG_LIMIT = 16 * 1024 * 1024  # one container's log read whole (~200,000 lines)

if TYPE_CHECKING:  # the API path reads with checks.cluster.wire; only routes and infer need httpx
    import httpx


class TooLarge(DoctorError):
    """One line: what answered too much, the limit, and (`hint`) what to do instead."""

    def __init__(self, what: str, limit: int, hint: str = "") -> None:
        super().__init__(
            ErrorKind.TOO_LARGE,
            f"{what} answered more than {limit // (1024 * 1024)} MiB: stopped" + hint,
        )


async def request(
    client: httpx.AsyncClient,
    method: str,
    url: str,
    limit: int,
    what: str,
    *,
    sink: Callable[[httpx.Response], Callable[[bytes], None] | None] | None = None,
    hint: str = "",
    **kwargs: Any,
) -> httpx.Response:
    """The response with its whole body read, refusing a body over `limit` bytes. A `sink` may
    claim the body once the status and headers are known: its chunks then go to the sink as
    they arrive and the response returned has no content."""
    import httpx

    async with client.stream(method, url, **kwargs) as streamed:
        declared = streamed.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise TooLarge(what, limit, hint)
        feed = sink(streamed) if sink is not None else None
        chunks, size = [], 0
        async for chunk in streamed.aiter_bytes():
            size += len(chunk)
            if size > limit:
                raise TooLarge(what, limit, hint)
            if feed is not None:
                feed(chunk)
            else:
                chunks.append(chunk)
    return httpx.Response(
        streamed.status_code,
        headers=streamed.headers,
        content=b"".join(chunks),
        request=streamed.request,
    )
