"""`check --all` on more than one core: helper processes each diagnose a share of the projects
with the sweep's own code (checks.sweep.ProjectSweep), and hand back each project's reports
as it finishes; the sweep puts them in order with its own. A big sweep is CPU-bound in one
Python process (TLS, HTTP, JSON: ~20 ms of CPU a deployment), so a second process on a second
core is the one way to go faster that adds no request.

A helper gets the parent's resolved connection (its token; an exec plugin is not run again)
and the options on stdin, never on its command line; it answers on a private copy of stdout
and ends when its stdin closes (the parent gone, or done). A helper that fails or ends early
costs nothing but time: its projects not yet answered are diagnosed by the parent
(checks.sweep.HelperLost).

Frames both ways: 4 bytes of length, then a pickle (parent and helper are the same code)."""

from __future__ import annotations

import asyncio
import os
import pickle
import struct
import sys
import threading
from typing import IO, TYPE_CHECKING, Any

from checks.errors import DoctorError
from checks.sweep import HelperLost, ProjectSweep, SweepLimits

if TYPE_CHECKING:
    from checks.cluster.connect import ClusterConfig
    from checks.engine.runner import Report
    from checks.options import SessionOptions

MAX_AUTO = 4  # processes at most when the user does not say: memory grows with each
# projects: from here a helper's start (~0.6 s of CPU, and its own LISTs) is repaid; decided
# before anything is listed, so the helper starts while this process lists
AUTO_FROM = 64
FRAME = struct.Struct(">I")


def usable_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def processes_for(asked: int | None, projects: int) -> int:
    """How many processes sweep: what the user asked (1: this one alone), else one per usable
    core (at most MAX_AUTO) once there are projects enough to repay a helper's start."""
    if asked is not None:
        wanted = asked
    elif projects >= AUTO_FROM:
        wanted = min(usable_cpus(), MAX_AUTO)
    else:
        wanted = 1
    return max(1, min(wanted, projects))


class Helpers:
    """The sweep's `elsewhere` (checks.sweep.Elsewhere): helper processes started on the
    projects they take, read in tasks of their own."""

    def __init__(self, options: SessionOptions, cluster: ClusterConfig, asked: int | None) -> None:
        self.options = options
        self.cluster = cluster
        self.asked = asked
        self._answers: dict[str, asyncio.Future[tuple[list[Report], list[str]]]] = {}
        self._processes: list[asyncio.subprocess.Process] = []
        self._readers: list[asyncio.Task[None]] = []

    async def share(
        self, namespaces: list[str], limits: SweepLimits
    ) -> tuple[set[str], SweepLimits]:
        """Start the helpers on every share but the first, which stays here; each process
        gets its part of the width (deployments at once), so the cluster sees no more at once
        than from one process. The projects sent, and this process's limits."""
        count = processes_for(self.asked, len(namespaces))
        if count <= 1 or limits.deployments <= 1:
            return set(), limits
        limits = SweepLimits(
            projects=max(1, limits.projects // count),
            deployments=max(1, limits.deployments // count),
        )
        sent: set[str] = set()
        loop = asyncio.get_running_loop()
        for index in range(1, count):
            share = namespaces[index::count]
            try:
                process = await asyncio.create_subprocess_exec(
                    sys.executable,
                    "-m",
                    "checks.sweep_helper",
                    stdin=asyncio.subprocess.PIPE,
                    stdout=asyncio.subprocess.PIPE,
                    stderr=asyncio.subprocess.DEVNULL,
                )
            except OSError:
                break  # no process to be had: this one sweeps it all
            assert process.stdin is not None
            request = pickle.dumps((self.options, self.cluster, share, limits))
            process.stdin.write(FRAME.pack(len(request)) + request)
            self._processes.append(process)
            for namespace in share:
                self._answers[namespace] = loop.create_future()
                sent.add(namespace)
            self._readers.append(asyncio.create_task(self._read(process, share)))
        return sent, limits

    async def project(self, namespace: str) -> tuple[list[Report], list[str]]:
        return await self._answers[namespace]

    async def _read(self, process: asyncio.subprocess.Process, share: list[str]) -> None:
        assert process.stdout is not None
        try:
            while True:
                head = await process.stdout.readexactly(FRAME.size)
                body = await process.stdout.readexactly(FRAME.unpack(head)[0])
                namespace, answer = pickle.loads(body)
                future = self._answers.get(namespace)
                if future is None or future.done():
                    continue
                if isinstance(answer, BaseException):
                    future.set_exception(answer)
                else:
                    future.set_result(answer)
        except (asyncio.IncompleteReadError, OSError, pickle.UnpicklingError, ValueError):
            pass
        finally:  # ended, or gone: what it did not answer for is diagnosed here
            for namespace in share:
                future = self._answers[namespace]
                if not future.done():
                    future.set_exception(HelperLost(namespace))

    async def close(self) -> None:
        for process in self._processes:
            if process.stdin is not None:
                process.stdin.close()
            if process.returncode is None:
                try:
                    process.kill()
                except ProcessLookupError:
                    pass
        for process in self._processes:
            await process.wait()
        for reader in self._readers:
            reader.cancel()
        await asyncio.gather(*self._readers, return_exceptions=True)
        for future in self._answers.values():  # nobody waits on these any more
            if future.done() and not future.cancelled():
                future.exception()


# -- in the helper -------------------------------------------------------------------------


def _protocol_stream() -> IO[bytes]:
    """Frames go on a private copy of stdout; fd 1 then points at stderr (discarded), so a
    library that prints cannot break a frame."""
    stream = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    return stream


def _say(stream: IO[bytes], lock: threading.Lock, namespace: str, answer: Any) -> None:
    body = pickle.dumps((namespace, answer))
    with lock:
        stream.write(FRAME.pack(len(body)) + body)
        stream.flush()


def _end_with_stdin() -> None:
    """The parent closing stdin (done, or gone) ends this process at once, mid-sweep too."""

    def watch() -> None:
        sys.stdin.buffer.read()
        os._exit(0)

    threading.Thread(target=watch, daemon=True).start()


async def _run(stream: IO[bytes], request: tuple[Any, ...]) -> None:
    from checks.session import Session

    options, cluster, namespaces, limits = request
    lock = threading.Lock()
    session = Session(options)
    session.adopt(cluster)
    try:
        sweep = ProjectSweep(session, limits)
        await sweep.load(namespaces)

        async def one(namespace: str) -> None:
            try:
                answer: Any = await sweep.project(namespace)
            except DoctorError as error:  # KubeError too; anything else ends this process
                answer = error
            _say(stream, lock, namespace, answer)

        await asyncio.gather(*(one(namespace) for namespace in namespaces))
    finally:
        await session.close()


def main() -> None:
    stream = _protocol_stream()
    head = sys.stdin.buffer.read(FRAME.size)
    request = pickle.loads(sys.stdin.buffer.read(FRAME.unpack(head)[0]))
    _end_with_stdin()
    asyncio.run(_run(stream, request))
    stream.close()
    os._exit(0)


if __name__ == "__main__":
    main()
