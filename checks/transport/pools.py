"""Connection pools that stay cheap when a sweep keeps a hundred requests in flight.

httpcore's pool looks at every one of its connections (twice, and once more per idle one) each
time a request starts or ends, so its cost per request grows with the square of its size. A
few small pools taking requests in turn carry the same number of connections for a fraction of
that CPU."""

from __future__ import annotations

import ssl
import threading
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable, Hashable
from typing import Any

import httpx

SHARD_SIZE = 4  # connections per pool
UNANSWERED = "without sending a response"  # httpcore: the connection closed, not one byte back
# S3 clients kept for reuse: each holds its own connection pool, and a sweep asks the same
# endpoint with the same credentials for every deployment of every project
SHARED_CLIENTS = 32
_shared: OrderedDict[Hashable, Any] = OrderedDict()
_shared_lock = threading.Lock()


def open_files_limit() -> int:
    """The process's limit on open files, its soft limit raised to the hard one first (Go
    programs, kubectl among them, start that way): a sweep keeps hundreds of connections open,
    and RHEL's default soft limit is 1,024. Without a limit to read: a generous guess."""
    try:
        import resource

        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        unlimited = resource.RLIM_INFINITY
        if soft == unlimited:
            return 65536
        wanted = 65536 if hard == unlimited else hard
        if soft < wanted:
            try:
                resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))  # hard: unchanged
                soft = wanted
            except (ValueError, OSError):
                pass  # kept as it was
        return soft
    except ImportError:
        return 4096


def shared_client(key: Hashable, build: Callable[[], Any]) -> Any:
    """The client built for `key` before (the last SHARED_CLIENTS keys), else `build()`'s;
    built under the lock, so threads asking at once share one client."""
    with _shared_lock:
        if (client := _shared.get(key)) is not None:
            _shared.move_to_end(key)
            return client
        client = _shared[key] = build()
        while len(_shared) > SHARED_CLIENTS:
            _shared.popitem(last=False)
        return client


class _Counted(httpx.AsyncByteStream):
    """A response body that tells its shard when it is done (read to the end or closed)."""

    def __init__(self, stream: httpx.AsyncByteStream, done: Callable[[], None]) -> None:
        self._stream = stream
        self._done: Callable[[], None] | None = done

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self._stream:
            yield chunk

    async def aclose(self) -> None:
        try:
            await self._stream.aclose()
        finally:
            done, self._done = self._done, None
            if done is not None:
                done()


class ShardedTransport(httpx.AsyncBaseTransport):
    """`connections` connections split over pools of SHARD_SIZE; when every pool is full, more
    pools open, up to `most` connections in all. A request goes to the pool with the fewest
    requests in flight (the first of them on a tie), so requests one after another reuse one
    connection and a burst spreads over all of them. A request waiting for a connection waits
    against its own deadline (--request-timeout): with a fixed 64, a sweep of 1,000
    deployments had routes that answered in 0.1 s reported as "did not answer within 10 s",
    queued here behind the others."""

    def __init__(
        self, verify: ssl.SSLContext | bool, connections: int, most: int | None = None
    ) -> None:
        shards = max(1, -(-connections // SHARD_SIZE))
        size = max(1, -(-connections // shards))
        self._verify, self._size = verify, size
        self._limits = httpx.Limits(max_connections=size, max_keepalive_connections=size)
        if most is not None and most > connections:  # a quarter of the files at most
            most = min(most, open_files_limit() // 4)
        self._most = max(shards, -(-(most or connections) // size))  # pools at most
        self._shards = [self._pool() for _ in range(shards)]
        self._in_flight = [0] * shards

    def _pool(self) -> httpx.AsyncHTTPTransport:
        return httpx.AsyncHTTPTransport(verify=self._verify, limits=self._limits)

    def _pick(self) -> int:
        """The pool for the next request; a new one only when every open one is full."""
        least = min(self._in_flight)
        if least >= self._size and len(self._shards) < self._most:
            self._shards.append(self._pool())
            self._in_flight.append(0)
            return len(self._shards) - 1
        return self._in_flight.index(least)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        index = self._pick()
        self._in_flight[index] += 1

        def done() -> None:
            self._in_flight[index] -= 1

        try:
            try:
                response = await self._shards[index].handle_async_request(request)
            except httpx.RemoteProtocolError as error:
                if request.method != "GET" or UNANSWERED not in str(error):
                    raise
                # The server closed a connection as the GET went out on it (a kept-alive one an
                # API server or load balancer let go): sent again once, as kubectl's net/http
                # and urllib3 do; a server that never answers still fails, with its own words.
                response = await self._shards[index].handle_async_request(request)
        except BaseException:
            done()
            raise
        assert isinstance(response.stream, httpx.AsyncByteStream)
        response.stream = _Counted(response.stream, done)
        return response

    async def aclose(self) -> None:
        for shard in self._shards:
            await shard.aclose()
