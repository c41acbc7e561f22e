"""Connection pools that stay cheap when a sweep keeps a hundred requests in flight.

httpcore's pool looks at every one of its connections (twice, and once more per idle one) each
time a request starts or ends, so its cost per request grows with the square of its size. A
few small pools taking requests in turn carry the same number of connections for a fraction of
that CPU."""

from __future__ import annotations

import itertools
import ssl

import httpx

SHARD_SIZE = 12  # connections per pool


class ShardedTransport(httpx.AsyncBaseTransport):
    """`connections` connections split over pools of SHARD_SIZE, taken round-robin."""

    def __init__(self, verify: ssl.SSLContext | bool, connections: int) -> None:
        shards = max(1, -(-connections // SHARD_SIZE))
        size = max(1, -(-connections // shards))
        limits = httpx.Limits(max_connections=size, max_keepalive_connections=size)
        self._shards = [
            httpx.AsyncHTTPTransport(verify=verify, limits=limits) for _ in range(shards)
        ]
        self._next = itertools.cycle(self._shards)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await next(self._next).handle_async_request(request)

    async def aclose(self) -> None:
        for shard in self._shards:
            await shard.aclose()
