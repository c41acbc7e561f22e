"""`check --all` on more than one core: helper processes diagnose projects with the sweep's own
code (checks.sweep.ProjectSweep) and hand back each project's reports as it finishes; the
sweep puts them in order with its own. A big sweep is CPU-bound in one Python process (TLS,
HTTP, JSON: ~20 ms of CPU a deployment), so a process on another core is the one way to go
faster that adds no request.

Nobody gets a fixed share: the sweep starts projects from the front of the list as it has room,
a helper asks for more from the back as it has room, so all end together however late a helper
started or however uneven the projects are.

A helper gets the parent's resolved connection (its token; an exec plugin is not run again)
and the options on stdin, never on its command line; it answers on a private copy of stdout
and ends when its stdin closes (the parent done, or gone). A helper that fails or ends early
costs time, not reports: what it took and did not answer for is diagnosed by the parent
(checks.sweep.HelperLost).

Frames both ways: 4 bytes of length, then a pickle (parent and helper are the same code)."""

from __future__ import annotations

import asyncio
import os
import pickle
import struct
import sys
import threading
from collections import deque
from typing import TYPE_CHECKING, Any

from checks.errors import DoctorError
from checks.sweep import HelperLost, ProjectSweep, SweepLimits

if TYPE_CHECKING:
    from checks.cluster.all_namespaces import ClusterLists
    from checks.cluster.connect import ClusterConfig
    from checks.engine.runner import Report
    from checks.options import SessionOptions
    from checks.session import Session

MAX_AUTO = 4  # processes at most when the user does not say: memory grows with each
# projects: from here a helper's start (~0.6 s of CPU, and its own LISTs) is repaid; decided
# before anything is listed, so a helper starts while this process lists
AUTO_FROM = 64
FRAME = struct.Struct(">I")
MORE, DONE = "more", "done"  # a helper's frames: ("more", N) asks for N more projects;
# ("done", namespace, answer) is a project's reports and unreadable lines, or its error
Answer = tuple[list["Report"], list[str]]


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


def _frame(item: Any) -> bytes:
    body = pickle.dumps(item)
    return FRAME.pack(len(body)) + body


def helpers_for(session: Session, asked: int | None = None) -> Helpers | None:
    """The processes a live session's sweep may share its projects with (a capture's sweep
    stays in its process: its objects are in memory here)."""
    if session.offline or session.cluster is None:
        return None
    return Helpers(session.options, session.cluster, asked)


class Helpers:
    """The sweep's `elsewhere` (checks.sweep.Elsewhere): helper processes, each read and fed
    by a task of its own."""

    def __init__(self, options: SessionOptions, cluster: ClusterConfig, asked: int | None) -> None:
        self.options = options
        self.cluster = cluster
        self.asked = asked
        self._left: deque[str] = deque()  # in order; this process takes the front
        self._taken: set[str] = set()
        self._answers: dict[str, asyncio.Future[Answer]] = {}
        self._processes: list[asyncio.subprocess.Process] = []
        self._readers: list[asyncio.Task[None]] = []

    async def share(self, namespaces: list[str], limits: SweepLimits) -> SweepLimits:
        """Start the helpers; each process gets its part of the width (deployments at once),
        so the cluster sees no more at once than from one process. This process's limits."""
        count = processes_for(self.asked, len(namespaces))
        if count <= 1 or limits.deployments <= 1:
            return limits
        limits = SweepLimits(
            projects=max(1, limits.projects // count),
            deployments=max(1, limits.deployments // count),
        )
        self._left.extend(namespaces)
        request = _frame((self.options, self.cluster, namespaces, limits))
        for _ in range(count - 1):
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
            process.stdin.write(request)
            self._processes.append(process)
            self._readers.append(asyncio.create_task(self._serve(process)))
        return limits

    def listed(self, lists: ClusterLists | None) -> None:
        """What this process listed across namespaces, to every helper (None: they list each
        project themselves); pickled once for all."""
        lists_frame = _frame(lists.handed_on() if lists is not None else None)
        for process in self._processes:
            if process.stdin is not None and not process.stdin.is_closing():
                process.stdin.write(lists_frame)

    def claim(self, namespace: str) -> bool:
        """This process may start `namespace` (False: a helper has it)."""
        if namespace in self._taken:
            return False
        self._taken.add(namespace)
        return True

    async def project(self, namespace: str) -> Answer:
        return await self._answers[namespace]

    def _give(self, wanted: int) -> list[str | None]:
        """Up to `wanted` projects nobody has started, from the back; None: there are none."""
        given: list[str | None] = []
        while self._left and len(given) < wanted:
            namespace = self._left.pop()
            if namespace not in self._taken:
                self._taken.add(namespace)
                self._answers[namespace] = asyncio.get_running_loop().create_future()
                given.append(namespace)
        return given if given else [None]

    async def _serve(self, process: asyncio.subprocess.Process) -> None:
        assert process.stdout is not None and process.stdin is not None
        mine: set[str] = set()  # the projects this helper took
        try:
            while True:
                head = await process.stdout.readexactly(FRAME.size)
                said = pickle.loads(await process.stdout.readexactly(FRAME.unpack(head)[0]))
                if said[0] == MORE:
                    given = self._give(said[1])
                    mine.update(namespace for namespace in given if namespace is not None)
                    process.stdin.write(b"".join(_frame(namespace) for namespace in given))
                    await process.stdin.drain()
                    continue
                _, namespace, item = said
                future = self._answers.get(namespace) if namespace in mine else None
                if future is not None and not future.done():
                    if isinstance(item, BaseException):
                        future.set_exception(item)
                    else:
                        future.set_result(item)
        except (asyncio.IncompleteReadError, OSError, pickle.UnpicklingError, ValueError):
            pass
        finally:  # ended, or gone: what it took and did not answer for is diagnosed here
            for namespace in mine:
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


class _Wire:
    """The helper's side: frames out on a private copy of stdout (fd 1 then points at stderr,
    discarded, so a library that prints cannot break a frame), frames in from stdin, read in a
    thread; stdin closing ends the process at once, mid-sweep too."""

    def __init__(self) -> None:
        self.out = os.fdopen(os.dup(1), "wb")
        os.dup2(2, 1)
        sys.stdout = sys.stderr
        self._lock = threading.Lock()

    def read(self) -> Any:
        head = sys.stdin.buffer.read(FRAME.size)
        if len(head) < FRAME.size:
            os._exit(0)
        body = sys.stdin.buffer.read(FRAME.unpack(head)[0])
        return pickle.loads(body)

    def say(self, *said: Any) -> None:
        with self._lock:
            self.out.write(_frame(said))
            self.out.flush()

    def listen(self, loop: asyncio.AbstractEventLoop, into: asyncio.Queue[str | None]) -> None:
        def read() -> None:
            while True:
                loop.call_soon_threadsafe(into.put_nowait, self.read())

        threading.Thread(target=read, daemon=True).start()


async def _run(wire: _Wire, request: tuple[Any, ...]) -> None:
    from checks.session import Session

    options, cluster, namespaces, limits = request
    session = Session(options)
    session.adopt(cluster)
    import checks.catalog  # noqa: F401  (the diagnosis's code loads while the parent lists)

    listed = await asyncio.to_thread(wire.read)  # what the parent listed, once it has
    incoming: asyncio.Queue[str | None] = asyncio.Queue()
    wire.listen(asyncio.get_running_loop(), incoming)
    try:
        sweep = ProjectSweep(session, limits)
        await sweep.load(namespaces, listed)

        async def one(namespace: str) -> None:
            try:
                answer: Any = await sweep.project(namespace)
            except DoctorError as error:  # KubeError too; anything else ends this process
                answer = error
            wire.say(DONE, namespace, answer)
            wire.say(MORE, 1)

        running: set[asyncio.Task[None]] = set()
        wire.say(MORE, limits.projects)
        while (namespace := await incoming.get()) is not None:
            task = asyncio.create_task(one(namespace))
            running.add(task)
            task.add_done_callback(running.discard)
        await asyncio.gather(*running)
    finally:
        await session.close()


def main() -> None:
    wire = _Wire()
    asyncio.run(_run(wire, wire.read()))
    os._exit(0)


if __name__ == "__main__":
    main()
