"""`rhoai-doctor inspect MODEL`: an ONNX model's signature, from a file or from S3 through a data
connection (ranged reads: a 1 GiB model costs well under a megabyte); an S3 folder lists its
objects and inspects the model among them."""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import TYPE_CHECKING

from checks.errors import DoctorError, ExitCode
from rhoai_doctor import exit_codes
from rhoai_doctor.flags import add_connection_flags, open_session

if TYPE_CHECKING:  # the model reader loads when a model is inspected, not to parse the flags
    from checks.model_files.inspection import S3Inspection

EXAMPLES = """examples:
  rhoai-doctor inspect ./model.onnx
  rhoai-doctor inspect s3://models/iris/1/model.onnx -n iris-project --connection aws-connection-models
  rhoai-doctor inspect s3://iris-project-models/iris/ -n iris-project    # a folder: its files, its model
"""


def add_parser(sub: argparse._SubParsersAction) -> None:
    inspect = sub.add_parser(
        "inspect",
        help="print an ONNX model's signature (file, s3:// object or s3:// folder)",
        epilog=f"{EXAMPLES}\n{exit_codes.SHORT}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    inspect.add_argument("model", help="a local path, s3://bucket/key or s3://bucket/folder/")
    inspect.add_argument(
        "--connection",
        help="data connection to read s3:// with (default: the project's only one)",
    )
    inspect.add_argument("-o", "--output", choices=["table", "json"], default="table")
    add_connection_flags(inspect)
    inspect.set_defaults(run=run)


async def _from_s3(args: argparse.Namespace) -> S3Inspection:
    from checks.model_files.inspection import pick_connection, s3_inspector
    from checks.storage.s3 import warm_up

    warm_up()  # boto3 loads while the session connects and lists the secrets
    async with open_session(args) as session:
        namespace = session.namespace
        snapshot = await session.snapshot(namespace, ("secrets",))
        snapshot.raise_if_unreachable()
        if (error := snapshot.errors.get("secrets")) is not None:
            raise DoctorError(error.kind, snapshot.error_line("secrets") or str(error))
        connection = pick_connection(snapshot.connections, args.connection, namespace)
        read = s3_inspector(
            args.model,
            connection,
            tuple(session.routes.rules),
            session.options.http_timeout,
            session.options.s3_ca,
        )
        return await asyncio.to_thread(read)


def run(args: argparse.Namespace) -> int:
    from checks.model_files.inspection import (
        inspection_json,
        inspection_table,
        read_model_signature,
        signature_table,
        split_s3_prefix,
    )
    from checks.model_files.onnx import OnnxSignatureError
    from checks.resources.tables import as_json

    s3 = args.model.startswith("s3://")
    if s3:
        split_s3_prefix(args.model)
    elif args.connection:
        print("note: --connection is only used for s3:// models", file=sys.stderr)
    try:
        if not s3:
            signature = read_model_signature(args.model)
            print(as_json(signature) if args.output == "json" else signature_table(signature))
            return ExitCode.OK
        found = asyncio.run(_from_s3(args))
    except OnnxSignatureError as error:  # a finding about the file, not a failure to judge it
        print(f"error: {args.model}: {error}", file=sys.stderr)
        return ExitCode.FAILED
    except OSError as error:
        raise DoctorError(
            "local", f"cannot read {args.model}: {error.strerror or error}"
        ) from error
    print(as_json(inspection_json(found)) if args.output == "json" else inspection_table(found))
    return ExitCode.OK if found.loadable else ExitCode.FAILED
