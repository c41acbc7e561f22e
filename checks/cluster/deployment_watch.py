"""Hears the changes to one deployment's objects through the shared informers (one watch per
kind in its namespace, the same the console's panes use), each named as a timeline line."""

from __future__ import annotations

from collections.abc import Callable

from checks.cluster.concerns import WATCHED, concerns, describe
from checks.cluster.informers import Informers, Subscription
from checks.cluster.watch import Change, Informer
from checks.resources import AnyDeployment


class DeploymentWatch:
    def __init__(
        self, informers: Informers, dep: AnyDeployment, on_change: Callable[[str, Change], None]
    ) -> None:
        self.dep, self.on_change = dep, on_change
        self._subs: list[Subscription] = [
            informers.subscribe(kind, dep.namespace, self._heard) for kind in WATCHED
        ]

    @property
    def informers(self) -> list[Informer]:
        return [s.informer for s in self._subs]

    @property
    def synced(self) -> bool:
        return all(i.synced.is_set() for i in self.informers)

    def _heard(self, informer: Informer, change: Change | None) -> None:
        # the first LIST's objects are what the diagnosis already saw, not changes
        if change is None or not informer.synced.is_set():
            return
        if concerns(self.dep, change.kind, change.obj):
            line = describe(change.kind, change.obj, change.before, change.type == "DELETED")
            self.on_change(line, change)

    def close(self) -> None:
        for sub in self._subs:
            sub.close()
        self._subs = []
