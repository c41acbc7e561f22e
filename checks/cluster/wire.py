"""The Kubernetes API's own HTTP/1.1 client: asyncio streams and ssl, with h11 keeping the
protocol. httpx (with httpcore, anyio, idna, certifi, email, http.cookiejar) costs a command
~45 ms to import before its first byte; the API path needs far less: one base URL, default
headers, GET with query parameters, JSON POSTs to the review APIs, keep-alive connections (a
bounded number: a sweep keeps ~100 requests in flight) and bodies read into a cap or a sink.

Failures are WireErrors whose text and cause (ConnectionRefusedError, ssl errors, h11's
"peer closed connection without sending complete message body") are what httpx's were, so
checks.cluster.kube words them the same."""

from __future__ import annotations

import asyncio
import json
import re
import ssl
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

import h11

from checks.transport.capped import TooLarge
from checks.transport.protocol_words import CLOSED, in_our_words

READ_SIZE = 64 * 1024
HEAD_LIMIT = 100 * 1024  # status line and headers, as httpcore allows
PATH_SAFE = "/:@!$&'()*+,;=%~"  # kept as written in a path (httpx's set)
Sink = Callable[["Response"], Callable[[bytes], None] | None]


class WireError(Exception):
    """A connection-level failure; `__cause__` is the OS, ssl or protocol error."""


class WireTimeout(WireError):
    """A client's own timeout (the httpx fallback's), not our deadline."""


class _NoAnswer(WireError):
    """A reused connection closed before any answer: safe to ask again on a new one."""


@dataclass(frozen=True)
class Response:
    """Status, headers (lower-case names) and the body read whole (empty when a sink took it)."""

    status_code: int
    headers: dict[str, str]
    content: bytes = b""

    @property
    def text(self) -> str:
        found = re.search(r"charset=[\"']?([\w.:-]+)", self.headers.get("content-type", ""))
        try:
            return self.content.decode(found.group(1) if found else "utf-8", "replace")
        except LookupError:
            return self.content.decode("utf-8", "replace")

    def json(self) -> Any:
        return json.loads(self.content)


def _decoder(encoding: str) -> Any:
    """A decompressor for gzip or deflate bodies (asked for, as httpx and client-go do)."""
    encoding = encoding.strip().lower()
    if encoding in ("gzip", "x-gzip"):
        return zlib.decompressobj(16 + zlib.MAX_WBITS)
    if encoding == "deflate":
        return zlib.decompressobj()
    return None


def _connect_error(error: OSError) -> WireError:
    """asyncio says "Multiple exceptions: [Errno 111] ..." when every address refused."""
    text = str(error) or type(error).__name__
    codes = re.findall(r"\[Errno (\d+)\]", text)
    if text.startswith("Multiple exceptions") and codes and set(codes) == {"111"}:
        error = ConnectionRefusedError(111, text)
    wrapped = WireError(text)
    wrapped.__cause__ = error
    return wrapped


class _Connection:
    """One socket and its h11 state."""

    __slots__ = ("reader", "state", "writer")

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer
        self.state = h11.Connection(h11.CLIENT, max_incomplete_event_size=HEAD_LIMIT)

    def reusable(self) -> bool:
        return (
            self.state.our_state is h11.IDLE
            and not self.reader.at_eof()
            and not self.writer.is_closing()
        )

    async def next_event(self) -> Any:
        while True:
            event = self.state.next_event()
            if event is not h11.NEED_DATA:
                return event
            self.state.receive_data(await self.reader.read(READ_SIZE))

    def close(self) -> None:
        self.writer.close()


class WireClient:
    """Requests to one server over at most `connections` keep-alive connections."""

    def __init__(
        self,
        base_url: str,
        *,
        headers: dict[str, str],
        ssl_context: Callable[[], ssl.SSLContext] | None,
        connections: int = 100,
    ) -> None:
        parts = urlsplit(base_url)
        self._https = parts.scheme.lower() == "https"
        self._host = parts.hostname or ""
        self._port = parts.port or (443 if self._https else 80)
        self._authority = parts.netloc.rpartition("@")[2]
        # as bytes: ssl would otherwise load the IDNA codec to encode an ASCII name
        self._server_name: str | bytes = (
            self._host.encode("ascii") if self._host.isascii() else self._host
        )
        self._prefix = parts.path.rstrip("/")
        self._headers = {"Host": self._authority, **headers, "Accept-Encoding": "gzip, deflate"}
        self._context_factory = ssl_context
        self._context: ssl.SSLContext | None = None
        self._slots = asyncio.Semaphore(connections)
        self._idle: list[_Connection] = []
        self._open: set[_Connection] = set()

    def build_request(
        self,
        method: str,
        path: str,
        *,
        params: dict | None = None,
        json_body: Any = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[h11.Request, bytes]:
        """The request line, headers (h11 refuses a bad one) and body."""
        target = self._prefix + quote(path, safe=PATH_SAFE)
        if params:
            target += "?" + urlencode({k: _param(v) for k, v in params.items()})
        merged = {name.lower(): (name, value) for name, value in self._headers.items()}
        merged.update({name.lower(): (name, value) for name, value in (headers or {}).items()})
        body = b""
        if json_body is not None:
            body = json.dumps(
                json_body, ensure_ascii=False, separators=(",", ":"), allow_nan=False
            ).encode()
            merged["content-type"] = ("Content-Type", "application/json")
            merged["content-length"] = ("Content-Length", str(len(body)))
        return h11.Request(method=method, target=target, headers=list(merged.values())), body

    async def request(
        self,
        method: str,
        path: str,
        *,
        limit: int,
        what: str,
        hint: str = "",
        params: dict | None = None,
        json: Any = None,
        headers: dict[str, str] | None = None,
        sink: Sink | None = None,
    ) -> Response:
        """The answer, its body under `limit` bytes (TooLarge past it), or a WireError. A `sink`
        may claim the body once status and headers are known (see checks.transport.capped)."""
        try:
            request, body = self.build_request(
                method, path, params=params, json_body=json, headers=headers
            )
        except h11.LocalProtocolError as error:  # h11 would quote the value: a token, maybe
            raise WireError(
                "cannot send the request: a header holds a newline, space or control character "
                "that no HTTP header may carry"
            ) from error
        async with self._slots:
            while True:
                connection, reused = await self._take()
                try:
                    return await self._exchange(
                        connection, request, body, limit, what, hint, sink, reused
                    )
                except _NoAnswer:
                    continue  # the server closed an idle connection as we used it

    async def _take(self) -> tuple[_Connection, bool]:
        while self._idle:
            connection = self._idle.pop()
            if connection.reusable():
                return connection, True
            self._drop(connection)
        return await self._dial(), False

    def _ssl(self) -> ssl.SSLContext | None:
        if self._https and self._context is None and self._context_factory is not None:
            self._context = self._context_factory()
            self._context.set_alpn_protocols(["http/1.1"])
        return self._context if self._https else None

    async def _dial(self) -> _Connection:
        try:
            context = self._ssl()
            reader, writer = await asyncio.open_connection(
                self._host,
                self._port,
                ssl=context,
                server_hostname=self._server_name if context is not None else None,
                limit=READ_SIZE,
            )
        except OSError as error:  # refused, DNS (gaierror), TLS (ssl.SSLError)
            raise _connect_error(error) from error
        except (ValueError, UnicodeError) as error:
            raise WireError(f"cannot connect to {self._authority}: {error}") from error
        connection = _Connection(reader, writer)
        self._open.add(connection)
        return connection

    def _drop(self, connection: _Connection) -> None:
        self._open.discard(connection)
        connection.close()

    async def _exchange(
        self,
        connection: _Connection,
        request: h11.Request,
        body: bytes,
        limit: int,
        what: str,
        hint: str,
        sink: Sink | None,
        reused: bool,
    ) -> Response:
        state = connection.state
        answered = False
        try:
            data = state.send(request) or b""
            if body:
                data += state.send(h11.Data(data=body)) or b""
            connection.writer.write(data + (state.send(h11.EndOfMessage()) or b""))
            await connection.writer.drain()
            event = await connection.next_event()
            while isinstance(event, h11.InformationalResponse):
                event = await connection.next_event()
            if not isinstance(event, h11.Response):
                raise h11.RemoteProtocolError(CLOSED)
            answered = True
            head = Response(event.status_code, _headers(event.headers))
            content = await self._body(connection, head, limit, what, hint, sink)
        except (OSError, h11.ProtocolError) as error:
            self._drop(connection)
            if reused and not answered:
                raise _NoAnswer(str(error)) from error
            raise WireError(in_our_words(error)) from error
        except BaseException:  # too large, a sink's error, a deadline: never reused mid-answer
            self._drop(connection)
            raise
        if state.our_state is h11.DONE and state.their_state is h11.DONE:
            state.start_next_cycle()
            self._idle.append(connection)
        else:
            self._drop(connection)
        return Response(head.status_code, head.headers, content)

    async def _body(
        self,
        connection: _Connection,
        head: Response,
        limit: int,
        what: str,
        hint: str,
        sink: Sink | None,
    ) -> bytes:
        declared = head.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise TooLarge(what, limit, hint)
        feed = sink(head) if sink is not None else None
        decoder = _decoder(head.headers.get("content-encoding", ""))
        chunks: list[bytes] = []
        size = 0
        while True:
            event = await connection.next_event()
            if isinstance(event, h11.EndOfMessage):
                piece = decoder.flush() if decoder is not None else b""
            elif isinstance(event, h11.Data):
                piece = bytes(event.data)
                if decoder is not None:  # never more than the cap at once (a zip bomb)
                    piece = decoder.decompress(piece, limit - size + 1)
                    if decoder.unconsumed_tail:
                        raise TooLarge(what, limit, hint)
            else:
                continue
            size += len(piece)
            if size > limit:
                raise TooLarge(what, limit, hint)
            if piece:
                if feed is not None:
                    feed(piece)
                else:
                    chunks.append(piece)
            if isinstance(event, h11.EndOfMessage):
                return b"".join(chunks)

    async def aclose(self) -> None:
        for connection in list(self._open):
            self._drop(connection)
        self._idle.clear()


def _param(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _headers(raw: Iterable[tuple[bytes, bytes]]) -> dict[str, str]:
    headers: dict[str, str] = {}
    for name, value in raw:
        key, text = name.decode("latin-1").lower(), value.decode("latin-1")
        headers[key] = f"{headers[key]}, {text}" if key in headers else text
    return headers
