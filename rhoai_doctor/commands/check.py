"""`rhoai-doctor check DEPLOYMENT` and `check --all`: the diagnosis, headless."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from typing import TYPE_CHECKING

from checks.errors import DoctorError, ErrorKind, ExitCode
from checks.resources.tables import table
from checks.sweep import (
    DEPLOYMENTS_AT_ONCE,
    PROJECTS_AT_ONCE,
    SweepLimits,
    Swept,
    diagnosed,
    sweep,
)
from rhoai_doctor import exit_codes
from rhoai_doctor.commands.check_watch import add_flags as add_watch_flags
from rhoai_doctor.flags import (
    add_connection_flags,
    add_model_token_flags,
    open_session,
    read_request_file,
)
from rhoai_doctor.progress import ProgressLine

if TYPE_CHECKING:  # the engine and the catalog load when a check runs, not to parse its flags
    from checks.engine.runner import Report
    from checks.session import Session

EXAMPLES = """examples:
  rhoai-doctor check -n iris-project iris-model
  rhoai-doctor check -n iris-project --all -o junit > report.xml
  rhoai-doctor check -A --all -o json
  rhoai-doctor check -n iris-project iris-model --request body.json
  rhoai-doctor check -n iris-project iris-model -o markdown    # paste into a ticket
  rhoai-doctor check -n iris-project iris-model --watch --timeout 5m   # until it passes
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
        "--sweep-concurrency",
        type=int,
        metavar="N",
        help=f"with --all: deployments diagnosed at once (default {DEPLOYMENTS_AT_ONCE}; "
        "1: one after another)",
    )
    check.add_argument(
        "--sweep-processes",
        type=processes,
        metavar="N",
        help="with --all: processes sharing the projects, each on a core of its own (default: "
        "one per core, up to 4, from 64 projects; 1: this process alone)",
    )
    check.add_argument(
        "--fail-on",
        choices=["fail", "warn"],
        default="fail",
        help="exit 1 on a failed check (default), or on a warning too",
    )
    check.add_argument(
        "-o", "--output", choices=["table", "json", "markdown", "junit"], default="table"
    )
    add_watch_flags(check)
    add_connection_flags(check, api_token_flag="--api-token")
    check.set_defaults(run=run)


class _Printer:
    """Prints each report as the sweep hands it on (json and junit: one document for all, at
    the end); the same text in the same order as printing them all at the end."""

    def __init__(
        self, output: str, progress: ProgressLine | None = None, *, swept: bool = False
    ) -> None:
        self.output, self.progress, self.swept = output, progress, swept
        self.colour = output == "table" and colour_wanted()
        self.reports: list[Report] = []
        self.unreadable: list[str] = []  # deployment LISTs or objects that could not be read

    def add(self, swept: Swept) -> None:
        from checks.engine.report import RENDERERS, render_table

        report = swept.report
        if self.progress is not None:
            self.progress.clear()
        if self.output not in ("json", "junit"):
            if self.reports and self.output in ("table", "markdown"):
                print()
            text = (
                render_table(report, colour=self.colour)
                if self.output == "table"
                else RENDERERS[self.output](report)
            )
            print(text.rstrip("\n"), flush=True)
        self.reports.append(report)
        if self.progress is not None:
            self.progress.show(swept)

    def close(self) -> None:
        from checks.engine.report import RENDERERS, report_document

        if self.progress is not None:
            self.progress.clear()
        reports, output = self.reports, self.output
        if output == "json" and reports:
            if len(reports) == 1 and not self.swept:
                print(RENDERERS["json"](reports[0]).rstrip("\n"))
            elif len(reports) == 1:  # one deployment swept: its document, with the counts
                doc = report_document(reports[0])
                doc["counts"] = verdict_counts(reports)
                print(json.dumps(doc, indent=2, ensure_ascii=False))
            else:
                docs = [report_document(report) for report in reports]
                body = {"reports": docs, "counts": verdict_counts(reports)}
                print(json.dumps(body, indent=2, ensure_ascii=False))
        if output == "junit" and reports:
            from checks.engine.report import render_junit_all

            print(render_junit_all(reports).rstrip("\n"))
        if output == "table" and len(reports) > 1:
            print()
            print(summary_table(reports))
        if output == "table" and self.swept and reports:
            print()
            print(count_line(reports))


def colour_wanted() -> bool:
    """Colour on a terminal only, and never with NO_COLOR set and non-empty (no-color.org)."""
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


COUNTED = ("fail", "error", "warn", "pass")  # worst first, as the verdict ranks them


def verdict_counts(reports: list[Report]) -> dict[str, int]:
    """How many deployments got each verdict, and how many in all (json's "counts")."""
    verdicts = [str(report.verdict) for report in reports]
    return {"deployments": len(reports), **{word: verdicts.count(word) for word in COUNTED}}


def count_line(reports: list[Report]) -> str:
    """`check --all`'s last line: "26 deployments: 3 fail, 5 warn, 18 pass"."""
    counts = verdict_counts(reports)
    total = counts.pop("deployments")
    noun = "deployment" if total == 1 else "deployments"
    return f"{total} {noun}: " + ", ".join(f"{n} {word}" for word, n in counts.items() if n)


def _emit(reports: list[Report], output: str) -> None:
    printer = _Printer(output)
    for index, report in enumerate(reports, 1):
        printer.add(Swept(index, len(reports), report))
    printer.close()


def summary_table(reports: list[Report]) -> str:
    """`check --all` ends with one line per deployment: what a person reads first."""

    rows = []
    for report in reports:
        target = report.target
        cause = diagnosed(report).cause or "-"  # the console's 0 view words it the same
        where = f"{target['namespace']}/{target['name']}"
        cause = cause if len(cause) <= 100 else cause[:99] + "…"
        rows.append((where, str(report.verdict), target.get("state", ""), cause))
    return table(("DEPLOYMENT", "VERDICT", "STATE", "ROOT CAUSE"), rows)


def processes(text: str) -> int:
    """--sweep-processes: a whole number of processes, 1 or more."""
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: give a number of processes, 1 or more")
    return int(text)


async def _diagnose(
    session: Session, args: argparse.Namespace, printer: _Printer | None = None
) -> list[Report]:
    if not args.all:
        return [await session.diagnose(session.namespace, args.deployment)]
    namespaces = [session.namespace]
    if session.options.connection.all_namespaces:
        namespaces = [p.name for p in await session.projects()]
    from checks.sweep_helper import helpers_for  # a sweep's: `check NAME` goes without

    progress = printer is not None and printer.progress is not None and printer.progress.enabled
    width = max(1, getattr(args, "sweep_concurrency", None) or DEPLOYMENTS_AT_ONCE)
    limits = SweepLimits(projects=min(PROJECTS_AT_ONCE, width), deployments=width)
    return await sweep(
        session,
        namespaces,
        limits=limits,
        count=progress,
        on_report=printer.add if printer is not None else None,
        unreadable=printer.unreadable if printer is not None else None,
        elsewhere=helpers_for(session, getattr(args, "sweep_processes", None)),
    )


async def _run(args: argparse.Namespace, printer: _Printer | None = None) -> list[Report]:
    request = read_request_file(args.request) if args.request else None
    async with open_session(args, request=request) as session:
        return await _diagnose(session, args, printer)


def run(args: argparse.Namespace) -> int:
    if bool(args.all) == bool(args.deployment):
        raise DoctorError(ErrorKind.USAGE, "name one DEPLOYMENT, or use --all")
    from checks.engine.runner import exit_code_for

    if args.watch:
        from rhoai_doctor.commands.check_watch import run_watch

        return run_watch(args, colour=args.output == "table" and colour_wanted())
    if not args.all:
        reports = asyncio.run(_run(args))
        _emit(reports, args.output)
        return exit_code_for(reports, fail_on_warn=args.fail_on == "warn")
    printer = _Printer(args.output, ProgressLine(), swept=True)
    try:
        reports = asyncio.run(_run(args, printer))
    finally:
        if printer.progress is not None:
            printer.progress.clear()
    if not reports and printer.unreadable:  # not "none found": some could not be read
        more = len(printer.unreadable) - 1
        line = printer.unreadable[0] + (f" (and {more} more)" if more else "")
        raise DoctorError(ErrorKind.BAD_RESPONSE, line, finding=False)
    if not reports:
        print("No deployments found.", file=sys.stderr)
        return ExitCode.OK
    printer.close()
    return exit_code_for(reports, fail_on_warn=args.fail_on == "warn")
