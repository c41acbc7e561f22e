"""An ONNX model's signature, from a local file or from S3 through a data connection (ranged
reads: a 1 GiB model costs well under a megabyte), and its table for people."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from checks.errors import DoctorError, ErrorKind
from checks.resources.tables import table
from checks.storage.s3 import ObjectInfo
from checks.text import one_line


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
    about = [f"domain {signature.domain}"] if signature.domain else []
    if signature.model_version:
        about.append(f"model_version {signature.model_version}")
    if about:
        lines.append("model: " + ", ".join(about))
    if signature.doc_string:
        lines.append("doc_string: " + one_line(signature.doc_string))
    for key, value in signature.metadata_props:
        lines.append(f"metadata_props: {one_line(key)} = {one_line(value)}")
    if signature.external_data:
        files = sorted({r.location for r in signature.external_data})
        lines.append(
            f"external data: {len(signature.external_data)} weight(s) in {', '.join(files[:4])}"
        )
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
    from checks.model_files.onnx import read_signature

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
    from checks.model_files.onnx import read_signature_from_range_reader
    from checks.storage.s3 import S3Target, Storage

    bucket, key = split_s3(uri)
    target = S3Target.from_connection(connection, bucket=bucket, ca_bundle=ca_bundle)
    storage = Storage(replace(target, overrides=rules, timeout=timeout))

    def read() -> Any:
        size = storage.size(key)
        return read_signature_from_range_reader(size, lambda a, b: storage.read_range(key, a, b))

    return read


def pick_connection(connections: list[Any], name: str | None, namespace: str) -> Any:
    """The named data connection, or the project's only one when none is named (as the
    dashboard offers it); anything else is one line naming the ones there are."""
    names = ", ".join(c.name for c in connections) or "none"
    if name:
        found = next((c for c in connections if c.name == name), None)
        if found is None:
            raise DoctorError(
                ErrorKind.NOT_FOUND,
                f'data connection "{name}" not found in {namespace} (there: {names})',
            )
        return found
    if len(connections) == 1:
        return connections[0]
    if not connections:
        raise DoctorError(
            ErrorKind.NOT_FOUND, f"{namespace} has no data connection to read s3:// with"
        )
    raise DoctorError(
        ErrorKind.USAGE, f"{namespace} has several data connections: pass --connection ({names})"
    )


@dataclass(frozen=True)
class S3Inspection:
    """What `inspect s3://…` found: the object itself, or a prefix's objects and the model
    among them; `signature` is None when the prefix holds no single ONNX file (`why` says).
    A prefix is judged as KServe's storage initializer and OVMS take it (checks/storage/
    landing.py), so `inspect s3://b/iris` reads the file `check` on path `iris` reads."""

    uri: str
    connection: str
    objects: tuple[ObjectInfo, ...]  # empty when the URI named one object
    model: str  # the key whose signature was read ('' when none)
    signature: Any | None
    why: str = ""
    truncated: bool = False
    lands_as: tuple[tuple[str, str], ...] = ()  # (key, where it lands in /mnt/models)
    notes: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()  # what the runtime could not read (external data)

    @property
    def loadable(self) -> bool:
        return self.signature is not None and not self.problems

    @property
    def is_prefix(self) -> bool:
        return bool(self.objects)


def split_s3_prefix(uri: str) -> tuple[str, str]:
    """s3://bucket[/key-or-prefix]: a bucket alone is its whole content."""
    bucket, _, key = uri.removeprefix("s3://").partition("/")
    if not bucket:
        raise DoctorError(ErrorKind.USAGE, f"{uri!r} is not s3://bucket/key or s3://bucket/folder/")
    return bucket, key


def s3_inspector(
    uri: str,
    connection: Any,
    rules: tuple = (),
    timeout: float = 10.0,
    ca_bundle: str | None = None,
) -> Callable[[], S3Inspection]:
    """A blocking look at s3://bucket/key-or-prefix: one LIST says whether it is an object or a
    prefix; a prefix lands as KServe's initializer lands it, and the ONNX file OVMS would load
    is read with ranged GETs."""
    from checks.model_files.onnx import read_signature_from_range_reader
    from checks.storage.landing import Platform, land
    from checks.storage.s3 import S3Target, Storage, StorageError

    bucket, key = split_s3_prefix(uri)
    target = S3Target.from_connection(connection, bucket=bucket, ca_bundle=ca_bundle)
    storage = Storage(replace(target, overrides=rules, timeout=timeout))

    def signature_of(found: ObjectInfo) -> Any:
        return read_signature_from_range_reader(
            found.size, lambda a, b: storage.read_range(found.key, a, b)
        )

    def problems_of(key: str, signature: Any, objects: tuple[ObjectInfo, ...]) -> tuple[str, ...]:
        """External data files judged against the model's folder (listed when not yet)."""
        from checks.model_files.onnx import external_problems

        if not signature.external_data:
            return ()
        folder = key.rsplit("/", 1)[0] + "/" if "/" in key else ""
        if not any(o.key.startswith(folder) and o.key != key for o in objects):
            objects = storage.list(folder).objects
        return tuple(external_problems(signature, key, {o.key: o.size for o in objects}))

    def read() -> S3Inspection:
        try:
            listing = storage.list(key)
        except StorageError as error:
            if error.kind != "access-denied" or not key or key.endswith("/"):
                raise
            # Credentials that may read objects but not list them: the object itself, as before.
            found = ObjectInfo(key, storage.size(key))
            signature = signature_of(found)
            return S3Inspection(
                uri, connection.name, (), key, signature, problems=problems_of(key, signature, ())
            )
        landed = land([(o.key, o.size) for o in listing.objects], key, Platform())
        sizes = {o.key: o for o in listing.objects}
        if len(landed.landed) == 1 and landed.landed[0].key == key and key:
            signature = signature_of(sizes[key])
            return S3Inspection(
                uri, connection.name, (), key, signature, problems=problems_of(key, signature, ())
            )
        if not landed.landed:
            where, near = storage.nearest_prefixes(key if key.endswith("/") else f"{key}/")
            hint = f"; {where or 'the bucket'} holds: {', '.join(near)}" if near else ""
            raise StorageError("no-such-key", f"nothing at s3://{bucket}/{key}{hint}")
        objects = tuple(sizes[f.key] for f in landed.landed)
        lands_as = tuple((f.key, f.target) for f in landed.landed)
        notes = landed.notes + ((landed.problem,) if landed.problem else ())
        onnx = landed.onnx
        if onnx:
            signature = signature_of(sizes[onnx])
            return S3Inspection(
                uri,
                connection.name,
                objects,
                onnx,
                signature,
                "",
                listing.truncated,
                lands_as,
                notes,
                problems_of(onnx, signature, tuple(listing.objects)),
            )
        models = list(landed.model_files)
        several = [m for m in models if m.lower().endswith(".onnx")]
        why = (
            f"several ONNX files: name one ({', '.join(several)})"
            if len(several) > 1
            else f"no ONNX file here (model files: {', '.join(models) or 'none'})"
        )
        return S3Inspection(
            uri, connection.name, objects, "", None, why, listing.truncated, lands_as, notes
        )

    return read


def inspection_table(found: S3Inspection) -> str:
    """A folder's objects (size, which one is the model, where each lands), then the model's
    signature."""
    problems = [f"problem: {p}" for p in found.problems]
    if not found.is_prefix:
        return "\n".join([signature_table(found.signature), *problems])
    lands = dict(found.lands_as)
    rows = [
        (o.key, f"{o.size:,}", "yes" if o.key == found.model else "-", lands.get(o.key, ""))
        for o in found.objects
    ]
    count = len(found.objects)
    more = " (more not listed)" if found.truncated else ""
    lines = [
        f"{found.uri} through data connection {found.connection}: "
        f"{count} object{'' if count == 1 else 's'}{more}",
        table(("KEY", "BYTES", "INSPECTED", "LANDS AS (KServe)"), rows),
        *[f"note: {n}" for n in found.notes],
        "",
    ]
    if found.signature is None:
        return "\n".join([*lines, found.why])
    return "\n".join([*lines, f"model {found.model}:", signature_table(found.signature), *problems])


def inspection_json(found: S3Inspection) -> Any:
    """An object's signature as before; a folder adds its objects and which one was read."""
    if not found.is_prefix and not found.problems:
        return found.signature
    return {
        "uri": found.uri,
        "connection": found.connection,
        "objects": [{"key": o.key, "size": o.size} for o in found.objects],
        "truncated": found.truncated,
        "model": found.model or None,
        "lands_as": dict(found.lands_as),
        "notes": list(found.notes),
        "signature": found.signature,
        "problem": found.why or (found.problems[0] if found.problems else None),
        "problems": list(found.problems),
    }
