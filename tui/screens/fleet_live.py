"""The fleet (the project marks, the `0` view, "failing elsewhere") follows the cluster through
watches, as the open project does (tui/screens/live.py): every project's deployments, their
pods and ReplicaSets, one informer per kind across namespaces (started from the fleet's first
LISTs), shared with every other screen. A deployment whose state changes (a crash loop starts,
a fix lands) is diagnosed again and shows `…` until its new verdict lands; a change that leaves
every state as it was (a restart count) redraws nothing. Changes are gathered for
FLEET_COALESCE_S, so a rollout is one look."""

from __future__ import annotations

from textual.timer import Timer

from checks.cluster.live_project import LiveProject
from checks.cluster.snapshot import Snapshot
from checks.cluster.watch import Change
from checks.resources.fleet import FleetRow, fleet_rows
from tui.access import session_of
from tui.offline import is_offline
from tui.screens.fleet_sweep import FleetSweep

FLEET_COALESCE_S = 1.0


class FleetLive(FleetSweep):
    """A layer of the main screen: `follow_fleet()` once the fleet's first LIST is in."""

    _fleet_live: LiveProject | None = None
    _fleet_timer: Timer | None = None

    def follow_fleet(self, seed: Snapshot | None = None) -> None:
        """Watch every project's deployments, from `seed` (the fleet's LISTs just made)."""
        if self._fleet_live is None and not is_offline(self):
            self._fleet_live = session_of(self).live_fleet(self._fleet_heard, seed)

    def stop_following_fleet(self) -> None:
        if self._fleet_live is not None:
            self._fleet_live.close()
            self._fleet_live = None

    @property
    def fleet_watched(self) -> bool:
        """Every project's deployments are watched: a periodic LIST would tell nothing new."""
        return self._fleet_live is not None and self._fleet_live.healthy

    def _fleet_heard(self, change: Change | None) -> None:
        if self._fleet_timer is None and self.is_mounted:
            self._fleet_timer = self.set_timer(FLEET_COALESCE_S, self._fleet_look)

    def _fleet_look(self) -> None:
        self._fleet_timer = None
        live = self._fleet_live
        if live is None or not live.synced or not self.is_mounted:
            return
        snapshot = live.snapshot()
        kinds = ("inferenceservices",)
        if any(kind in snapshot.errors for kind in kinds):
            return  # the watch failed: the rows the LIST gave stand (the poll takes over)
        self.fleet_seen_live(fleet_rows(snapshot.all_deployments, snapshot.state_of))

    def fleet_seen_live(self, rows: list[FleetRow]) -> None:
        raise NotImplementedError  # tui/screens/fleet_view.py
