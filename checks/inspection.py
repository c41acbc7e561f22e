"""An ONNX model's signature, from a local file or from S3 through a data connection (ranged
reads: a 1 GiB model costs well under a megabyte), and its table for people."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from checks.errors import DoctorError, ErrorKind
from checks.tables import table


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


def split_s3(uri: str) -> tuple[str, str]:
    rest = uri.removeprefix("s3://")
    bucket, _, key = rest.partition("/")
    if not bucket or not key:
        raise DoctorError(ErrorKind.USAGE, f"{uri!r} is not s3://bucket/key")
    return bucket, key


def read_model_signature(path: str) -> Any:
    """A local file's signature."""
    from checks.onnx import read_signature

    return read_signature(path)


def s3_reader(
    uri: str,
    connection: Any,
    rules: tuple = (),
    timeout: float = 10.0,
    ca_bundle: str | None = None,
) -> Callable[[], Any]:
    """A blocking read of the signature at s3://bucket/key through a data connection: one HEAD
    and a few ranged GETs, each within `timeout` (the --request-timeout)."""
    from checks.onnx import read_signature_from_range_reader
    from checks.storage import S3Target, Storage

    bucket, key = split_s3(uri)
    target = S3Target.from_connection(connection, bucket=bucket, ca_bundle=ca_bundle)
    storage = Storage(replace(target, overrides=rules, timeout=timeout))

    def read() -> Any:
        size = storage.size(key)
        return read_signature_from_range_reader(size, lambda a, b: storage.read_range(key, a, b))

    return read
