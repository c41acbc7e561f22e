"""The two sides `diff` compares: a capture (bundle or must-gather directory) or the live
cluster through a Session. Check outcomes come from the capture's recorded diagnosis when it
has one, else from the checks re-run on it offline; live, from a live diagnosis."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path

from checks.capture.diff import Change, DeploymentView, Side, compare, outcomes_of, view_of
from checks.capture.model import Capture
from checks.capture.must_gather import read_must_gather
from checks.capture.replay import capture_snapshot, diagnose_capture
from checks.cluster.snapshot import Snapshot
from checks.errors import DoctorError, ErrorKind, KubeError
from checks.resources import AnyDeployment
from checks.session import Session

LIVE = "live"
Progress = Callable[[str], None]


def load_any(path: Path) -> Capture:
    """A bundle or a must-gather directory: the bundle reader when this build has it."""
    try:
        load = importlib.import_module("checks.capture.load")
    except ImportError:
        load = None
    if load is not None and hasattr(load, "load_capture"):
        return load.load_capture(path)
    if path.is_dir():
        return read_must_gather(path)
    if not path.exists():
        raise DoctorError(ErrorKind.NOT_FOUND, f"{path}: no such file or directory")
    raise DoctorError(
        ErrorKind.USAGE, f"{path}: not a must-gather directory (this build reads no bundles)"
    )


def capture_label(capture: Capture, path: Path) -> str:
    meta = capture.meta
    when = f"captured {meta.captured_at}" if meta.captured_at else "capture time unknown"
    origin = f" from {meta.context}" if meta.context else ""
    return f"{meta.source} {path} ({when}{origin})"


def deployment_namespaces(capture: Capture) -> list[str]:
    return [
        ns
        for ns, kinds in capture.objects.items()
        if kinds.get("inferenceservices") or kinds.get("llminferenceservices")
    ]


async def capture_side(
    capture: Capture,
    label: str,
    namespaces: list[str] | None,
    name: str | None = None,
    progress: Progress | None = None,
) -> Side:
    views: dict[tuple[str, str], DeploymentView] = {}
    for namespace in sorted(namespaces if namespaces is not None else capture.namespaces):
        if namespace not in capture.objects:
            continue
        snapshot = capture_snapshot(capture, namespace)
        for dep in snapshot.all_deployments:
            if name and dep.name != name:
                continue
            view = view_of(snapshot, dep)
            recorded = capture.reports.get(f"{namespace}/{dep.name}")
            if isinstance(recorded, dict) and isinstance(recorded.get("checks"), list):
                view.checks = outcomes_of(recorded["checks"])
            else:
                if progress:
                    progress(f"re-running the checks on {namespace}/{dep.name} (offline)")
                report = await diagnose_capture(capture, namespace, dep.name)
                view.checks = outcomes_of(r.as_dict() for r in report.results)
            views[(namespace, dep.name)] = view
    return Side(label, views)


async def live_namespaces(session: Session) -> list[str]:
    """Projects holding a deployment now, when the user may list them cluster-wide."""
    try:
        return sorted({d.namespace for d in await session.all_deployments()})
    except KubeError:
        return []


async def live_side(
    session: Session,
    namespaces: list[str],
    name: str | None = None,
    progress: Progress | None = None,
) -> Side:
    cluster = session.cluster
    label = f"live {cluster.context or '-'} ({cluster.server})" if cluster else LIVE
    views: dict[tuple[str, str], DeploymentView] = {}
    for namespace in sorted(set(namespaces)):
        snapshot = await session.snapshot(namespace)
        snapshot.raise_if_unreachable()
        for dep in snapshot.all_deployments:
            if name and dep.name != name:
                continue
            if progress:
                progress(f"diagnosing {namespace}/{dep.name} (live)")
            view = view_of(snapshot, dep)
            report = await session.diagnose(namespace, dep.name, snapshot=snapshot)
            view.checks = outcomes_of(r.as_dict() for r in report.results)
            views[(namespace, dep.name)] = view
    return Side(label, views)


_COMPARISONS: dict[str, Capture | DoctorError] = {}


def comparison(path: str) -> Capture:
    """The capture the console compares with (`--diff-against`), read once; a bad path is the
    same one-line error each time it is asked for."""
    if path not in _COMPARISONS:
        try:
            _COMPARISONS[path] = load_any(Path(path).expanduser())
        except DoctorError as error:
            _COMPARISONS[path] = error
    found = _COMPARISONS[path]
    if isinstance(found, DoctorError):
        raise found
    return found


def changes_since(path: str, snapshot: Snapshot, dep: AnyDeployment) -> tuple[str, list[Change]]:
    """(the capture's label, what differs in this deployment's fields now) for the console's
    details: the objects only, the checks are `rhoai-doctor diff`'s."""
    capture = comparison(path)
    label = capture_label(capture, Path(path))
    then = capture_snapshot(capture, dep.namespace)
    old = then.any_deployment(dep.name, dep.namespace)
    if old is None:
        return label, [Change("deployment", "not in the capture", "present")]
    key = (dep.namespace, dep.name)
    result = compare(Side("a", {key: view_of(then, old)}), Side("b", {key: view_of(snapshot, dep)}))
    return label, list(result.deployments[0].changes) if result.deployments else []
