"""Objects too big to hold in memory, kept sparse: a model over protobuf's 2 GiB limit costs the
lab a few kilobytes of disk and no RAM. And big objects held as one immutable value, which moto
reads without a copy (held()).

moto keeps each object's bytes in a spooled temporary file; this puts one whose file is sparse
(its head and tail written, zeros between) straight into the running moto's S3 backend, so
LIST and HEAD report the real size. A GET of the whole object would read it all: the lab's own
runtime never reads such an object (lab/runtime.py), and rhoai-doctor refuses it by its size.
"""

from __future__ import annotations

import io
import tempfile

ACCOUNT = "123456789012"  # moto's default account: the lab's IAM user lives there


def put_sparse(bucket: str, key: str, size: int, head: bytes, tail: bytes = b"") -> None:
    """Put `size` bytes at s3://bucket/key: `head` at the start, `tail` at the end."""
    from moto.s3.models import s3_backends

    backend = s3_backends[ACCOUNT]["aws"]
    stored = backend.put_object(bucket, key, b"")
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - owned by the object from here on
    spool.truncate(size)
    spool.seek(0)
    spool.write(head)
    if tail:
        spool.seek(size - len(tail))
        spool.write(tail)
    stored._value_buffer = spool
    stored.contentsize = size
    stored._etag = f"sparse-{size:x}"


def put_many(bucket: str, items: list[tuple[str, bytes]]) -> None:
    """Many small objects straight into moto's backend: 1,201 PUTs over HTTP cost the lab's
    start ~15 s, this a few milliseconds; LIST and GET see them as any other object."""
    from moto.s3.models import s3_backends

    backend = s3_backends[ACCOUNT]["aws"]
    for key, body in items:
        backend.put_object(bucket, key, body)


HELD_FROM = 1024 * 1024  # bytes: an object this big is held (moto's GET reads it whole)


def held(bucket: str, key: str, body: bytes) -> None:
    """The object just put at s3://bucket/key (through the S3 API, as any upload) kept as
    `body` itself from now on; LIST, HEAD and GET answer as before. moto answers a ranged GET
    by reading the whole object from its spooled file and slicing it: 36 ranged GETs of the
    40 MB many-weights model copied 1.4 GB, ~1 s of the lab's CPU per diagnosis of it. A
    BytesIO made from the bytes hands a whole read from the start back without a copy."""
    from moto.s3.models import s3_backends

    stored = s3_backends[ACCOUNT]["aws"].get_object(bucket, key)
    if stored is None or stored.size != len(body):
        return  # not what was put: leave moto's own copy
    spool, stored._value_buffer = stored._value_buffer, io.BytesIO(body)
    spool.close()
