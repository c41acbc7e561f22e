"""Probes of one URL take turns, so the second rides the connection the first made.

A diagnosis probes a model's URL twice at once: with its token (the route check) and without
one (the auth check). Each route host needs a TLS connection of its own (its certificate is
what the check shows), and two requests at once need two: a sweep of 1,000 routes made ~1,500
handshakes, and the lab's router fell more than 10 s behind. In turn, the second costs one round
trip more and no handshake. Only the same URL waits: the models behind one gateway or one
ModelMesh route have URLs of their own and are still probed at once."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Hashable
from dataclasses import dataclass, field


@dataclass
class _Turn:
    loop: asyncio.AbstractEventLoop
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    waiting: int = 0


@dataclass
class ProbeTurns:
    """One lock per URL being probed (none kept once nobody waits)."""

    _turns: dict[Hashable, _Turn] = field(default_factory=dict)

    @contextlib.asynccontextmanager
    async def turn(self, url: Hashable) -> AsyncIterator[None]:
        loop = asyncio.get_running_loop()
        held = self._turns.get(url)
        if held is None or held.loop is not loop:  # a console runs workers on loops of their own
            held = self._turns[url] = _Turn(loop)
        held.waiting += 1
        try:
            async with held.lock:
                yield
        finally:
            held.waiting -= 1
            if not held.waiting and self._turns.get(url) is held:
                del self._turns[url]
