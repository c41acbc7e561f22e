"""`check DEPLOYMENT --watch`: the report, then a timeline line per change to the deployment's
objects and per verdict that changed, re-diagnosing until it passes or `--timeout`."""

from __future__ import annotations

import argparse
import asyncio
import re

from checks.errors import DoctorError, ErrorKind, ExitCode

DEFAULT_TIMEOUT = "10m"


def duration(text: str) -> float:
    """`--timeout`: 90, 90s, 10m or 1h; above zero."""
    found = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smh]?)\s*", text)
    if not found or float(found.group(1)) <= 0:
        raise argparse.ArgumentTypeError(f"{text!r}: give a duration such as 90s, 10m or 1h")
    return float(found.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600}[found.group(2)]


def add_flags(check: argparse.ArgumentParser) -> None:
    check.add_argument(
        "--watch",
        action="store_true",
        help="re-diagnose when the deployment's objects change, until it passes or --timeout; "
        "prints each change as a timeline line; exit 0 once healthy",
    )
    check.add_argument(
        "--timeout",
        type=duration,
        default=duration(DEFAULT_TIMEOUT),
        metavar="DURATION",
        help=f"with --watch: how long to wait for it to pass (default {DEFAULT_TIMEOUT})",
    )


def run_watch(args: argparse.Namespace, colour: bool) -> int:
    if args.all or args.output != "table":
        raise DoctorError(ErrorKind.USAGE, "--watch follows one DEPLOYMENT, as a table")
    from checks.engine.report import render_table
    from checks.engine.runner import exit_code_for
    from checks.watching import healthy, watch_until_healthy
    from rhoai_doctor.flags import open_session, read_request_file

    fail_on_warn = args.fail_on == "warn"

    async def go() -> int:
        request = read_request_file(args.request) if args.request else None
        async with open_session(args, request=request) as session:
            if session.offline:
                raise DoctorError(ErrorKind.USAGE, "--watch needs a live cluster, not a capture")
            report = await watch_until_healthy(
                session,
                session.namespace,
                args.deployment,
                timeout_s=args.timeout,
                on_report=lambda r: print(render_table(r, colour=colour).rstrip("\n"), flush=True),
                on_moment=lambda m: print(m.line(), flush=True),
                fail_on_warn=fail_on_warn,
            )
        if healthy(report, fail_on_warn):
            return ExitCode.OK
        return exit_code_for([report], fail_on_warn=fail_on_warn) or ExitCode.FAILED

    return asyncio.run(go())
