"""The worker pool both bursts share (v2 tensors and OpenAI chat): C workers take the next
request as they finish one, so memory does not grow with N; a route that gives no answer at all
stops the burst early; ctrl+c ends it with what was measured so far."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from checks.errors import DoctorError


@dataclass(frozen=True)
class PoolRun:
    elapsed: float
    attempted: int  # requests that got an answer or definitely got none
    stopped: str  # why the burst ended before `count` ("" when it did not)


async def run_pool(
    count: int,
    concurrency: int,
    attempt: Callable[[], Awaitable[None]],
    on_no_answer: Callable[[DoctorError], None],
    answered_any: Callable[[], bool],
) -> PoolRun:
    """Run `attempt` `count` times, `concurrency` at a time. `attempt` raises DoctorError when no
    answer came (handed to `on_no_answer`); after max(3, workers) of those with nothing answered
    yet (`answered_any`), the rest are not sent."""
    workers = max(1, min(concurrency, count))
    issued = answered = unanswered = 0
    stopped = ""

    async def worker() -> None:
        nonlocal issued, answered, unanswered, stopped
        while issued < count and not stopped:
            issued += 1
            try:
                await attempt()
            except DoctorError as error:
                unanswered += 1
                on_no_answer(error)
                if not answered_any() and unanswered >= max(3, workers):
                    stopped = f"stopped early: {unanswered} requests in a row got no answer"
                continue
            answered += 1

    started = time.perf_counter()
    tasks = [asyncio.ensure_future(worker()) for _ in range(workers)]
    try:
        await asyncio.gather(*tasks)
    except asyncio.CancelledError:  # ctrl+c: keep what was measured
        for task in tasks:
            task.cancel()
        stopped = f"interrupted after {answered + unanswered} of {count} requests"
    return PoolRun(time.perf_counter() - started, answered + unanswered, stopped)
