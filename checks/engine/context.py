"""What checks see: the target deployment, its snapshot, the session's options and route access,
and memoised facts shared between checks.

Each fact (an S3 listing, the model's signature, a route probe) is fetched once even when several
checks ask for it at the same time.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar

from checks import resources
from checks.cluster.connect import ClusterConfig
from checks.cluster.kube import KubeClient
from checks.cluster.snapshot import Snapshot
from checks.endpoints.routes import RouteAccess
from checks.errors import Unmet
from checks.options import SessionOptions
from checks.storage.s3 import StorageError
from checks.storage.threads import in_daemon_thread

GRACE_S = 0.5
T = TypeVar("T")


@dataclass
class CheckContext:
    cluster: ClusterConfig
    kube: KubeClient
    snapshot: Snapshot
    deployment: resources.AnyDeployment
    options: SessionOptions
    routes: RouteAccess
    recorded: dict[str, Any] = field(default_factory=dict)
    captured_at: datetime | None = None  # a replay judges "recent" as of its capture
    _memo: dict[str, asyncio.Future] = field(default_factory=dict)
    _s3_failure: StorageError | None = None
    _derived: dict[Hashable, Any] = field(default_factory=dict)

    async def fact(
        self, key: str, produce: Callable[[], Awaitable[Any]], *, shared_as: str = ""
    ) -> Any:
        """Run `produce` once per key; concurrent askers share the same task.

        A `recorded` value (an answer, or the error it raised) stands in for the I/O: unit tests
        and offline replays judge the same facts without a cluster. A fact `shared_as` names the
        same question for every deployment of the project (the project object, one bucket with
        one connection's keys): it is asked once for all diagnosed from the same snapshot, and
        still recorded for each under `key`."""
        if key in self.recorded:
            value = self.recorded[key]
            if isinstance(value, BaseException):
                raise value
            return value
        if key not in self._memo:
            shared = self.snapshot.shared_facts if shared_as else None
            loop = asyncio.get_running_loop()
            where = f"{self.namespace}/{shared_as}"  # a snapshot may span projects
            kept = shared.get(where) if shared is not None else None
            if kept is not None and kept.get_loop() is loop:
                self._memo[key] = kept
            else:
                self._memo[key] = asyncio.ensure_future(produce())
                if shared is not None:
                    shared[where] = self._memo[key]
        return await self._memo[key]

    def derived(self, key: Hashable, work_out: Callable[[], T]) -> T:
        """`work_out()` once per diagnosis: a reading made from what the context already holds
        (no I/O), which each check asks for again (the platform, the files that land: a sweep
        of 1,000 deployments worked them out 10,000 times)."""
        if key not in self._derived:
            self._derived[key] = work_out()
        return self._derived[key]  # type: ignore[no-any-return]

    def known(self, key: str) -> Any:
        """A fact already produced (or recorded), else None: for synchronous readers."""
        if key in self.recorded and not isinstance(self.recorded[key], BaseException):
            return self.recorded[key]
        task = self._memo.get(key)
        if task is not None and task.done() and not task.cancelled() and not task.exception():
            return task.result()
        return None

    @property
    def now(self) -> datetime:
        """The clock checks judge "young" and "in the last hour" by: the capture's time in a
        replay, so a bundle read tomorrow says what it said when it was taken."""
        return self.captured_at or datetime.now(UTC)

    @property
    def namespace(self) -> str:
        return self.deployment.namespace

    @property
    def kind(self) -> str:
        """isvc or llmisvc: checks that do not apply to a kind say so (`not_for`)."""
        return self.deployment.kind

    @property
    def isvc(self) -> resources.Deployment:
        """The target as an InferenceService, for checks and facts that only judge that kind.

        The engine skips such checks on an LLMInferenceService (`not_for`); should one still
        ask, it is blocked in words (`Unmet`), never an AttributeError."""
        if isinstance(self.deployment, resources.Deployment):
            return self.deployment
        raise Unmet(
            f"{self.deployment.name} is an LLMInferenceService: this reading applies to "
            "InferenceServices only"
        )

    @property
    def server(self) -> resources.ModelServer | None:
        """The ServingRuntime; an LLMInferenceService names none (None)."""
        if not isinstance(self.deployment, resources.Deployment):
            return None
        return self.snapshot.server_for(self.deployment)

    @property
    def connection(self) -> resources.DataConnection | None:
        """The data connection; an LLMInferenceService names none (None)."""
        if not isinstance(self.deployment, resources.Deployment):
            return None
        return self.snapshot.connection_for(self.deployment)

    @property
    def pods(self) -> list[resources.Pod]:
        return self.snapshot.pods_for(self.deployment)

    def storage_entry(self) -> resources.StorageConfigEntry | None:
        entries = self.snapshot.storage_config.get(self.namespace) or {}
        return entries.get(self.deployment.storage_key)

    @property
    def reads_s3(self) -> bool:
        """An InferenceService whose model comes from an S3 data connection: its diagnosis and
        its request read S3 (so boto3 is worth loading early); anything else never imports it."""
        connection = self.connection
        return connection is not None and connection.protocol == "s3"

    async def in_thread(self, function: Callable[..., Any], *args: Any) -> Any:
        """S3 work in a thread, within --request-timeout. Once S3 did not answer in time, the
        other checks that need it share that failure instead of waiting again."""
        if self._s3_failure is not None:
            raise self._s3_failure
        deadline = self.options.http_timeout
        try:
            # a little longer than each request's own deadline, so that one names what its
            # retries met (the 500, the refusal) before this one says only "no answer"
            return await in_daemon_thread(deadline + GRACE_S, function, *args)
        except TimeoutError:
            self._s3_failure = StorageError(
                "timeout", f"S3 did not answer within {deadline:g} s (--request-timeout)"
            )
            raise self._s3_failure from None
        except StorageError as error:
            if error.kind in ("timeout", "dns", "refused"):
                self._s3_failure = error
            raise
