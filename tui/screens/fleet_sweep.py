"""The console's `check --all -A`: every deployment of every project diagnosed in the background
by the same sweep (checks.sweep), so the project marks, the `0` view and the status line count
the failures `check` counts. A first look (objects only) shows the failures within a second or
two; the whole diagnosis (S3, URIs, registries, routes, proxies) follows and replaces it. It
starts after the fleet's LIST and runs in a process of its own (checks/sweep_process.py), so
its CPU never holds a key; that process is kept for the next sweep (a deployment changing), so
only the first pays for loading the code. Verdicts are gathered and shown a few times a
second, not one redraw per deployment."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import tempfile
import time

from textual import work
from textual.screen import Screen

from checks.resources.fleet import Diagnosed, FleetRow
from checks.text import one_line
from tui.access import session_of

SHOW_EVERY = 0.25  # seconds between redraws while verdicts land, at least
# ... and at least this many times what the last redraw took: at 10,000 deployments one costs
# ~0.3 s (every row's verdict, the order, the marks), and 4 a second left no time for keys
SHOW_SHARE = 5
QUIT_WAIT_S = 1.0  # for the sweep's process to end once asked


class _Sweeper:
    """The sweep's process and where its stderr goes (the last words if it dies)."""

    def __init__(self) -> None:
        self.errors = tempfile.TemporaryFile()  # noqa: SIM115 (open as long as the process)
        self.child = subprocess.Popen(
            [sys.executable, "-m", "checks.sweep_process"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.errors,
        )

    def ask(self, request: bytes) -> None:
        assert self.child.stdin is not None
        self.child.stdin.write(request)
        self.child.stdin.flush()

    async def line(self) -> bytes:
        assert self.child.stdout is not None
        return await asyncio.to_thread(self.child.stdout.readline)

    def last_words(self) -> str:
        self.errors.seek(max(0, self.errors.seek(0, 2) - 4096))
        said = self.errors.read().decode(errors="replace").strip().splitlines()
        return (said or ["?"])[-1]

    def close(self) -> None:
        """Its stdin closed, the process removes its files and ends at once, in the middle of
        a sweep too; killed only if it has not within QUIT_WAIT_S (a kill leaves them)."""
        if self.child.stdin is not None:
            try:
                self.child.stdin.close()
            except OSError:  # it died already: the pipe is broken
                pass
        try:
            self.child.wait(QUIT_WAIT_S)
        except subprocess.TimeoutExpired:
            self.child.kill()
        self.child.wait()
        for pipe in (self.child.stdin, self.child.stdout, self.errors):
            if pipe is not None:
                pipe.close()


class FleetSweep(Screen):
    """The verdicts by `namespace/name`, and the worker that makes them."""

    _verdicts: dict[str, Diagnosed] | None = None
    _loaded: dict[str, list[FleetRow]] | None = None
    _tried: set[str] | None = None  # deployments a sweep was asked for (no loop on a failure)
    _sweeping = False
    _sweeper: _Sweeper | None = None  # kept between sweeps, closed with the screen
    # changed while a sweep ran: that sweep's verdicts for them judge the objects before the
    # change (a fix landing while the crash is diagnosed), so they are dropped, and asked again
    _changed_in_flight: frozenset[str] = frozenset()
    _again = False
    _show_due = False
    _show_cost = 0.0  # seconds the last redraw of the verdicts took
    sweep_seconds: float | None = None  # how long the last whole sweep took (bench, report)

    def verdicts(self) -> dict[str, Diagnosed]:
        if self._verdicts is None:
            self._verdicts = {}
        return self._verdicts

    def loaded_states(self) -> dict[str, list[FleetRow]]:
        """Each loaded project's rows, from its own snapshot (fresher than the fleet's LIST)."""
        if self._loaded is None:
            self._loaded = {}
        return self._loaded

    def fleet_view_rows(self) -> list[FleetRow] | None:
        raise NotImplementedError  # tui/screens/fleet_view.py

    def verdicts_changed(self) -> None:
        raise NotImplementedError  # tui/screens/fleet_view.py

    def sweeping(self) -> bool:
        return self._sweeping

    def sweep_wanted(self, again: bool = False) -> None:
        """Diagnose the deployments with no whole diagnosis yet (`again`: every one)."""
        self._again = self._again or again
        if not session_of(self).options.background_diagnosis:
            return  # --no-background-diagnosis: d diagnoses one at a time
        rows = self.fleet_view_rows()
        if rows is None or self._sweeping:
            return  # a running sweep looks again when it ends
        tried = self._tried if self._tried is not None else set()
        keys = {f"{r.deployment.namespace}/{r.deployment.name}": r for r in rows}
        if self._again:
            wanted, first = list(keys), False
        else:
            wanted = [
                key
                for key, row in keys.items()
                if (row.diagnosed is None or not row.diagnosed.final) and key not in tried
            ]
            first = True
        self._again = False
        if not wanted:
            return
        self._tried = tried | set(wanted)
        namespaces = sorted({keys[key].deployment.namespace for key in wanted})
        self._sweeping = True
        self.sweep_fleet(namespaces, first)

    @work(group="sweep", description="diagnose every deployment, as check --all -A")
    async def sweep_fleet(self, namespaces: list[str], first: bool) -> None:
        started = time.monotonic()
        try:
            await self._sweep(namespaces, first)
            self.sweep_seconds = time.monotonic() - started
        finally:
            self._sweeping, self._changed_in_flight = False, frozenset()
        self.sweep_wanted()

    async def _sweep(self, namespaces: list[str], first: bool) -> None:
        """One sweep by the sweep's process (checks/sweep_process.py), its lines read in a
        thread; a process that is not at its end (the worker cancelled by a context switch or
        the console quitting, or a crash) is killed, the next sweep starts another."""
        from checks.sweep_process import encode

        request = encode(session_of(self).options, namespaces, first)
        sweeper = self._sweeper
        self._sweeper = None
        if sweeper is None or sweeper.child.poll() is not None:
            if sweeper is not None:
                sweeper.close()
            sweeper = _Sweeper()
        done = False
        try:
            try:
                sweeper.ask(request)
            except OSError:  # it ended since the last sweep: a new one
                sweeper.close()
                sweeper = _Sweeper()
                sweeper.ask(request)
            while not done and (raw := await sweeper.line()):
                line = _protocol_line(raw)
                if line is None:
                    continue  # not the sweep's words: something else printed
                if "key" in line:
                    verdict = Diagnosed(line["verdict"], line["cause"], bool(line.get("final")))
                    self._landed(line["key"], verdict)
                elif "error" in line and line.get("final"):
                    self._could_not(namespaces, f"could not diagnose: {line['error']}")
                done = bool(line.get("done"))
            if not done:  # it died: say so where the verdicts are missing
                why = one_line(f"could not diagnose: the sweep stopped: {sweeper.last_words()}")
                self._could_not(namespaces, why)
        finally:
            if done and self.is_attached:
                self._sweeper = sweeper
            else:
                sweeper.close()

    def stop_sweeping(self) -> None:
        """The screen is going: the sweep's process with it (a running sweep's worker is
        cancelled and closes its own)."""
        sweeper, self._sweeper = self._sweeper, None
        if sweeper is not None:
            sweeper.close()

    def diagnose_again(self, keys: set[str]) -> None:
        """These deployments changed: their verdicts are forgotten (`…` until the new ones
        land) and the sweep diagnoses them again."""
        verdicts = self.verdicts()
        for key in keys:
            verdicts.pop(key, None)
        if self._tried is not None:
            self._tried -= keys
        if self._sweeping:
            self._changed_in_flight |= keys

    def _could_not(self, namespaces: list[str], why: str) -> None:
        """The deployments of those projects with no whole diagnosis: could not judge, and why."""
        verdicts = self.verdicts()
        for row in self.fleet_view_rows() or []:
            key = f"{row.deployment.namespace}/{row.deployment.name}"
            old = verdicts.get(key)
            if key in self._changed_in_flight:
                continue  # asked again once this sweep ends
            if row.deployment.namespace in namespaces and (old is None or not old.final):
                verdicts[key] = Diagnosed("error", why)
        self._show_soon()

    def _landed(self, key: str, verdict: Diagnosed) -> None:
        if key in self._changed_in_flight:
            return  # made on the objects before their change: the next sweep judges them
        old = self.verdicts().get(key)
        if not verdict.final and old is not None and old.final:
            return  # a first look never replaces the whole diagnosis
        self.verdicts()[key] = verdict
        self._show_soon()

    def _show_soon(self) -> None:
        if not self._show_due:
            self._show_due = True
            self.set_timer(max(SHOW_EVERY, SHOW_SHARE * self._show_cost), self._show)

    def _show(self) -> None:
        self._show_due = False
        started = time.perf_counter()
        self.verdicts_changed()
        self._show_cost = time.perf_counter() - started


def _protocol_line(raw: bytes) -> dict | None:
    """One line of the sweep's protocol (checks/sweep_process.py), or None for anything else
    on the pipe: output of a library or a sitecustomize in the child is skipped, not a crash."""
    try:
        line = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(line, dict):
        return None
    if "key" in line and not all(isinstance(line.get(k), str) for k in ("key", "verdict", "cause")):
        return None
    return line
