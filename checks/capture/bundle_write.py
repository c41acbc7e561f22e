"""Write an evidence bundle from a live session: everything the diagnosis and the console read,
as the API returned it, secret values redacted at capture. Read-only: LIST/GET, logs, and the
review APIs the live diagnosis asks anyway.

Layout of `rhoai-doctor-<context>-<date>.tar.gz` (all JSON is UTF-8):

    manifest.json                          format, version, meta (context, server, user, time,
                                           tool version), namespaces, deployments, forbidden
                                           reads {ns: {kind: {"kind", "message"}}}, the log
                                           index, the limits and each step's duration
    projects.json                          the project (or namespace) LIST as returned
    objects/<ns>/<kind>.json               one LIST per snapshot kind (checks.cluster.snapshot_kinds)
    logs/<ns>/<pod>/<container>.current.log
    logs/<ns>/<pod>/<container>.previous.log   the last 1,000 lines, at most 256 KiB each
    facts/<ns>/<deployment>.json           fact key -> value (checks.capture.facts_codec)
    diagnosis/<ns>/<deployment>.json       the report exactly as `check -o json` prints it

Secrets: Secret data/stringData become markers (checks.capture.secrets); every other string
(objects, logs, facts) goes through a Redactor that knows every secret value read, the user's
token and --token, plus JWT and sha256~ token shapes.
"""

from __future__ import annotations

import asyncio
import io
import json
import os
import tarfile
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from checks.capture import facts_codec
from checks.capture.model import CaptureMeta
from checks.capture.secrets import redact_secret, secret_values
from checks.cluster.kube import Raw
from checks.cluster.snapshot import Snapshot
from checks.engine.context import CheckContext
from checks.engine.redaction import SHORT, Redactor
from checks.engine.report import report_document
from checks.errors import DoctorError, ErrorKind, KubeError
from checks.session import Session

FORMAT = "rhoai-doctor-bundle"
VERSION = 1
LOG_LINES = 1000
LOG_BYTES = 256 * 1024
LOG_CONCURRENCY = 8

Progress = Callable[[str], None]


@dataclass
class Scope:
    """What to capture: one deployment, a project's (--all), or every project's (-A)."""

    namespace: str | None
    deployment: str | None = None
    all_namespaces: bool = False


@dataclass
class Written:
    path: Path
    size: int
    seconds: float
    deployments: int
    steps: list[tuple[str, float]] = field(default_factory=list)


def default_name(context: str, when: datetime) -> str:
    safe = "".join(c if c.isalnum() or c in "-_." else "-" for c in context or "cluster")
    return f"rhoai-doctor-{safe}-{when:%Y%m%d-%H%M%S}.tar.gz"


def _scrub(value: Any, redact: Redactor) -> Any:
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, list):
        return [_scrub(v, redact) for v in value]
    if isinstance(value, dict):
        return {k: _scrub(v, redact) for k, v in value.items()}
    return value


def _recorded(ctx: CheckContext) -> dict[str, Any]:
    """The facts the live checks asked for, answer or error, by key."""
    facts = {}
    for key, task in ctx._memo.items():
        if not task.done() or task.cancelled():
            continue
        error = task.exception()
        facts[key] = facts_codec.encode(error if error is not None else task.result())
    return facts


class BundleWriter:
    def __init__(self, session: Session, progress: Progress, tool_version: str = "") -> None:
        self.session = session
        self.progress = progress
        self.tool_version = tool_version
        self.files: dict[str, bytes] = {}
        self.steps: list[tuple[str, float]] = []
        self.secrets: list[str] = []

    def _step(self, line: str, started: float) -> None:
        seconds = time.perf_counter() - started
        self.steps.append((line, round(seconds, 3)))
        self.progress(f"{line} ({seconds:.1f} s)")

    def _json(self, name: str, value: Any) -> None:
        self.files[name] = (json.dumps(value, indent=1, ensure_ascii=False) + "\n").encode()

    async def write(self, scope: Scope, out: Path | None) -> Written:
        began = time.perf_counter()
        started = time.perf_counter()
        identity = await self.session.connect()
        cluster = self.session.cluster
        when = datetime.now(UTC).replace(microsecond=0)
        meta = CaptureMeta(
            source="bundle",
            context=identity.context,
            server=identity.server,
            captured_at=when.isoformat().replace("+00:00", "Z"),
            tool_version=self.tool_version,
            user=identity.user,
            namespace=self.session.namespace,
            tls_unverified=self.session.tls_unverified,
        )
        self._step(f"connected to {identity.context} as {identity.user}", started)
        self.secrets += [
            self.session.options.model_token or "",
            (cluster.token or "") if cluster else "",
        ]

        started = time.perf_counter()
        projects = await self._projects()
        namespaces = [scope.namespace or self.session.namespace]
        if scope.all_namespaces and projects:
            namespaces = [p["metadata"]["name"] for p in projects if p.get("metadata")]
        self._step(f"listed {len(projects)} projects", started)
        if scope.all_namespaces and not projects:  # as the console: your context's project
            self.progress(f"you may not list projects: capturing {namespaces[0]} only")

        snapshots: dict[str, Snapshot] = {}
        forbidden: dict[str, dict[str, dict[str, str]]] = {}
        for namespace in namespaces:
            started = time.perf_counter()
            snapshot = await self.session.snapshot(namespace)
            snapshot.raise_if_unreachable()
            snapshots[namespace] = snapshot
            for raw in snapshot.raw.get("secrets") or []:
                self.secrets += secret_values(raw)
            if snapshot.errors:
                forbidden[namespace] = {
                    kind: {"kind": str(error.kind), "message": error.message}
                    for kind, error in snapshot.errors.items()
                }
            count = sum(len(items) for items in snapshot.raw.values())
            self._step(f"read {namespace}: {count} objects", started)
        redact = Redactor(self.secrets)
        # objects and facts: long values only (a short value such as "view" standing alone
        # would blank words the checks read); logs get every value
        exact = Redactor(v for v in self.secrets if len(v.strip()) >= SHORT)

        deployments: list[str] = []
        logs_index: list[dict] = []
        for namespace, snapshot in snapshots.items():
            chosen = snapshot.all_deployments
            if scope.deployment:
                chosen = [d for d in chosen if d.name == scope.deployment]
                if not chosen:
                    names = ", ".join(d.name for d in snapshot.all_deployments) or "none"
                    raise DoctorError(
                        ErrorKind.NOT_FOUND,
                        f'deployment "{scope.deployment}" not found in {namespace} '
                        f"(deployments there: {names})",
                    )
            for dep in chosen:
                started = time.perf_counter()
                contexts: list[CheckContext] = []
                where = f"{namespace}/{dep.name}"
                try:
                    report = await self.session.diagnose(
                        namespace, dep.name, snapshot=snapshot, on_context=contexts.append
                    )
                except DoctorError as error:  # its objects are still captured
                    self.progress(f"could not diagnose {where}: {error}")
                    continue
                deployments.append(where)
                self._json(f"facts/{where}.json", _scrub(_recorded(contexts[0]), exact))
                self._json(f"diagnosis/{where}.json", report_document(report))
                self._step(f"diagnosed {where}: {report.verdict}", started)
            started = time.perf_counter()
            pods = {p.name: p for d in chosen for p in snapshot.pods_for(d)}
            found = await self._logs(namespace, list(pods.values()), redact)
            logs_index += found
            if found:
                self._step(f"read {len(found)} log tails in {namespace}", started)
            self._objects(namespace, snapshot, exact)

        self._json("projects.json", _scrub(projects, exact))
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "meta": asdict(meta),
            "tls_unverified": self.session.tls_unverified,
            "namespace": self.session.namespace,
            "namespaces": namespaces,
            "deployments": deployments,
            "forbidden": forbidden,
            "logs": logs_index,
            "limits": {"log_lines": LOG_LINES, "log_bytes": LOG_BYTES},
            "steps": [{"step": s, "seconds": t} for s, t in self.steps],
        }
        self._json("manifest.json", manifest)
        path = out or Path(default_name(identity.context, when))
        started = time.perf_counter()
        size = _write_tar(path, self.files, when)
        self._step(f"wrote {path} ({size / 1024:,.0f} KiB)", started)
        return Written(path, size, time.perf_counter() - began, len(deployments), self.steps)

    async def _projects(self) -> list[Raw]:
        for path in ("/apis/project.openshift.io/v1/projects", "/api/v1/namespaces"):
            try:
                return await self.session.kube.list(path)
            except KubeError as error:
                if error.kind not in ("not-found", "forbidden"):
                    raise
        return []

    def _objects(self, namespace: str, snapshot: Snapshot, redact: Redactor) -> None:
        for kind, items in snapshot.raw.items():
            if kind == "secrets":
                kept = [redact_secret(item) for item in items]
            else:
                kept = [_scrub(_trimmed(item), redact) for item in items]
            self._json(f"objects/{namespace}/{kind}.json", kept)

    async def _logs(self, namespace: str, pods: list, redact: Redactor) -> list[dict]:
        gate = asyncio.Semaphore(LOG_CONCURRENCY)
        wanted = [
            (pod.name, c.name, previous)
            for pod in pods
            for c in pod.containers
            for previous in (False, True)
            if not previous or c.restarts > 0 or c.last_exit_code is not None
        ]

        async def one(pod: str, container: str, previous: bool) -> dict | None:
            async with gate:
                try:
                    text = await self.session.kube.log(
                        namespace,
                        pod,
                        container,
                        tail_lines=LOG_LINES,
                        previous=previous,
                        limit_bytes=LOG_BYTES,
                    )
                except DoctorError:
                    return None
            data = redact(text).encode()[-LOG_BYTES:]
            which = "previous" if previous else "current"
            name = f"logs/{namespace}/{pod}/{container}.{which}.log"
            self.files[name] = data
            return {
                "namespace": namespace,
                "pod": pod,
                "container": container,
                "previous": previous,
                "path": name,
                "bytes": len(data),
            }

        found = await asyncio.gather(*(one(*w) for w in wanted))
        return [f for f in found if f is not None]


def _trimmed(item: Raw) -> Raw:
    """managedFields say who wrote which field: no check reads them, they triple the size."""
    meta = item.get("metadata")
    if isinstance(meta, dict) and "managedFields" in meta:
        item = {**item, "metadata": {k: v for k, v in meta.items() if k != "managedFields"}}
    return item


def _write_tar(path: Path, files: dict[str, bytes], when: datetime) -> int:
    """Written beside the target under a fresh name no one could have planted (mkstemp:
    O_CREAT|O_EXCL, 0600, no symlink followed), then renamed: a half-written bundle is never
    left as one, and a `<out>.partial` symlink someone left there is never written through."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(
            prefix=".rhoai-doctor-bundle-", suffix=".partial", dir=path.parent
        )
    except OSError as error:
        raise DoctorError(ErrorKind.LOCAL, f"cannot write {path}: {error.strerror}") from error
    partial = Path(name)
    try:
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
            for member in sorted(files, key=lambda n: (n != "manifest.json", n)):
                info = tarfile.TarInfo(member)
                info.size = len(files[member])
                info.mtime = int(when.timestamp())
                info.mode = 0o600
                tar.addfile(info, io.BytesIO(files[member]))
        os.replace(partial, path)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise DoctorError(ErrorKind.LOCAL, f"cannot write {path}: {error.strerror}") from error
    return path.stat().st_size
