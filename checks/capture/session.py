"""A Session backed by a capture, not a cluster: the same public methods the console and the
commands call (projects, snapshot, all_deployments, log, find, diagnose, ...), answered from
what was recorded, so every face works unchanged on a bundle or a must-gather directory.

The checks run again on the recorded objects and facts (checks.capture.offline.Recorded): a fact the
capture does not hold is a skip "not in the capture". What only a live cluster can do — send a
request, a burst, follow a log, refresh, reveal a secret — raises a DoctorError saying so."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from checks.capture import facts_codec
from checks.capture.model import Capture, LogKey
from checks.capture.offline import OfflineKube, Recorded
from checks.capture.secrets import restore_secret
from checks.cluster.connect import ClusterConfig
from checks.cluster.log_follow import LogFollow
from checks.cluster.snapshot import KIND_PATHS, Snapshot
from checks.endpoints.routes import RouteAccess
from checks.engine.context import CheckContext
from checks.errors import DoctorError, ErrorKind, KubeError
from checks.options import SessionOptions
from checks.resources import AnyDeployment, Project
from checks.session import Identity, Session
from checks.text import one_line

OFFLINE = "offline capture"


def live_only(what: str) -> DoctorError:
    return DoctorError(
        ErrorKind.USAGE, f"{OFFLINE}: {what} needs the live cluster (this is a recording)"
    )


def session_for(
    options: SessionOptions, on_warning: Callable[[str], None] | None = None
) -> Session:
    """The live session, or with --from the capture's (read now: a bad file is one line)."""
    if not options.capture:
        return Session(options, on_warning)
    from checks.capture.load import load_capture

    capture = load_capture(options.capture, timeout=options.http_timeout)
    return CaptureSession(capture, options, on_warning)


def source_line(capture: Capture) -> str:
    """What a report made from this capture says of itself, in every format (a must-gather
    names no context: its server, or what it is, stands in)."""
    meta = capture.meta
    try:
        taken = datetime.fromisoformat(meta.captured_at.replace("Z", "+00:00"))
        when = taken.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    except ValueError:
        when = meta.captured_at.replace("T", " ").replace("Z", " UTC") or "at an unknown time"
    context = meta.context or meta.server or f"an unnamed cluster ({meta.source})"
    return one_line(f"from a capture taken {when} of {context}")


def offline_line(capture: Capture) -> str:
    when = capture.meta.captured_at.replace("T", " ").replace("Z", " UTC") or "at an unknown time"
    return f"offline · captured {when} from {capture.meta.context or 'an unknown context'}"


class CaptureSession(Session):
    offline = OFFLINE

    def __init__(
        self,
        capture: Capture,
        options: SessionOptions,
        on_warning: Callable[[str], None] | None = None,
    ) -> None:
        super().__init__(options, on_warning)
        self.capture = capture
        self._offline_kube = OfflineKube()

    # -- connection: nothing to dial ----------------------------------------------------
    async def resolve(self) -> ClusterConfig:
        meta = self.capture.meta
        self.cluster = ClusterConfig(
            server=meta.server or "offline",
            namespace=self._default_namespace(),
            context=meta.context,
            user=meta.user,
            all_namespaces=self.options.connection.all_namespaces,
        )
        self._routes = RouteAccess()
        return self.cluster

    async def connect(self, on_resolved: Callable[[ClusterConfig], None] | None = None) -> Identity:
        cluster = await self.resolve()
        if on_resolved is not None:
            on_resolved(cluster)
        meta = self.capture.meta
        return Identity(
            meta.context or "-",
            cluster.server,
            meta.user or "unknown",
            cluster.namespace,
            offline=offline_line(self.capture),
        )

    async def close(self) -> None:
        if self._routes is not None:
            await self._routes.aclose()
            self._routes = None

    def _default_namespace(self) -> str:
        wanted = self.options.connection.namespace
        if wanted:
            return wanted
        held = self.capture.namespaces
        if self.capture.meta.namespace in held or len(held) != 1:
            return self.capture.meta.namespace or (held[0] if held else "default")
        return held[0]

    @property
    def captured_at(self) -> datetime | None:
        try:
            return datetime.fromisoformat(self.capture.meta.captured_at.replace("Z", "+00:00"))
        except ValueError:
            return None

    @property
    def tls_unverified(self) -> bool:
        return self.capture.meta.tls_unverified

    @property
    def kube(self) -> Any:
        return self._offline_kube

    def contexts(self) -> list[str]:
        return [self.capture.meta.context] if self.capture.meta.context else []

    # -- reading ------------------------------------------------------------------------
    async def projects(self) -> list[Project]:
        listed = {
            str(raw["metadata"].get("name")): raw
            for raw in self.capture.projects
            if isinstance(raw, dict) and isinstance(raw.get("metadata"), dict)
        }
        found = [
            Project.parse(listed.get(name) or {"metadata": {"name": name}})
            for name in self.capture.namespaces
        ]
        return sorted(found, key=lambda p: p.name)

    def shared_mesh_routes(self) -> None:  # type: ignore[override]
        return None  # the capture holds each project's routes already

    def cluster_lists(self) -> None:
        return None  # nothing to list: each project's snapshot comes from the capture

    async def snapshot(
        self,
        namespace: str | None,
        kinds: tuple[str, ...] = tuple(KIND_PATHS),
        *,
        mesh: object = None,
    ) -> Snapshot:
        held = self.capture.namespaces
        if namespace is not None and namespace not in held:
            raise DoctorError(
                ErrorKind.NOT_FOUND,
                f"project {namespace} is not in the capture (it holds: {_names(held)})",
            )
        snapshot = Snapshot(namespace)
        for ns in [namespace] if namespace is not None else held:
            objects = self.capture.objects.get(ns) or {}
            failed = self.capture.forbidden.get(ns) or {}
            for kind in kinds:
                if kind in failed:
                    error_kind = (self.capture.error_kinds.get(ns) or {}).get(kind) or "forbidden"
                    snapshot.errors[kind] = KubeError(error_kind, failed[kind])
                    continue
                items = copy.deepcopy(objects.get(kind) or [])
                if kind == "secrets":
                    items = [restore_secret(item) for item in items]
                snapshot.raw.setdefault(kind, []).extend(items)
        if namespace is None:
            _drop_duplicates(snapshot)
        return snapshot

    async def all_deployments(self) -> list[AnyDeployment]:
        snapshot = await self.snapshot(None, ("inferenceservices", "llminferenceservices"))
        return list(snapshot.all_deployments)

    async def log(
        self,
        namespace: str,
        pod: str,
        container: str,
        *,
        tail: int | None,
        previous: bool,
        timestamps: bool = False,
    ) -> str:
        """The captured log (a capture keeps the lines, not their times: `timestamps` is moot)."""
        text = self.capture.logs.get(LogKey(namespace, pod, container, previous))
        if text is None:
            which = "previous log" if previous else "log"
            raise DoctorError(
                ErrorKind.NOT_FOUND, f"{OFFLINE}: the {which} of {pod}/{container} is not in it"
            )
        if tail is not None:
            text = "".join(text.splitlines(keepends=True)[-tail:])
        return text

    def follow_log(
        self, namespace: str, pod: str, container: str, *, tail: int | None
    ) -> LogFollow:
        raise live_only("following a log")

    async def secret_values(self, namespace: str, name: str) -> dict[str, str]:
        raise live_only("revealing a secret (its values were redacted at capture)")

    async def read_signature(self, model: str, connection: str | None = None) -> Any:
        if model.startswith("s3://"):
            raise live_only("reading a model from S3")
        return await super().read_signature(model, connection)

    # -- one deployment ------------------------------------------------------------------
    async def find(
        self, namespace: str, name: str, snapshot: Snapshot | None = None
    ) -> CheckContext:
        namespace = self._where(namespace, name)
        ctx = await super().find(namespace, name, snapshot or await self.snapshot(namespace))
        recorded = self.capture.facts.get(f"{namespace}/{name}") or {}
        ctx.recorded = Recorded({k: facts_codec.decode(v) for k, v in recorded.items()})
        ctx.captured_at = self.captured_at
        return ctx

    def _where(self, namespace: str, name: str) -> str:
        """`check --from X DEPLOYMENT` without -n: the one project of the capture that has it."""
        if namespace in self.capture.namespaces or self.options.connection.namespace:
            return namespace
        holders = [
            ns
            for ns, kinds in self.capture.objects.items()
            for kind in ("inferenceservices", "llminferenceservices")
            for raw in kinds.get(kind) or []
            if isinstance(raw, dict) and (raw.get("metadata") or {}).get("name") == name
        ]
        return holders[0] if len(set(holders)) == 1 else namespace

    async def diagnose(self, namespace: str, name: str, **kwargs: Any) -> Any:
        namespace = self._where(namespace, name)
        if kwargs.get("snapshot") is None:
            kwargs["snapshot"] = await self.snapshot(namespace)
        report = await super().diagnose(namespace, name, **kwargs)
        report.source = source_line(self.capture)
        return report

    async def request(self, namespace: str, name: str, **_: Any) -> Any:
        raise live_only("sending a request to the model (and a burst)")


def _drop_duplicates(snapshot: Snapshot) -> None:
    """Across projects, a serverless route captured with each project it serves is kept once."""
    for kind, items in snapshot.raw.items():
        seen: set[str] = set()
        kept = []
        for item in items:
            meta = item.get("metadata") if isinstance(item, dict) else None
            uid = (meta or {}).get(
                "uid"
            ) or f"{(meta or {}).get('namespace')}/{(meta or {}).get('name')}"
            if uid in seen:
                continue
            seen.add(uid)
            kept.append(item)
        snapshot.raw[kind] = kept


def _names(names: list[str], shown: int = 6) -> str:
    more = f", … ({len(names) - shown} more)" if len(names) > shown else ""
    return (", ".join(names[:shown]) or "none") + more
