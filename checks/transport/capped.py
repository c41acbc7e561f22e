"""Answers read with a ceiling: a server that sends a huge (or endless) body is stopped at a
size, named, instead of filling the memory of the operator's machine."""

from __future__ import annotations

import ssl
import zlib
from collections.abc import AsyncIterator, Callable
from typing import TYPE_CHECKING, Any

from checks.errors import DoctorError, ErrorKind

API_PAGE_LIMIT = 64 * 1024 * 1024  # one LIST page (500 objects) of even large objects is far less
MODEL_ANSWER_LIMIT = 16 * 1024 * 1024  # a test inference's answer
LOG_LIMIT = 16 * 1024 * 1024  # one container's log read whole (~200,000 lines)

if TYPE_CHECKING:
    import httpx


class TooLarge(DoctorError):
    """One line: what answered too much, the limit, and (`hint`) what to do instead."""

    def __init__(self, what: str, limit: int, hint: str = "") -> None:
        super().__init__(
            ErrorKind.TOO_LARGE,
            f"{what} answered more than {limit // (1024 * 1024)} MiB: stopped" + hint,
        )


def _decoder(encoding: str) -> Any:
    """A zlib decompressor for a gzip or deflate body (what the API client asks for); None for
    no encoding, or one httpx decodes itself (then without a bound per chunk)."""
    encoding = encoding.strip().lower()
    if encoding in ("gzip", "x-gzip"):
        return zlib.decompressobj(16 + zlib.MAX_WBITS)
    if encoding == "deflate":
        return zlib.decompressobj()
    return None


async def _chunks(
    streamed: httpx.Response, limit: int, what: str, hint: str
) -> AsyncIterator[bytes]:
    """The body's decoded chunks; a gzip or deflate body is inflated never more than the cap
    at once, so a small zip bomb stops at the cap instead of filling the memory first."""
    encoding = streamed.headers.get("content-encoding", "").strip().lower()
    decoder = _decoder(encoding)
    if decoder is None:
        chunks = streamed.aiter_bytes() if encoding not in ("", "identity") else None
        async for chunk in chunks or streamed.aiter_raw():
            yield chunk
        return
    size = 0
    try:
        async for raw in streamed.aiter_raw():
            piece = decoder.decompress(raw, limit - size + 1)
            if decoder.unconsumed_tail:
                raise TooLarge(what, limit, hint)
            size += len(piece)
            yield piece
        yield decoder.flush()
    except zlib.error as error:
        import httpx

        raise httpx.DecodingError(f"the {encoding} body does not decode: {error}") from error


def tls_read_error(error: ssl.SSLError) -> Exception:
    """A TLS record that failed mid-answer (a corrupt or cut stream), as httpx's own read
    error, so every caller names it in one line as any other broken connection."""
    import httpx

    return httpx.ReadError(f"the TLS stream broke mid-answer ({error.reason or error})")


async def request(
    client: httpx.AsyncClient,
    method: str,
    url: str,
    limit: int,
    what: str,
    *,
    sink: Callable[[httpx.Response], Callable[[bytes], None] | None] | None = None,
    hint: str = "",
    peer: bool = False,
    **kwargs: Any,
) -> httpx.Response:
    """The response with its whole body read, refusing a body over `limit` bytes. A `sink` may
    claim the body once the status and headers are known: its chunks then go to the sink as
    they arrive and the response returned has no content. With `peer`, a TLS connection's
    certificate (as ssl.getpeercert gives it) comes in the response's extensions["peercert"]."""
    import httpx

    told: dict[str, Any] = {}
    try:
        async with client.stream(method, url, **kwargs) as streamed:
            if peer:
                told = _peer(streamed)
            declared = streamed.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > limit:
                raise TooLarge(what, limit, hint)
            feed = sink(streamed) if sink is not None else None
            chunks, size = [], 0
            async for chunk in _chunks(streamed, limit, what, hint):
                size += len(chunk)
                if size > limit:
                    raise TooLarge(what, limit, hint)
                if not chunk:
                    continue
                if feed is not None:
                    feed(chunk)
                else:
                    chunks.append(chunk)
    except ssl.SSLError as error:  # httpcore maps TLS failures of the handshake, not of a read
        raise tls_read_error(error) from error
    headers = httpx.Headers(streamed.headers)
    headers.pop("content-encoding", None)  # the content below is decoded already
    return httpx.Response(
        streamed.status_code,
        headers=headers,
        content=b"".join(chunks),
        request=streamed.request,
        extensions=told,
    )


def _peer(response: httpx.Response) -> dict[str, Any]:
    """{"peercert": …} of the TLS connection the answer came over; {} for plain HTTP."""
    stream = response.extensions.get("network_stream")
    ssl_object = stream.get_extra_info("ssl_object") if stream is not None else None
    return {"peercert": ssl_object.getpeercert() or {}} if ssl_object is not None else {}
