"""Every deployment of every project at a glance, from one all-namespaces LIST per kind: the
state each object says about itself (no pods read, so it stays cheap at thousands of
deployments), a mark per project, failing first. A project's own snapshot knows more (a pod's
crash loop); the console upgrades a project's mark once that project is loaded."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from checks.resources import AnyDeployment, DeploymentState, Severity, deployment_state

RANK = {
    Severity.FAILED: 0,
    Severity.UNKNOWN: 1,
    Severity.PROGRESSING: 2,
    Severity.STOPPED: 3,
    Severity.OK: 4,
}


@dataclass(frozen=True)
class FleetRow:
    deployment: AnyDeployment
    state: DeploymentState

    @property
    def key(self) -> str:
        return f"{self.deployment.namespace}/{self.deployment.kind}/{self.deployment.name}"


@dataclass(frozen=True)
class ProjectMark:
    """How a project's deployments stand: `✗ 2`, `… starting`, `■ stopped`, `✓`, or "" (none)."""

    failed: int = 0
    starting: int = 0
    stopped: int = 0
    ok: int = 0

    @property
    def text(self) -> str:
        if self.failed:
            return f"✗ {self.failed}"
        if self.starting:
            return "…"
        if self.stopped and not self.ok:
            return "■"
        return "✓" if self.ok or self.stopped else ""

    @property
    def severity(self) -> Severity | None:
        if self.failed:
            return Severity.FAILED
        if self.starting:
            return Severity.PROGRESSING
        if self.stopped and not self.ok:
            return Severity.STOPPED
        return Severity.OK if self.ok else None


def fleet_rows(deployments: Iterable[AnyDeployment]) -> list[FleetRow]:
    """Failing first, then unknown, starting, stopped, ready; by project and name within."""
    rows = [FleetRow(d, deployment_state(d, ())) for d in deployments]
    return sorted(
        rows,
        key=lambda r: (RANK[r.state.severity], r.deployment.namespace, r.deployment.name),
    )


def mark_of(states: Iterable[DeploymentState]) -> ProjectMark:
    failed = starting = stopped = ok = 0
    for state in states:
        if state.severity == Severity.FAILED:
            failed += 1
        elif state.severity in (Severity.PROGRESSING, Severity.UNKNOWN):
            starting += 1
        elif state.severity == Severity.STOPPED:
            stopped += 1
        else:
            ok += 1
    return ProjectMark(failed=failed, starting=starting, stopped=stopped, ok=ok)


def project_marks(rows: Iterable[FleetRow]) -> dict[str, ProjectMark]:
    by_project: dict[str, list[DeploymentState]] = {}
    for r in rows:
        by_project.setdefault(r.deployment.namespace, []).append(r.state)
    return {name: mark_of(states) for name, states in by_project.items()}
