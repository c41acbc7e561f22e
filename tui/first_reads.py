"""The first frame's reads, asked early: as soon as the kubeconfig is read, the starting
project's snapshot is requested beside "who am I", and the project list as soon as the server
has answered that, before the main screen is built; the main screen used to ask for each once
it was up, one after the other. The main screen takes each read once; a project it did not
expect, a refresh or a retry asks the session itself, as before."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any

from checks.cluster.snapshot import Snapshot
from checks.resources import Project
from checks.session import Session


def _quiet(task: asyncio.Future[Any]) -> None:
    """A read nobody takes (the connection failed, another project was chosen) may fail: its
    error is the taker's to show, never a 'Task exception was never retrieved' on exit."""
    if not task.cancelled():
        task.exception()


def _answered(task: asyncio.Future[Any]) -> bool:
    """Done with an answer or an error of its own (not cancelled): it can be taken at once."""
    return task.done() and not task.cancelled()


def _started(coroutine: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
    task = asyncio.ensure_future(coroutine)
    task.add_done_callback(_quiet)
    return task


class FirstReads:
    """Started on the app's loop when the connection is resolved; each read is taken once."""

    def __init__(self, session: Session, namespace: str) -> None:
        self.session = session
        self.namespace = namespace
        self._projects: asyncio.Task[list[Project]] | None = None
        self._snapshot: asyncio.Task[Snapshot] | None = (
            _started(session.snapshot(namespace)) if namespace else None
        )

    def ask_projects(self) -> None:
        """After "who am I" answered: the main screen says "listing projects…" while it waits."""
        if self._projects is None:
            self._projects = _started(self.session.projects())

    async def landed(self, seconds: float) -> bool:
        """Wait (at most `seconds`) for both reads; True when the project list is in, so the
        main screen's first frame can show it, and the project, instead of a frame of empty
        tables followed by a second one (a slow cluster gets that frame after `seconds`)."""
        tasks = [t for t in (self._projects, self._snapshot) if t is not None and not t.done()]
        if tasks:
            await asyncio.wait(tasks, timeout=seconds)
        return self._projects is not None and _answered(self._projects)

    def take_landed_snapshot(self, namespace: str) -> asyncio.Task[Snapshot] | None:
        """The prefetched snapshot of `namespace` when it is already in (else None, kept)."""
        task = self._snapshot
        if task is None or namespace != self.namespace or not _answered(task):
            return None
        return self.take_snapshot(namespace)

    def take_projects(self) -> asyncio.Task[list[Project]] | None:
        task, self._projects = self._projects, None
        return task

    def take_snapshot(self, namespace: str) -> asyncio.Task[Snapshot] | None:
        """The prefetched snapshot when it is of `namespace`; else it is dropped."""
        task, self._snapshot = self._snapshot, None
        if task is not None and namespace != self.namespace:
            task.cancel()
            return None
        return task

    def cancel(self) -> None:
        for task in (self.take_projects(), self.take_snapshot(self.namespace)):
            if task is not None:
                task.cancel()


def first_namespace(remembered: str | None, same_context: bool, named: bool, own: str) -> str:
    """The project the console opens in: the remembered one of this context unless
    -n/--namespace named one, else the context's own (the main screen's rule)."""
    if remembered and same_context and not named:
        return remembered
    return own
