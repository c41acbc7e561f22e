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
SERVER_NAMES = 128  # idle TLS server names whose connections are kept (ShardedTransport)
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


class _Pools:
    """The pools that carry one TLS server name's requests (see ShardedTransport)."""

    def __init__(
        self, open_pool: Callable[[], httpx.AsyncHTTPTransport], size: int, most: int, first: int
    ) -> None:
        self._open_pool, self._size, self._most = open_pool, size, most
        self.pools = [open_pool() for _ in range(first)]
        self.in_flight = [0] * first

    def pick(self) -> int:
        """The pool for the next request; a new one only when every open one is full."""
        least = min(self.in_flight, default=self._size)
        if least >= self._size and len(self.pools) < self._most:
            self.pools.append(self._open_pool())
            self.in_flight.append(0)
            return len(self.pools) - 1
        return self.in_flight.index(least)

    def idle(self) -> bool:
        return not any(self.in_flight)

    async def aclose(self) -> None:
        for pool in self.pools:
            await pool.aclose()


class ShardedTransport(httpx.AsyncBaseTransport):
    """`connections` connections split over pools of SHARD_SIZE; when every pool is full, more
    pools open, up to `most` connections in all. A request goes to the pool with the fewest
    requests in flight (the first of them on a tie), so requests one after another reuse one
    connection and a burst spreads over all of them. A request waiting for a connection waits
    against its own deadline (--request-timeout): with a fixed 64, a sweep of 1,000
    deployments had routes that answered in 0.1 s reported as "did not answer within 10 s",
    queued here behind the others.

    Requests that name a TLS server of their own (--connect-to, --resolve, tls-server-name:
    the `sni_hostname` extension) get pools of their own per name, one at first. httpcore
    keys a kept-alive connection by the address it dialled only, so route B's request (its
    Host, its token) would otherwise go out on a connection whose handshake named and
    verified route A: the certificate the check shows would be A's, and the token would reach
    whatever A's TLS reaches (a passthrough route is A's own pod). curl keeps them apart too."""

    def __init__(
        self, verify: ssl.SSLContext | bool, connections: int, most: int | None = None
    ) -> None:
        shards = max(1, -(-connections // SHARD_SIZE))
        size = max(1, -(-connections // shards))
        self._verify, self._size = verify, size
        self._limits = httpx.Limits(max_connections=size, max_keepalive_connections=size)
        if most is not None and most > connections:  # a quarter of the files at most
            most = min(most, open_files_limit() // 4)
        self._most = max(shards, -(-(most or connections) // size))  # pools at most, per name
        self._first = shards
        self._names: OrderedDict[str, _Pools] = OrderedDict()

    def _pool(self) -> httpx.AsyncHTTPTransport:
        return httpx.AsyncHTTPTransport(verify=self._verify, limits=self._limits)

    def _pools_for(self, name: str) -> tuple[_Pools, list[_Pools]]:
        """(the pools of the request's TLS server name, the pools to close): of the names with
        nothing in flight, the SERVER_NAMES used last keep their connections (a sweep asks a
        thousand routes), the others are let go. No await here: what is handed out is marked
        busy before another request can look, so none gets pools that are being closed."""
        found = self._names.get(name)
        if found is not None:
            self._names.move_to_end(name)
            return found, []
        spare = [n for n, p in self._names.items() if p.idle()]
        going = [self._names.pop(n) for n in spare[: max(0, len(spare) - SERVER_NAMES)]]
        first = 1 if name else self._first  # a route's name: one pool until it needs more
        found = self._names[name] = _Pools(self._pool, self._size, self._most, first)
        return found, going

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        name = str(request.extensions.get("sni_hostname") or "")
        pools, going = self._pools_for(name)
        index = pools.pick()
        pools.in_flight[index] += 1

        def done() -> None:
            pools.in_flight[index] -= 1
            if self._names.get(name) is pools:  # used last now: the next to its host reuses it
                self._names.move_to_end(name)

        try:
            for old in going:  # idle kept-alive connections of names not asked lately
                await old.aclose()
            try:
                response = await pools.pools[index].handle_async_request(request)
            except httpx.RemoteProtocolError as error:
                if request.method != "GET" or UNANSWERED not in str(error):
                    raise
                # The server closed a connection as the GET went out on it (a kept-alive one an
                # API server or load balancer let go): sent again once, as kubectl's net/http
                # and urllib3 do; a server that never answers still fails, with its own words.
                response = await pools.pools[index].handle_async_request(request)
        except BaseException:
            done()
            raise
        assert isinstance(response.stream, httpx.AsyncByteStream)
        response.stream = _Counted(response.stream, done)
        return response

    async def aclose(self) -> None:
        for pools in self._names.values():
            await pools.aclose()
        self._names.clear()
