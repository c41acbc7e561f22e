"""What checks see: the target deployment, its snapshot, and memoised I/O shared between checks.

Each fact (an S3 listing, the model's signature, a route probe) is fetched once even when several
checks ask for it at the same time.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from typing import Any

from checks import resources as r
from checks.addressing import overrides
from checks.connect import ClusterConfig
from checks.kube import KubeClient
from checks.snapshot import Snapshot
from checks.storage import S3Target, Storage


@dataclass(frozen=True)
class CheckOptions:
    token: str | None = None
    token_secret: str | None = None
    request: dict | None = None
    route_ca: str | None = None
    insecure: bool = False
    s3_timeout: float = 5.0
    http_timeout: float = 10.0


@dataclass
class CheckContext:
    cluster: ClusterConfig
    kube: KubeClient
    snapshot: Snapshot
    deployment: r.Deployment
    options: CheckOptions = field(default_factory=CheckOptions)
    _memo: dict[str, asyncio.Task] = field(default_factory=dict)

    async def fact(self, key: str, produce: Callable[[], Awaitable[Any]]) -> Any:
        """Run `produce` once per key; concurrent askers share the same task."""
        if key not in self._memo:
            self._memo[key] = asyncio.ensure_future(produce())
        return await self._memo[key]

    @property
    def namespace(self) -> str:
        return self.deployment.namespace

    @property
    def server(self) -> r.ModelServer | None:
        return self.snapshot.server_for(self.deployment)

    @property
    def connection(self) -> r.DataConnection | None:
        return self.snapshot.connection_for(self.deployment)

    @property
    def pods(self) -> list[r.Pod]:
        return self.snapshot.pods_for(self.deployment)

    def storage_entry(self) -> r.StorageConfigEntry | None:
        entries = self.snapshot.storage_config.get(self.namespace) or {}
        return entries.get(self.deployment.storage_key)

    def storage(self) -> Storage | None:
        """S3 through the deployment's data connection, with the bucket the runtime would use."""
        connection = self.connection
        if connection is None:
            return None
        bucket = self.deployment.storage_bucket or connection.bucket
        target = S3Target.from_connection(connection, bucket=bucket)
        rules = tuple(overrides(self.cluster.resolve, self.cluster.connect_to))
        return Storage(replace(target, timeout=self.options.s3_timeout, overrides=rules))

    async def in_thread(self, function: Callable[..., Any], *args: Any) -> Any:
        return await asyncio.to_thread(function, *args)
