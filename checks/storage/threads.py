"""Blocking work (the S3 reader's calls) off the event loop, with a deadline that really ends the
wait: the threads are daemons, so a server that drips its answer cannot hold the process at exit
the way the default executor's threads would. They stay for the next call: a sweep makes
thousands of calls, and starting a thread costs a busy process a scheduler switch each."""

from __future__ import annotations

import asyncio
import queue
import threading
from collections.abc import Callable
from typing import Any


class _DaemonWorkers:
    """Daemon threads taking jobs from one queue; a new one starts when none is idle, so a
    hung call never delays the others."""

    def __init__(self) -> None:
        self._jobs: queue.SimpleQueue[Callable[[], None]] = queue.SimpleQueue()
        self._idle = 0
        self._lock = threading.Lock()

    def submit(self, job: Callable[[], None]) -> None:
        with self._lock:
            start = self._idle == 0
            if not start:
                self._idle -= 1
        self._jobs.put(job)
        if start:
            threading.Thread(target=self._serve, daemon=True, name="rhoai-doctor-io").start()

    def _serve(self) -> None:
        while True:
            self._jobs.get()()
            with self._lock:
                self._idle += 1


_workers = _DaemonWorkers()


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

    _workers.submit(work)
    return await asyncio.wait_for(future, deadline)


def call_with_deadline(
    deadline: float, function: Callable[..., Any], *args: Any, **kwargs: Any
) -> Any:
    """`function(*args, **kwargs)` from blocking code, abandoned after `deadline` seconds
    (TimeoutError): httpx's timeouts are per socket read, so a server that sends one byte a
    second would otherwise hold the call for ever."""
    box: dict[str, Any] = {}
    finished = threading.Event()

    def work() -> None:
        try:
            box["result"] = function(*args, **kwargs)
        except BaseException as error:  # re-raised in the caller's thread
            box["error"] = error
        finally:
            finished.set()

    _workers.submit(work)
    if not finished.wait(deadline):
        raise TimeoutError(f"no answer within {deadline:g} s")
    if "error" in box:
        raise box["error"]
    return box["result"]
