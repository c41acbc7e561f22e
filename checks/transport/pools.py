"""Connection pools that stay cheap when a sweep keeps a hundred requests in flight.

httpcore's pool looks at every one of its connections (twice, and once more per idle one) each
time a request starts or ends, so its cost per request grows with the square of its size. A
few small pools taking requests in turn carry the same number of connections for a fraction of
that CPU."""

from __future__ import annotations

import itertools
import ssl
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

import httpx

SHARD_SIZE = 4  # connections per pool
# S3 clients kept for reuse: each holds its own connection pool, and a sweep asks the same
# endpoint with the same credentials for every deployment of every project
SHARED_CLIENTS = 32
_shared: OrderedDict[Hashable, Any] = OrderedDict()
_shared_lock = threading.Lock()


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
