"""The console's `check --all -A`: every deployment of every project diagnosed in the background
by the same sweep (checks.sweep), so the project marks, the `0` view and the status line count
the failures `check` counts. A first look (objects only) shows the failures within a second or
two; the whole diagnosis (S3, URIs, registries, routes, proxies) follows and replaces it. It
starts after the fleet's LIST, a few deployments at a time, and never holds a key: verdicts are
gathered and shown a few times a second, not one redraw per deployment."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from textual import work
from textual.screen import Screen

from checks.errors import DoctorError
from checks.resources.fleet import Diagnosed, FleetRow
from checks.text import one_line
from tui.access import session_of

if TYPE_CHECKING:
    from checks.engine.runner import Check, Report

AT_ONCE = 8  # diagnoses in flight: the console shares its loop (and the CPU) with the keys
SHOW_EVERY = 0.25  # seconds between redraws while verdicts land


class FleetSweep(Screen):
    """The verdicts by `namespace/name`, and the worker that makes them."""

    _verdicts: dict[str, Diagnosed] | None = None
    _loaded: dict[str, list[FleetRow]] | None = None
    _tried: set[str] | None = None  # deployments a sweep was asked for (no loop on a failure)
    _sweeping = False
    _again = False
    _show_due = False
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
        from checks.sweep import first_look_checks

        started = time.monotonic()
        try:
            if first:
                await self._sweep(namespaces, first_look_checks(), final=False)
            await self._sweep(namespaces, None, final=True)
            self.sweep_seconds = time.monotonic() - started
        finally:
            self._sweeping = False
        self.sweep_wanted()

    async def _sweep(
        self, namespaces: list[str], checks: tuple[Check, ...] | None, final: bool
    ) -> None:
        from checks.sweep import SweepLimits, sweep

        def landed(report: Report) -> None:
            self._landed(report, final)

        try:
            await sweep(
                session_of(self),
                namespaces,
                limits=SweepLimits(projects=AT_ONCE, deployments=AT_ONCE),
                checks=checks,
                on_landed=landed,
            )
        except DoctorError as error:  # the rest of those projects: could not judge, and why
            if not final:
                return  # the whole diagnosis says it
            verdicts, why = self.verdicts(), one_line(f"could not diagnose: {error}")
            for row in self.fleet_view_rows() or []:
                key = f"{row.deployment.namespace}/{row.deployment.name}"
                old = verdicts.get(key)
                if row.deployment.namespace in namespaces and (old is None or not old.final):
                    verdicts[key] = Diagnosed("error", why)
            self._show_soon()

    def _landed(self, report: Report, final: bool) -> None:
        from checks.sweep import diagnosed

        key = f"{report.target['namespace']}/{report.target['name']}"
        old = self.verdicts().get(key)
        if not final and old is not None and old.final:
            return  # a first look never replaces the whole diagnosis
        self.verdicts()[key] = diagnosed(report, final)
        self._show_soon()

    def _show_soon(self) -> None:
        if not self._show_due:
            self._show_due = True
            self.set_timer(SHOW_EVERY, self._show)

    def _show(self) -> None:
        self._show_due = False
        self.verdicts_changed()
