"""`rhoai-doctor inspect MODEL`: an ONNX model's signature, from a file or from S3 through a data
connection (ranged reads: a 1 GiB model costs well under a megabyte)."""

from __future__ import annotations

import argparse
import asyncio
import sys
from dataclasses import replace
from typing import Any

from checks.addressing import overrides
from checks.errors import DoctorError
from checks.tables import as_json, table


def signature_table(signature: Any) -> str:
    def dims(spec: Any) -> str:
        if spec.dims is None:
            return "(unranked)"
        return "[" + ",".join("?" if d is None else str(d) for d in spec.dims) + "]"

    rows = [("input", s.name, s.datatype, dims(s)) for s in signature.inputs]
    rows += [("output", s.name, s.datatype, dims(s)) for s in signature.outputs]
    opsets = ", ".join(
        f"{domain} {version}" for domain, version in sorted(signature.opset_imports.items())
    )
    lines = [
        table(("", "NAME", "DATATYPE", "SHAPE"), rows),
        "",
        f"IR version {signature.ir_version}; opsets: {opsets}",
        f"producer: {signature.producer_name} {signature.producer_version}".rstrip(),
        f"operator domains: {', '.join(sorted(signature.operator_domains)) or '-'}",
        f"read {signature.bytes_read:,} bytes",
    ]
    if signature.uses_ai_onnx_ml:
        lines.append("note: uses ai.onnx.ml operators, which OpenVINO Model Server cannot run")
    return "\n".join(lines)


def _split_s3(uri: str) -> tuple[str, str]:
    rest = uri.removeprefix("s3://")
    bucket, _, key = rest.partition("/")
    if not bucket or not key:
        raise DoctorError("usage", f"{uri!r} is not s3://bucket/key")
    return bucket, key


async def _connection(options: Any, name: str) -> Any:
    from checks import connect
    from checks.kube import KubeClient
    from checks.snapshot import load_snapshot

    cluster = connect.resolve(options)
    async with KubeClient(cluster) as kube:
        snapshot = await load_snapshot(kube, cluster.namespace, ("secrets",))
    snapshot.raise_if_unreachable()
    if (error := snapshot.error_line("secrets")) is not None:
        raise DoctorError("forbidden", error)
    found = next((c for c in snapshot.connections if c.name == name), None)
    if found is None:
        names = ", ".join(c.name for c in snapshot.connections) or "none"
        raise DoctorError(
            "not-found",
            f'data connection "{name}" not found in {cluster.namespace} (there: {names})',
        )
    return found


def read_model_signature(model: str, connection: Any = None, rules: tuple = ()) -> Any:
    from checks.onnx_signature import read_signature, read_signature_from_range_reader

    if not model.startswith("s3://"):
        return read_signature(model)
    from checks.storage import S3Target, Storage

    bucket, key = _split_s3(model)
    target = S3Target.from_connection(connection, bucket=bucket)
    storage = Storage(replace(target, overrides=rules))
    size = storage.size(key)
    return read_signature_from_range_reader(size, lambda a, b: storage.read_range(key, a, b))


def inspect(args: argparse.Namespace, options: Any) -> int:
    from checks.onnx_signature import OnnxSignatureError

    connection = None
    if args.model.startswith("s3://"):
        if not args.connection:
            print(
                "error: s3:// models need --connection NAME (a data connection in -n PROJECT)",
                file=sys.stderr,
            )
            return 2
        connection = asyncio.run(_connection(options, args.connection))
    elif args.connection:
        print("note: --connection is only used for s3:// models", file=sys.stderr)
    try:
        rules = tuple(overrides(options.resolve, options.connect_to))
        signature = read_model_signature(args.model, connection, rules)
    except OnnxSignatureError as error:
        print(f"error: {args.model}: {error}", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"error: cannot read {args.model}: {error.strerror or error}", file=sys.stderr)
        return 1
    print(as_json(signature) if args.output == "json" else signature_table(signature))
    return 0
