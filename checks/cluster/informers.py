"""One informer per (kind, namespace-or-all), shared by every listener: two screens showing the
same project's pods ask the API server for one watch, not two. An informer nobody listens to
any more is stopped."""

from __future__ import annotations

import asyncio

from checks.cluster.kube import KubeClient
from checks.cluster.watch import BACKOFF_CAP_S, WATCH_TIMEOUT_S, Informer, Listener, Seed


class Subscription:
    """What `Informers.subscribe` hands back: the informer, and the way to stop listening."""

    def __init__(self, owner: Informers, informer: Informer, listener: Listener) -> None:
        self.owner, self.informer = owner, informer
        self._stop = informer.listen(listener)

    def close(self) -> None:
        self._stop()
        self.owner.release(self.informer)


class Informers:
    def __init__(
        self,
        kube: KubeClient,
        *,
        watch_timeout_s: int = WATCH_TIMEOUT_S,
        backoff_cap_s: float = BACKOFF_CAP_S,
    ) -> None:
        self.kube = kube
        self.watch_timeout_s, self.backoff_cap_s = watch_timeout_s, backoff_cap_s  # tests shorten
        self._running: dict[tuple[str, str | None], Informer] = {}

    def subscribe(
        self, kind: str, namespace: str | None, listener: Listener, seed: Seed | None = None
    ) -> Subscription:
        """Listen to the informer of `kind` in `namespace`, started if none runs (from `seed`,
        a LIST just made, when given: see Informer.start)."""
        key = (kind, namespace)
        informer = self._running.get(key)
        if informer is None:
            informer = self._running[key] = Informer(
                self.kube,
                kind,
                namespace,
                watch_timeout_s=self.watch_timeout_s,
                backoff_cap_s=self.backoff_cap_s,
            )
            informer.start(seed)
        return Subscription(self, informer, listener)

    def running(self) -> list[Informer]:
        return list(self._running.values())

    def release(self, informer: Informer) -> None:
        if informer.listened:
            return
        self._running.pop((informer.kind, informer.namespace), None)
        informer.cancel()

    async def close(self) -> None:
        running, self._running = list(self._running.values()), {}
        await asyncio.gather(*(i.stop() for i in running))
