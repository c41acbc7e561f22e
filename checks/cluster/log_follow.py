"""Following a container's log as `kubectl logs -f` does, and steadier on a flaky link: one long
GET (`follow=true&timestamps=true`) whose lines arrive as the container writes them. When the
answer ends or the connection drops it asks again from the last line's time (`sinceTime`, which
the API server takes to the second) and leaves out the lines it had already, with a back-off
between tries. Lines are cut at MAX_LINE characters: a runaway line cannot fill the memory."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Callable

from checks.cluster.kube import KubeClient
from checks.errors import ErrorKind, KubeError

MAX_LINE = 16_384  # characters kept of one line
FIRST_RETRY_S, LAST_RETRY_S = 1.0, 30.0
# Asking again cannot help: the pod or container is gone, or you may not read its log.
FINAL = {ErrorKind.NOT_FOUND, ErrorKind.FORBIDDEN, ErrorKind.UNAUTHORIZED, ErrorKind.HTTP}
STAMP = re.compile(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?Z ")


def split_stamp(line: str) -> tuple[str, str]:
    """(`2026-12-06T14:25:31.123456789Z`, the text) for a line the API server led with its
    time (`timestamps=true`); ("", line) for one it did not."""
    match = STAMP.match(line)
    if match is None:
        return "", line
    return match.group(0)[:-1], line[match.end() :]


def _order(stamp: str) -> tuple[str, str]:
    """Comparable: RFC3339Nano drops the fraction's trailing zeros."""
    match = STAMP.match(stamp + " ")
    return (match.group(1), (match.group(2) or "").ljust(9, "0")) if match else ("", "")


class LogFollow:
    """One container's log, followed; `batches()` yields the lines (with their times) as they
    arrive until it is cancelled (the screen closed, follow turned off)."""

    def __init__(
        self, kube: KubeClient, namespace: str, pod: str, container: str, *, tail: int | None
    ) -> None:
        self.kube, self.path = kube, f"/api/v1/namespaces/{namespace}/pods/{pod}/log"
        self.container, self.tail = container, tail
        self.reconnects = 0
        self._last: tuple[str, str] = ("", "")  # the newest line's time
        self._at_last: set[str] = set()  # the lines seen with that time

    def _params(self) -> dict[str, str | int]:
        params: dict[str, str | int] = {
            "container": self.container,
            "follow": "true",
            "timestamps": "true",
        }
        if self._last[0]:
            params["sinceTime"] = self._last[0] + "Z"
        elif self.tail is not None:
            params["tailLines"] = self.tail
        return params

    async def batches(
        self, on_retry: Callable[[str, float], None] | None = None
    ) -> AsyncIterator[list[str]]:
        """Lines as they come, a list per chunk read; `on_retry(why, seconds)` before each try
        again. A KubeError of a FINAL kind ends it."""
        delay = FIRST_RETRY_S
        while True:
            try:
                async for batch in self._once():
                    delay = FIRST_RETRY_S
                    if batch:
                        yield batch
                why = "the API server ended the log"
            except KubeError as error:
                if error.kind in FINAL:
                    raise
                why = str(error)
            self.reconnects += 1
            if on_retry is not None:
                on_retry(why, delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, LAST_RETRY_S)

    async def _once(self) -> AsyncIterator[list[str]]:
        async with self.kube.stream(self.path, self._params()) as response:
            pending = b""
            async for chunk in response.aiter_bytes():
                *complete, pending = (pending + chunk).split(b"\n")
                if len(pending) > 4 * MAX_LINE:  # no newline in sight: a line of its own
                    complete.append(pending)
                    pending = b""
                yield self._fresh([c.decode("utf-8", "replace") for c in complete])

    def _fresh(self, lines: list[str]) -> list[str]:
        """Leave out what an earlier answer gave (sinceTime is to the second)."""
        out = []
        for line in lines:
            stamp, _ = split_stamp(line)
            if stamp:
                when = _order(stamp)
                if when < self._last or (when == self._last and line in self._at_last):
                    continue
                if when > self._last:
                    self._last, self._at_last = when, set()
                self._at_last.add(line)
            out.append(line[:MAX_LINE])
        return out


class LogReads:
    """A session's log reads (mixed into checks.session.Session): once, or followed."""

    @property
    def kube(self) -> KubeClient:  # the session's client (checks.session.Session.kube)
        raise NotImplementedError

    async def log(
        self,
        namespace: str,
        pod: str,
        container: str,
        *,
        tail: int | None,
        previous: bool,
        timestamps: bool = False,
    ) -> str:
        """`timestamps`: each line led by the time the kubelet recorded (RFC3339Nano)."""
        return await self.kube.log(
            namespace, pod, container, tail_lines=tail, previous=previous, timestamps=timestamps
        )

    def follow_log(
        self, namespace: str, pod: str, container: str, *, tail: int | None
    ) -> LogFollow:
        """The container's log as it is written (one long GET, asked again when it drops)."""
        return LogFollow(self.kube, namespace, pod, container, tail=tail)
