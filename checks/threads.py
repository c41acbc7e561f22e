"""Blocking work (boto3's S3 calls) off the event loop, with a deadline that really ends the
wait: the thread is a daemon, so a server that drips its answer cannot hold the process at exit
the way the default executor's threads would."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import Any


async def in_daemon_thread(deadline: float, function: Callable[..., Any], *args: Any) -> Any:
    """`function(*args)` in a daemon thread; TimeoutError after `deadline` seconds."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[Any] = loop.create_future()

    def deliver(setter: Callable[[Any], None], value: Any) -> None:
        if not future.done():
            setter(value)

    def work() -> None:
        try:
            result = function(*args)
        except BaseException as error:  # handed to the awaiting coroutine, not swallowed
            outcome: tuple[Callable[[Any], None], Any] = (future.set_exception, error)
        else:
            outcome = (future.set_result, result)
        try:
            loop.call_soon_threadsafe(deliver, *outcome)
        except RuntimeError:  # the loop is gone: nobody waits any more
            pass

    threading.Thread(target=work, daemon=True, name="rhoai-doctor-io").start()
    return await asyncio.wait_for(future, deadline)
