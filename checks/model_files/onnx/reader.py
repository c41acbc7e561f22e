"""Read an ONNX model's signature from a file, bytes or ranged reads; anything that is not an
ONNX model (a pickle, a zip, HTML, JSON, text) is named for what it is."""

from __future__ import annotations

import os
from collections.abc import Callable

from checks.model_files.onnx.graph import OnnxWalker, _Found
from checks.model_files.onnx.signature import PROTOBUF_LIMIT, OnnxSignature, OnnxSignatureError
from checks.model_files.onnx.sources import ByteSource, BytesSource, FileSource, RangeReaderSource

_MAGIC = (
    (b"", "the file is empty"),
    (b"\x80\x02", "a Python pickle"),
    (b"\x80\x03", "a Python pickle"),
    (b"\x80\x04", "a Python pickle"),
    (b"\x80\x05", "a Python pickle"),
    (b"PK\x03\x04", "a zip archive: a PyTorch .pt, a Keras .keras, a zipped model"),
    (b"PK\x05\x06", "an empty zip archive"),
    (b"\x89HDF\r\n\x1a\n", "an HDF5 file: a Keras .h5"),
    (b"\x93NUMPY", "a NumPy .npy array"),
    (b"GGUF", "a GGUF model (llama.cpp)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"version https://git-lfs", "a Git LFS pointer: the model itself was never fetched"),
    (b"<?xml", "an XML file: OpenVINO IR"),
    (b"<!doctype", "an HTML page"),
    (b"<html", "an HTML page"),
    (b"<", "an HTML or XML document"),
    (b"{", "a JSON document"),
    (b"[", "a JSON document"),
)
_HEAD = 32


def _identify(head: bytes, size: int) -> str | None:
    """Name the kind of file when its first bytes say it cannot be ONNX (a ModelProto never
    starts with these: ONNX writers begin with ir_version, byte 0x08)."""
    if not head:
        return "the file is empty"
    text = head.lstrip(b" \t\r\n").lower()
    for magic, what in _MAGIC[1:]:
        if head.startswith(magic) or (magic[:1] in b"<{[" and text.startswith(magic)):
            return f"the file starts with {_preview(head)} ({what}?)"
    if head[4:8] == b"TFL3" and head[0] != 0x08:
        return f"the file starts with {_preview(head)} (a TensorFlow Lite model?)"
    header_length = int.from_bytes(head[:8], "little")
    if len(head) > 8 and head[8:9] == b"{" and header_length < size:
        return f"the file starts with {_preview(head)} (a safetensors file?)"
    return None


def _looks_like_text(head: bytes) -> bool:
    return len(head) >= 4 and all(32 <= b < 127 or b in b"\t\r\n" for b in head)


def _preview(head: bytes) -> str:
    printable = _looks_like_text(head[:16])
    return repr(head[:24].split(b"\n")[0] if printable else head[:4])


# -- entry points ------------------------------------------------------------------------------


def _read(source: ByteSource) -> OnnxSignature:
    size = source.size()
    if size >= PROTOBUF_LIMIT:
        raise OnnxSignatureError(
            f"the model is one {size / 2**30:.2f} GiB file ({size:,} bytes): protobuf cannot "
            "parse a message of 2 GiB or more, so onnx, onnxruntime and OpenVINO refuse it "
            "(keep the weights as external data)",
            "too-large",
        )
    walker = OnnxWalker(source, size)
    head = walker.start()[:_HEAD]
    what = _identify(head, size)
    if what is not None:
        raise OnnxSignatureError(f"not an ONNX model: {what}", "not-onnx")
    try:
        found = walker.model()
        if not found.has_graph:
            raise OnnxSignatureError(
                f"not an ONNX model: no graph found in {size:,} bytes", "not-onnx"
            )
    except OnnxSignatureError:
        if _looks_like_text(head):
            raise OnnxSignatureError(
                f"not an ONNX model: the file starts with {_preview(head)} (a text file?)",
                "not-onnx",
            ) from None
        raise
    except (ValueError, IndexError, OverflowError, RecursionError, UnicodeError) as error:
        # A safety net only: the walker checks every length before it reads.
        raise OnnxSignatureError(f"corrupt ONNX model: {type(error).__name__}: {error}") from error
    return _signature(found, walker, source)


def _signature(found: _Found, walker: OnnxWalker, source: ByteSource) -> OnnxSignature:
    initializers = frozenset(found.initializers)
    return OnnxSignature(
        inputs=tuple(i for i in found.inputs if i.name not in initializers),
        outputs=tuple(found.outputs),
        ir_version=found.ir_version,
        opset_imports=found.opsets,
        producer_name=found.producer_name,
        producer_version=found.producer_version,
        operator_domains=frozenset(walker.domains),
        op_types=frozenset(walker.op_types),
        initializer_names=tuple(found.initializers),
        bytes_read=getattr(source, "bytes_read", walker.fetched),
        domain=found.domain,
        model_version=found.model_version,
        doc_string=found.doc_string,
        metadata_props=tuple(found.metadata),
        external_data=tuple(found.external),
    )


def read_signature(
    source: bytes | bytearray | memoryview | str | os.PathLike[str] | ByteSource,
) -> OnnxSignature:
    """The signature of a model given as bytes, a local path, or any ByteSource. Raises
    OnnxSignatureError for anything that is not a readable model, OSError if a path cannot be
    read, and whatever a ByteSource raises for its own I/O failures."""
    if isinstance(source, bytes | bytearray | memoryview):
        return _read(BytesSource(source))
    if isinstance(source, str | os.PathLike):
        with FileSource(source) as file_source:
            return _read(file_source)
    return _read(source)


SWEEP_CONCURRENCY = 16  # ranged GETs in flight at once while sweeping many weights


def read_signature_from_range_reader(
    size: int, read_range: Callable[[int, int], bytes], concurrency: int = SWEEP_CONCURRENCY
) -> OnnxSignature:
    """For objects in S3: `read_range(start, end_inclusive)` is one ranged GET (called from up
    to `concurrency` threads at once when many weights lie close together)."""
    return _read(RangeReaderSource(size, read_range, concurrency=concurrency))
