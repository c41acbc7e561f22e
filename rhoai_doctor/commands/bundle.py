"""`rhoai-doctor bundle`: capture what the diagnosis and the console read into one file someone
without access can open with `--from` (read-only against the cluster; secrets redacted)."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from checks.errors import DoctorError, ErrorKind, ExitCode
from checks.text import one_line
from rhoai_doctor.flags import add_connection_flags, open_session

EXAMPLES = """examples:
  rhoai-doctor bundle -n iris-project iris-model
  rhoai-doctor bundle -n iris-project --all -o iris.tar.gz
  rhoai-doctor bundle -A
  rhoai-doctor --from rhoai-doctor-mycluster-20260101-120000.tar.gz
  rhoai-doctor check --from iris.tar.gz iris-model
"""


def add_parser(sub: argparse._SubParsersAction) -> None:
    bundle = sub.add_parser(
        "bundle",
        help="capture a deployment (or every one) for someone who cannot reach the cluster",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    bundle.add_argument("deployment", nargs="?", help="the deployment to capture")
    bundle.add_argument("--all", action="store_true", help="every deployment in the project(s)")
    bundle.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="where to write it (default: ./rhoai-doctor-<context>-<date>.tar.gz)",
    )
    add_connection_flags(bundle, api_token_flag="--api-token")
    bundle.set_defaults(run=run)


def progress(line: str) -> None:
    """A step on stderr: it names the context, the user and projects, which others chose."""
    print(one_line(line), file=sys.stderr, flush=True)


async def _run(args: argparse.Namespace) -> int:
    from checks.capture.bundle_write import BundleWriter, Scope
    from rhoai_doctor import __version__

    all_ns = args.all_namespaces
    scope = Scope(
        namespace=args.namespace,
        deployment=None if (args.all or all_ns) else args.deployment,
        all_namespaces=all_ns,
    )
    async with open_session(args) as session:
        if session.offline:
            raise DoctorError(ErrorKind.USAGE, "bundle captures a live cluster: drop --from")
        out = Path(args.output) if args.output else None
        written = await BundleWriter(session, progress, __version__).write(scope, out)
    print(
        f"{written.path}: {written.deployments} deployments, {written.size / 1024:,.0f} KiB, "
        f"{written.seconds:.1f} s; secret values redacted. Open it with "
        f"`rhoai-doctor --from {written.path}`"
    )
    return ExitCode.OK


def run(args: argparse.Namespace) -> int:
    if not (args.all or args.all_namespaces or args.deployment):
        raise DoctorError(ErrorKind.USAGE, "name one DEPLOYMENT (with -n), or use --all or -A")
    if args.deployment and (args.all or args.all_namespaces):
        raise DoctorError(ErrorKind.USAGE, "name one DEPLOYMENT, or use --all / -A, not both")
    return asyncio.run(_run(args))
