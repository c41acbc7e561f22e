"""Every deployment of every project at a glance: the state word its pods give (from one
all-namespaces LIST per kind, the words `get deployments -A` prints) and the diagnosis verdict
(`check --all -A`'s engine, run in the background). A row's mark and its project's mark are the
verdict's, so every face counts the same deployments as failing; a row not diagnosed yet says
so (`…`) instead of guessing from its state."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from checks.resources import AnyDeployment, DeploymentState

# The marks, worst first; the legend the console shows (help, the `0` view's header).
MARKS = {"fail": "✗", "error": "?", "pending": "…", "warn": "⚠", "stopped": "■", "pass": "✓"}
RANK = {name: i for i, name in enumerate(MARKS)}
LEGEND = "✗ failed  ? not judged  … not diagnosed yet  ⚠ warned  ✓ passed  ■ stopped"


@dataclass(frozen=True)
class Diagnosed:
    """What the diagnosis said: `verdict` fail/error/warn/pass, the root cause as `check`'s
    table words it (`id: summary`), and whether it was the whole diagnosis (`final`) or the
    first look (objects only; S3 and route probes to come)."""

    verdict: str
    cause: str = ""
    final: bool = True


@dataclass(frozen=True)
class FleetRow:
    deployment: AnyDeployment
    state: DeploymentState
    diagnosed: Diagnosed | None = None

    @property
    def key(self) -> str:
        return f"{self.deployment.namespace}/{self.deployment.kind}/{self.deployment.name}"

    @property
    def verdict(self) -> str:
        """The row's standing: a verdict, or "pending" until one is known. A first look that
        found a failure is a failure (the probes cannot undo it); one that found nothing
        waits for the probes, so a `✓` is never taken back."""
        d = self.diagnosed
        if d is None or (not d.final and d.verdict != "fail"):
            return "pending"
        if d.verdict == "pass" and self.state.stopped:
            return "stopped"
        return d.verdict

    @property
    def failed(self) -> bool:
        return self.verdict == "fail"

    @property
    def mark(self) -> str:
        return MARKS[self.verdict]

    @property
    def cause(self) -> str:
        d = self.diagnosed
        if d is None:
            return "not diagnosed yet"
        if not d.final and d.verdict != "fail":
            return "first look passed; probing S3 and routes…"
        return d.cause or "-"


@dataclass(frozen=True)
class ProjectMark:
    """How a project's deployments stand, worst first: `✗ 2` failing, `?` not judged, `…` not
    diagnosed yet, `⚠` warned, `✓` passed, `■` all stopped, "" none."""

    counts: tuple[tuple[str, int], ...] = ()

    def count(self, verdict: str) -> int:
        return dict(self.counts).get(verdict, 0)

    @property
    def worst(self) -> str | None:
        present = [v for v, n in self.counts if n]
        if not present:
            return None
        worst = min(present, key=RANK.__getitem__)
        return "pass" if worst == "stopped" and self.count("pass") else worst  # ■: all stopped

    @property
    def text(self) -> str:
        worst = self.worst
        if worst is None:
            return ""
        if worst == "fail":
            return f"✗ {self.count('fail')}"
        return MARKS[worst]


def fleet_rows(
    deployments: Iterable[AnyDeployment],
    state_of: Callable[[AnyDeployment], DeploymentState],
    diagnosed: dict[str, Diagnosed] | None = None,
) -> list[FleetRow]:
    """Rows with their states (and the verdicts known so far, by `namespace/name`), worst
    first."""
    known = diagnosed or {}
    rows = [FleetRow(d, state_of(d), known.get(f"{d.namespace}/{d.name}")) for d in deployments]
    return in_order(rows)


def in_order(rows: Iterable[FleetRow]) -> list[FleetRow]:
    """Failing first, then not judged, not yet diagnosed, warned, stopped, passed; by project
    and name within."""
    return sorted(rows, key=lambda r: (RANK[r.verdict], r.deployment.namespace, r.deployment.name))


def with_verdicts(rows: Iterable[FleetRow], diagnosed: dict[str, Diagnosed]) -> list[FleetRow]:
    """The rows again with the verdicts known now."""
    return in_order(
        replace(r, diagnosed=diagnosed.get(f"{r.deployment.namespace}/{r.deployment.name}"))
        for r in rows
    )


def mark_of(rows: Iterable[FleetRow]) -> ProjectMark:
    counts: dict[str, int] = {}
    for row in rows:
        counts[row.verdict] = counts.get(row.verdict, 0) + 1
    return ProjectMark(tuple(sorted(counts.items())))


def project_marks(rows: Iterable[FleetRow]) -> dict[str, ProjectMark]:
    by_project: dict[str, list[FleetRow]] = {}
    for r in rows:
        by_project.setdefault(r.deployment.namespace, []).append(r)
    return {name: mark_of(own) for name, own in by_project.items()}
