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


async def _signature(args: argparse.Namespace) -> Any:
    async with open_session(args) as session:
        return await session.read_signature(args.model, args.connection)


def run(args: argparse.Namespace) -> int:
    from checks.onnx import OnnxSignatureError

    if args.model.startswith("s3://"):
        split_s3(args.model)
        if not args.connection:
            raise DoctorError(
                ErrorKind.USAGE,
                "s3:// models need --connection NAME (a data connection in -n PROJECT)",
            )
    elif args.connection:
        print("note: --connection is only used for s3:// models", file=sys.stderr)
    try:
        if args.model.startswith("s3://"):
            signature = asyncio.run(_signature(args))
        else:
            signature = read_model_signature(args.model)
    except OnnxSignatureError as error:  # a finding about the file, not a failure to judge it
        print(f"error: {args.model}: {error}", file=sys.stderr)
        return ExitCode.FAILED
    except OSError as error:
        raise DoctorError(
            ErrorKind.LOCAL, f"cannot read {args.model}: {error.strerror or error}"
        ) from error
    print(as_json(signature) if args.output == "json" else signature_table(signature))
    return ExitCode.OK
