"""`rhoai-doctor check DEPLOYMENT` and `check --all`: the diagnosis, headless."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from typing import TYPE_CHECKING

from checks.errors import DoctorError, ErrorKind, ExitCode
from rhoai_doctor import exit_codes
from rhoai_doctor.flags import (
    add_connection_flags,
    add_model_token_flags,
    open_session,
    read_request_file,
)

if TYPE_CHECKING:  # the engine and the catalog load when a check runs, not to parse its flags
    from checks.engine import Report
    from checks.session import Session

EXAMPLES = """examples:
  rhoai-doctor check -n iris-project iris-model
  rhoai-doctor check -n iris-project --all -o junit > report.xml
  rhoai-doctor check -A --all -o json
  rhoai-doctor check -n iris-project iris-model --request body.json
  rhoai-doctor check -n iris-project iris-model -o markdown    # paste into a ticket
"""


def add_parser(sub: argparse._SubParsersAction) -> None:
    check = sub.add_parser(
        "check",
        help="diagnose a deployment: verdict, evidence, fix",
        epilog=f"{EXAMPLES}\n{exit_codes.SHORT}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    check.add_argument("deployment", nargs="?", help="the InferenceService name")
    check.add_argument("--all", action="store_true", help="every deployment in the project(s)")
    add_model_token_flags(check)
    check.add_argument("--request", metavar="FILE.json", help="a v2 request to validate")
    check.add_argument(
        "--fail-on",
        choices=["fail", "warn"],
        default="fail",
        help="exit 1 on a failed check (default), or on a warning too",
    )
    check.add_argument(
        "-o", "--output", choices=["table", "json", "markdown", "junit"], default="table"
    )
    add_connection_flags(check, api_token_flag="--api-token")
    check.set_defaults(run=run)


def _emit(reports: list[Report], output: str) -> None:
    from checks.report import RENDERERS

    if output == "json" and len(reports) != 1:
        docs = [json.loads(RENDERERS["json"](report)) for report in reports]
        print(json.dumps({"reports": docs}, indent=2, ensure_ascii=False))
        return
    for index, report in enumerate(reports):
        if index and output in ("table", "markdown"):
            print()
        print(RENDERERS[output](report).rstrip("\n"))
    if output == "table" and len(reports) > 1:
        print()
        print(summary_table(reports))


def summary_table(reports: list[Report]) -> str:
    """`check --all` ends with one line per deployment: what a person reads first."""
    from checks.tables import table

    rows = []
    for report in reports:
        target, roots = report.target, report.root_causes
        cause = f"{roots[0].id}: {roots[0].summary}" if roots else "-"
        where = f"{target['namespace']}/{target['name']}"
        cause = cause if len(cause) <= 100 else cause[:99] + "…"
        rows.append((where, str(report.verdict), target.get("state", ""), cause))
    return table(("DEPLOYMENT", "VERDICT", "STATE", "ROOT CAUSE"), rows)


async def _diagnose(session: Session, args: argparse.Namespace) -> list[Report]:
    if not args.all:
        return [await session.diagnose(session.namespace, args.deployment)]
    namespaces = [session.namespace]
    if session.options.connection.all_namespaces:
        namespaces = [p.name for p in await session.projects()]
    reports = []
    for namespace in namespaces:
        snapshot = await session.snapshot(namespace)
        snapshot.raise_if_unreachable()
        for dep in snapshot.all_deployments:
            reports.append(await session.diagnose(namespace, dep.name, snapshot=snapshot))
    return reports


async def _run(args: argparse.Namespace) -> list[Report]:
    request = read_request_file(args.request) if args.request else None
    async with open_session(args, request=request) as session:
        return await _diagnose(session, args)


def run(args: argparse.Namespace) -> int:
    if bool(args.all) == bool(args.deployment):
        raise DoctorError(ErrorKind.USAGE, "name one DEPLOYMENT, or use --all")
    from checks.engine import exit_code_for

    reports = asyncio.run(_run(args))
    if not reports:
        print("No deployments found.", file=sys.stderr)
        return ExitCode.OK
    _emit(reports, args.output)
    return exit_code_for(reports, fail_on_warn=args.fail_on == "warn")
