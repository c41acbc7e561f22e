"""`rhoai-doctor get KIND [NAME]`: the RHOAI serving objects as kubectl users expect to see them."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from checks import resources
from checks.cluster import kinds
from checks.errors import DoctorError, ErrorKind, ExitCode
from checks.resources.tables import table
from checks.text import visible
from rhoai_doctor import exit_codes
from rhoai_doctor.flags import add_connection_flags, open_session

if TYPE_CHECKING:
    from checks.cluster.snapshot import Snapshot
    from checks.resources.fleet import Diagnosed
    from checks.session import Session

EXAMPLES = """examples:
  rhoai-doctor get projects
  rhoai-doctor get deployments -A
  rhoai-doctor get deployments -A --diagnose   # + each one's verdict and root cause, as check's
  rhoai-doctor get isvc -n iris-project -o wide
  rhoai-doctor get connections -n iris-project -o yaml
  rhoai-doctor get isvc -n iris-project iris-model -o yaml    # the manifest, as kubectl prints it
  rhoai-doctor get events -A
"""


def add_parser(sub: argparse._SubParsersAction) -> None:
    get = sub.add_parser(
        "get",
        help="list projects, connections, servers, deployments, ...",
        epilog=f"{EXAMPLES}\n{exit_codes.SHORT}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    get.add_argument("kind", help="|".join(kinds.NAMES) + " (kubectl aliases work: isvc, po, ev)")
    get.add_argument("name", nargs="?")
    get.add_argument("-o", "--output", choices=["table", "wide", "json", "yaml"], default="table")
    get.add_argument(
        "--diagnose",
        action="store_true",
        help="deployments: add each one's VERDICT and ROOT CAUSE, from the same diagnosis as "
        "`check --all` (it probes routes, tokens and buckets, so it takes longer than the listing)",
    )
    add_connection_flags(get)
    get.set_defaults(run=run, late_positional="name", dials_only_the_api=True)


def _cell(value: Any) -> Any:
    return value.text if isinstance(value, resources.DeploymentState) else value


def manifests_text(manifests: list[dict[str, Any]], output: str, single: bool) -> str:
    """-o json|yaml: the manifests as the API server returned them, kubectl's shape (a named
    object bare, else a List), secret values masked (the YAML writer loads only here)."""
    from checks.engine.manifests import kubectl_shape, to_json, to_yaml

    doc = kubectl_shape(manifests, single)
    return to_json(doc) if output == "json" else to_yaml(doc)


def render(
    objects: Sequence[Any],
    view: kinds.KindView,
    snapshot: Snapshot,
    output: str,
    all_ns: bool,
    single: bool = False,
    verdicts: dict[str, Diagnosed] | None = None,
) -> str:
    if output in ("json", "yaml"):
        from checks.engine.manifests import manifest_for

        found = [manifest_for(snapshot, obj) for obj in objects]
        return manifests_text([m for m in found if m is not None], output, single)
    columns = view.columns + (view.wide if output == "wide" else ())
    headers = (("NAMESPACE",) if all_ns else ()) + tuple(c.header for c in columns)
    rows = [
        ((obj.namespace,) if all_ns else ()) + tuple(_cell(c.value(obj, snapshot)) for c in columns)
        for obj in objects
    ]
    if verdicts is not None:  # --diagnose: the console's `0` view words (checks.resources.fleet)
        from checks.resources.fleet import FleetRow

        headers += ("VERDICT", "ROOT CAUSE")
        judged = [
            FleetRow(obj, snapshot.state_of(obj), verdicts.get(f"{obj.namespace}/{obj.name}"))
            for obj in objects
        ]
        rows = [(*row, r.verdict, r.cause) for row, r in zip(rows, judged, strict=True)]
    return table(headers, rows)


async def diagnose(session: Session, objects: Sequence[Any]) -> dict[str, Diagnosed]:
    """The listed deployments' verdicts, by `namespace/name`: `check --all`'s sweep over their
    projects, so `get --diagnose` fails what `check --all` fails, in the same words."""
    from checks.sweep import DEPLOYMENTS_AT_ONCE, PROJECTS_AT_ONCE, SweepLimits, diagnosed, sweep
    from checks.sweep_helper import helpers_for

    verdicts: dict[str, Diagnosed] = {}

    def landed(report: Any) -> None:
        verdicts[f"{report.target['namespace']}/{report.target['name']}"] = diagnosed(report)

    namespaces = sorted({obj.namespace for obj in objects})
    limits = SweepLimits(projects=PROJECTS_AT_ONCE, deployments=DEPLOYMENTS_AT_ONCE)
    await sweep(
        session, namespaces, limits=limits, on_landed=landed, elsewhere=helpers_for(session)
    )
    return verdicts


def render_projects(projects: Sequence[resources.Project], output: str) -> str:
    headers: tuple[str, ...] = ("NAME", "DISPLAY NAME", "PLATFORM", "STATUS")
    rows: list[tuple] = [(p.name, p.display_name, p.platform or "-", p.phase) for p in projects]
    if output == "wide":
        headers += ("DASHBOARD", "REQUESTER")
        rows = [(*row, p.in_dashboard, p.requester) for row, p in zip(rows, projects, strict=True)]
    return table(headers, rows)


async def _projects(session: Session, name: str | None, output: str) -> int:
    if output in ("json", "yaml"):
        from checks.engine.manifests import project_manifests

        manifests = await project_manifests(session.kube)
        if name:
            manifests = [m for m in manifests if m["metadata"].get("name") == name]
            if not manifests:
                raise DoctorError(ErrorKind.NOT_FOUND, f'project "{name}" not found')
        print(manifests_text(manifests, output, single=bool(name)))
        return ExitCode.OK
    projects = await session.projects()
    if name:
        projects = [p for p in projects if p.name == name]
        if not projects:
            raise DoctorError(ErrorKind.NOT_FOUND, f'project "{name}" not found')
    print(render_projects(projects, output))
    return ExitCode.OK


async def _objects(
    session: Session, kind: str, name: str | None, output: str, judge: bool = False
) -> int:
    view = kinds.view(kind)
    if judge and (view is not kinds.DEPLOYMENTS or output not in ("table", "wide")):
        raise DoctorError(
            ErrorKind.USAGE,
            "--diagnose adds columns to `get deployments` tables; for the verdicts as JSON "
            "use `check --all -o json`",
        )
    namespace = None if session.options.connection.all_namespaces else session.namespace
    snapshot = await session.snapshot(namespace, view.api_kinds)
    snapshot.raise_if_unreachable()
    if (error := snapshot.errors.get(view.error_kind)) is not None:
        raise DoctorError(error.kind, snapshot.error_line(view.error_kind) or str(error))
    objects = view.objects(snapshot)
    for line in snapshot.unreadable.get(view.error_kind, []):
        print(f"warning: {visible(line)}", file=sys.stderr)
    if name:
        objects = [o for o in objects if getattr(o, "name", "") == name]
        if not objects:
            where = f" in {namespace}" if namespace else ""
            raise DoctorError(ErrorKind.NOT_FOUND, f'{kind} "{name}" not found{where}')
    if not objects and output in ("table", "wide"):
        where = f"in {namespace} namespace" if namespace else "in any namespace"
        print(f"No {kind} found {where}.", file=sys.stderr)
        return ExitCode.OK
    verdicts = await diagnose(session, objects) if judge else None
    print(render(objects, view, snapshot, output, namespace is None, bool(name), verdicts))
    return ExitCode.OK


async def _get(args: argparse.Namespace, kind: str) -> int:
    async with open_session(args) as session:
        if kind == "projects":
            return await _projects(session, args.name, args.output)
        return await _objects(session, kind, args.name, args.output, args.diagnose)


def run(args: argparse.Namespace) -> int:
    kind = kinds.normalise(args.kind)
    if kind not in kinds.NAMES:
        raise DoctorError(
            ErrorKind.USAGE, f"unknown kind {args.kind!r}; one of: {', '.join(kinds.NAMES)}"
        )
    return asyncio.run(_get(args, kind))
