"""The seeding's buckets and objects put straight into the running moto's S3 backend, as an
admin's upload would have left them: LIST, HEAD and GET (signed, checked, over HTTP) see them as
any other object. Uploading them through the S3 API cost the lab's start ~1.5 s of its ~9.5 s of
CPU (moto's request handling and signature checks) for ~110 PUTs whose answers nothing reads.

moto keeps each object's bytes in a spooled temporary file. An object too big to hold in memory
(a model over protobuf's 2 GiB limit) gets a sparse one, its head and tail written and zeros
between: a few kilobytes of disk and no RAM, and LIST and HEAD report the real size. A GET of
the whole object would read it all: the lab's own runtime never reads such an object
(lab/runtime.py), and rhoai-doctor refuses it by its size. A big object is held as one
immutable value instead, which moto reads without a copy (held()).
"""

from __future__ import annotations

import io
import tempfile

ACCOUNT = "123456789012"  # moto's default account: the lab's IAM user lives there
REGION = "us-east-1"


def _backend():
    from moto.s3.models import s3_backends

    return s3_backends[ACCOUNT]["aws"]


def create_bucket(bucket: str) -> None:
    """The bucket, unless it is there already (scenarios of one project share theirs; S3 answers
    a repeated CreateBucket in us-east-1 with 200 too)."""
    backend = _backend()
    if bucket not in backend.buckets:
        backend.create_bucket(bucket, REGION)


def put(bucket: str, key: str, body: bytes) -> None:
    """One object at s3://bucket/key; a big one held as `body` itself."""
    _backend().put_object(bucket, key, body)
    if len(body) >= HELD_FROM:
        held(bucket, key, body)


def put_sparse(bucket: str, key: str, size: int, head: bytes, tail: bytes = b"") -> None:
    """Put `size` bytes at s3://bucket/key: `head` at the start, `tail` at the end."""
    stored = _backend().put_object(bucket, key, b"")
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


HELD_FROM = 1024 * 1024  # bytes: an object this big is held (moto's GET reads it whole)


def held(bucket: str, key: str, body: bytes) -> None:
    """The object just put at s3://bucket/key kept as `body` itself from now on; LIST, HEAD and
    GET answer as before. moto answers a ranged GET by reading the whole object from its
    spooled file and slicing it: 36 ranged GETs of the 40 MB many-weights model copied 1.4 GB,
    ~1 s of the lab's CPU per diagnosis of it. A BytesIO made from the bytes hands a whole read
    from the start back without a copy."""
    stored = _backend().get_object(bucket, key)
    if stored is None or stored.size != len(body):
        return  # not what was put: leave moto's own copy
    spool, stored._value_buffer = stored._value_buffer, io.BytesIO(body)
    spool.close()
