"""The main screen follows the open project through watches (checks.cluster.live_project), as
k9s does: each change reaches the panes without a key press, coalesced into one re-render per
COALESCE_S; the periodic re-read is only the fallback while a watch is failing."""

from __future__ import annotations

from textual.timer import Timer

from checks.cluster.live_project import LiveProject
from checks.cluster.snapshot import Snapshot
from checks.cluster.watch import Change
from tui.access import session_of
from tui.offline import is_offline
from tui.screens.navigation import Navigation

COALESCE_S = 0.15  # changes within this are drawn together (a rollout sends dozens)


class LiveUpdates(Navigation):
    """A layer of the main screen: `follow(namespace)` when a project opens."""

    _live: LiveProject | None = None
    _flush_timer: Timer | None = None
    _behind = False  # changes came while another screen covered this one

    def follow(self, namespace: str | None, seed: Snapshot | None = None) -> None:
        """Watch `namespace` (None: stop), from `seed` (its snapshot just read: no second LIST);
        the informers of the project left are released."""
        if self._live is not None and self._live.namespace == namespace:
            return
        self.stop_following()
        if namespace and not is_offline(self):
            self._live = session_of(self).live_project(namespace, self._heard, seed)

    def stop_following(self) -> None:
        if self._live is not None:
            self._live.close()
            self._live = None

    @property
    def watches_healthy(self) -> bool:
        """The open project is watched: a periodic LIST would tell nothing new."""
        return self._live is not None and self._live.healthy

    def _heard(self, change: Change | None) -> None:
        if self._flush_timer is None and self.is_mounted:
            self._flush_timer = self.set_timer(COALESCE_S, self._flush)

    def _flush(self) -> None:
        self._flush_timer = None
        if not self.is_current:  # drawn when it shows again (catch_up), not under a cover
            self._behind = True
            return
        self._behind = False
        live = self._live
        if live is None or not live.synced or live.namespace != self.project:
            return
        self.live_snapshot(live.snapshot())

    def catch_up(self) -> None:
        """Back on top: draw what changed meanwhile."""
        if self._behind:
            self._flush()

    def live_snapshot(self, snapshot: Snapshot) -> None:
        """What the main screen does with a snapshot its watches made (it overrides this)."""
