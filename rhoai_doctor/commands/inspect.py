"""`rhoai-doctor inspect MODEL`: an ONNX model's signature, from a file or from S3 through a data
connection (ranged reads: a 1 GiB model costs well under a megabyte)."""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import Any

from checks.errors import DoctorError, ErrorKind, ExitCode
from checks.inspection import read_model_signature, signature_table, split_s3
from checks.tables import as_json
from rhoai_doctor.flags import add_connection_flags, open_session

EXAMPLES = """examples:
  rhoai-doctor inspect ./model.onnx
  rhoai-doctor inspect s3://models/iris/1/model.onnx -n iris-project --connection aws-connection-models
"""


def add_parser(sub: argparse._SubParsersAction) -> None:
    inspect = sub.add_parser(
        "inspect",
        help="print an ONNX model's signature (file or s3://)",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    inspect.add_argument("model", help="a local path or s3://bucket/key")
    inspect.add_argument("--connection", help="data connection to read s3:// with")
    inspect.add_argument("-o", "--output", choices=["table", "json"], default="table")
    add_connection_flags(inspect)
    inspect.set_defaults(run=run)


async def _connection(args: argparse.Namespace) -> tuple[Any, tuple]:
    """The named data connection, and the --resolve/--connect-to rules to reach S3 with."""
    async with open_session(args) as session:
        snapshot = await session.snapshot(session.namespace, ("secrets",))
        snapshot.raise_if_unreachable()
        if (error := snapshot.errors.get("secrets")) is not None:
            raise DoctorError(error.kind, snapshot.error_line("secrets") or str(error))
        found = next((c for c in snapshot.connections if c.name == args.connection), None)
        if found is None:
            names = ", ".join(c.name for c in snapshot.connections) or "none"
            raise DoctorError(
                ErrorKind.NOT_FOUND,
                f'data connection "{args.connection}" not found in {session.namespace} '
                f"(there: {names})",
            )
        return found, tuple(session.routes.rules)


def run(args: argparse.Namespace) -> int:
    connection, rules = None, ()
    if args.model.startswith("s3://"):
        split_s3(args.model)
        if not args.connection:
            raise DoctorError(
                ErrorKind.USAGE,
                "s3:// models need --connection NAME (a data connection in -n PROJECT)",
            )
        connection, rules = asyncio.run(_connection(args))
    elif args.connection:
        print("note: --connection is only used for s3:// models", file=sys.stderr)
    from checks.onnx import OnnxSignatureError

    try:
        signature = read_model_signature(args.model, connection, rules)
    except OnnxSignatureError as error:  # a finding about the file, not a failure to judge it
        print(f"error: {args.model}: {error}", file=sys.stderr)
        return ExitCode.FAILED
    except OSError as error:
        raise DoctorError(
            ErrorKind.LOCAL, f"cannot read {args.model}: {error.strerror or error}"
        ) from error
    print(as_json(signature) if args.output == "json" else signature_table(signature))
    return ExitCode.OK
