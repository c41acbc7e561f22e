"""An ONNX model's signature — inputs, outputs, opsets, IR version, operator domains — read with
a small protobuf wire-format walker instead of `onnx.load`.

The walker reads through a random-access ByteSource and skips what it does not need by length,
so the weights of a 1 GiB model in S3 are never fetched: a few ranged GETs suffice. Any damage
(truncation, garbage, a pickle) ends in one OnnxSignatureError worded for a person.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from checks.errors import DoctorError

ELEMENT_TYPES = (
    "UNDEFINED",
    "FLOAT",
    "UINT8",
    "INT8",
    "UINT16",
    "INT16",
    "INT32",
    "INT64",
    "STRING",
    "BOOL",
    "FLOAT16",
    "DOUBLE",
    "UINT32",
    "UINT64",
    "COMPLEX64",
    "COMPLEX128",
    "BFLOAT16",
    "FLOAT8E4M3FN",
    "FLOAT8E4M3FNUZ",
    "FLOAT8E5M2",
    "FLOAT8E5M2FNUZ",
    "UINT4",
    "INT4",
    "FLOAT4E2M1",
    "FLOAT8E8M0",
    "UINT2",
    "INT2",
    "FLOAT6E2M3",
    "FLOAT6E3M2",
)
V2_NAMES = {
    "FLOAT": "FP32",
    "DOUBLE": "FP64",
    "FLOAT16": "FP16",
    "BFLOAT16": "BF16",
    "STRING": "BYTES",
}
MAX_DEPTH = 32
MAGIC = (
    (b"\x80", "a Python pickle"),
    (b"PK\x03\x04", "a zip archive"),
    (b"<?xml", "an XML file (OpenVINO IR?)"),
    (b"<!doctype", "an HTML page"),
    (b"<html", "an HTML page"),
    (b"{", "a JSON document"),
    (b"\x89HDF", "an HDF5 file (Keras?)"),
)

Dim = int | str | None


class OnnxSignatureError(DoctorError):
    """The input is not a readable ONNX model; the message says why in one line."""

    def __init__(self, message: str) -> None:
        super().__init__("onnx", message)


def v2_datatype(element_type: int) -> str:
    """ONNX element type -> KServe v2 datatype name (FP32, INT64, BYTES, ...)."""
    name = (
        ELEMENT_TYPES[element_type]
        if 0 <= element_type < len(ELEMENT_TYPES)
        else f"TYPE{element_type}"
    )
    if name.startswith(("INT", "UINT")) or name == "BOOL":
        return name
    return V2_NAMES.get(name, name)


@dataclass(frozen=True)
class TensorSpec:
    name: str
    datatype: str
    dims: tuple[Dim, ...] | None  # None: shape unknown (unranked) or not a tensor

    def v2_dims(self) -> list[int]:
        """Dims as the v2 protocol writes them: -1 for symbolic or unknown."""
        return [d if isinstance(d, int) else -1 for d in self.dims or ()]


@dataclass(frozen=True)
class OnnxSignature:
    inputs: tuple[TensorSpec, ...]
    outputs: tuple[TensorSpec, ...]
    ir_version: int
    opset_imports: dict[str, int]
    producer_name: str
    producer_version: str
    operator_domains: frozenset[str]
    op_types: frozenset[str]
    initializer_count: int
    bytes_read: int

    @property
    def uses_ai_onnx_ml(self) -> bool:
        return "ai.onnx.ml" in self.operator_domains


class ByteSource(Protocol):
    def size(self) -> int: ...

    def read(self, offset: int, length: int) -> bytes: ...


class _PageCounter:
    """Counts the distinct 4 KiB pages a local read touched: the I/O it really cost."""

    PAGE = 4096

    def __init__(self, size: int) -> None:
        self._size = size
        self._pages: set[int] = set()

    def size(self) -> int:
        return self._size

    def touch(self, offset: int, length: int) -> None:
        if length > 0:
            self._pages.update(range(offset // self.PAGE, (offset + length - 1) // self.PAGE + 1))

    @property
    def bytes_read(self) -> int:
        return min(self._size, len(self._pages) * self.PAGE)


class BytesSource(_PageCounter):
    def __init__(self, data: bytes) -> None:
        super().__init__(len(data))
        self._data = memoryview(data)

    def read(self, offset: int, length: int) -> bytes:
        self.touch(offset, length)
        return bytes(self._data[offset : offset + length])


class FileSource(_PageCounter):
    def __init__(self, path: str | os.PathLike) -> None:
        self._file = open(path, "rb")  # noqa: SIM115 - closed by read_signature
        super().__init__(os.fstat(self._file.fileno()).st_size)

    def read(self, offset: int, length: int) -> bytes:
        self.touch(offset, length)
        self._file.seek(offset)
        return self._file.read(length)

    def close(self) -> None:
        self._file.close()


class RangeReaderSource:
    """Ranged reads (e.g. S3 GET with Range) through a block cache: walking the small fields of a
    model costs a few requests, and a skipped initializer is never fetched."""

    def __init__(
        self, size: int, read_range: Callable[[int, int], bytes], block: int = 256 * 1024
    ) -> None:
        self._size, self._read_range, self._block = size, read_range, block
        self._cache: dict[int, bytes] = {}
        self.requests = 0
        self.bytes_read = 0

    def size(self) -> int:
        return self._size

    def _block_at(self, index: int) -> bytes:
        if index not in self._cache:
            start = index * self._block
            end = min(self._size, start + self._block) - 1
            data = self._read_range(start, end)
            self.requests += 1
            self.bytes_read += len(data)
            if len(self._cache) > 64:
                self._cache.clear()
            self._cache[index] = data
        return self._cache[index]

    def read(self, offset: int, length: int) -> bytes:
        out = bytearray()
        position, end = offset, min(offset + length, self._size)
        while position < end:
            index = position // self._block
            block = self._block_at(index)
            start = position - index * self._block
            piece = block[start : start + (end - position)]
            if not piece:
                break
            out += piece
            position += len(piece)
        return bytes(out)


@dataclass
class _Walker:
    """Protobuf wire format over a ByteSource, within explicit [start, end) bounds."""

    source: ByteSource
    domains: set[str] = field(default_factory=set)
    op_types: set[str] = field(default_factory=set)

    def fields(self, start: int, end: int):
        """Yield (field number, wire type, value) where value is an int for varints/fixed, and
        (offset, length) for length-delimited fields (not read)."""
        position = start
        while position < end:
            key, position = self.varint(position, end)
            number, wire = key >> 3, key & 7
            if number == 0:
                raise OnnxSignatureError(f"corrupt ONNX model: field number 0 at byte {position}")
            if wire == 0:
                value, position = self.varint(position, end)
                yield number, wire, value
            elif wire == 2:
                length, position = self.varint(position, end)
                if length > end - position:
                    raise OnnxSignatureError(
                        f"truncated ONNX model: a field at byte {position} wants {length:,} "
                        f"bytes but only {end - position:,} remain"
                    )
                yield number, wire, (position, length)
                position += length
            elif wire in (1, 5):
                size = 8 if wire == 1 else 4
                if position + size > end:
                    raise OnnxSignatureError(f"truncated ONNX model at byte {position}")
                yield number, wire, int.from_bytes(self.source.read(position, size), "little")
                position += size
            else:
                raise OnnxSignatureError(f"corrupt ONNX model: wire type {wire} at byte {position}")

    def varint(self, position: int, end: int) -> tuple[int, int]:
        chunk = self.source.read(position, min(10, end - position))
        value = shift = 0
        for index, byte in enumerate(chunk):
            value |= (byte & 0x7F) << shift
            if not byte & 0x80:
                return value, position + index + 1
            shift += 7
        raise OnnxSignatureError(f"truncated or corrupt ONNX model: bad varint at byte {position}")

    def text(self, span: tuple[int, int]) -> str:
        offset, length = span
        if length > 1 << 20:
            raise OnnxSignatureError(f"corrupt ONNX model: a {length:,}-byte name at byte {offset}")
        return self.source.read(offset, length).decode("utf-8", errors="replace")

    @staticmethod
    def signed(value: int) -> int:
        return value - (1 << 64) if value >= 1 << 63 else value

    # -- messages ----------------------------------------------------------------------
    def model(self, start: int, end: int) -> dict:
        found: dict = {
            "ir_version": 0,
            "producer_name": "",
            "producer_version": "",
            "opsets": {},
            "graph": None,
        }
        for number, wire, value in self.fields(start, end):
            if number == 1 and wire == 0:
                found["ir_version"] = self.signed(value)
            elif number == 2 and wire == 2:
                found["producer_name"] = self.text(value)
            elif number == 3 and wire == 2:
                found["producer_version"] = self.text(value)
            elif number == 7 and wire == 2:
                found["graph"] = self.graph(*self.span(value), depth=0)
            elif number == 8 and wire == 2:
                domain, version = self.opset(*self.span(value))
                found["opsets"][domain or "ai.onnx"] = version
            elif number == 25 and wire == 2:
                self.function(*self.span(value))
        return found

    @staticmethod
    def span(value: tuple[int, int]) -> tuple[int, int]:
        return value[0], value[0] + value[1]

    def opset(self, start: int, end: int) -> tuple[str, int]:
        domain, version = "", 0
        for number, wire, value in self.fields(start, end):
            if number == 1 and wire == 2:
                domain = self.text(value)
            elif number == 2 and wire == 0:
                version = self.signed(value)
        return domain, version

    def graph(self, start: int, end: int, depth: int) -> dict:
        if depth > MAX_DEPTH:
            raise OnnxSignatureError("corrupt ONNX model: subgraphs nested too deep")
        inputs, outputs, initializers = [], [], []
        for number, wire, value in self.fields(start, end):
            if wire != 2:
                continue
            if number == 1:
                self.node(*self.span(value), depth)
            elif number == 5:
                initializers.append(self.tensor_name(*self.span(value)))
            elif number == 15:
                initializers.append(self.sparse_tensor_name(*self.span(value)))
            elif number == 11 and depth == 0:
                inputs.append(self.value_info(*self.span(value)))
            elif number == 12 and depth == 0:
                outputs.append(self.value_info(*self.span(value)))
        return {"inputs": inputs, "outputs": outputs, "initializers": initializers}

    def node(self, start: int, end: int, depth: int) -> None:
        domain, op_type = "", ""
        for number, wire, value in self.fields(start, end):
            if wire != 2:
                continue
            if number == 4:
                op_type = self.text(value)
            elif number == 7:
                domain = self.text(value)
            elif number == 5:
                self.attribute(*self.span(value), depth)
        self.domains.add(domain or "ai.onnx")
        self.op_types.add(f"{domain or 'ai.onnx'}.{op_type}")

    def attribute(self, start: int, end: int, depth: int) -> None:
        for number, wire, value in self.fields(start, end):
            if wire == 2 and number in (6, 11):  # g, graphs: subgraphs of If/Loop/Scan
                self.graph(*self.span(value), depth + 1)

    def function(self, start: int, end: int) -> None:
        for number, wire, value in self.fields(start, end):
            if wire == 2 and number == 7:
                self.node(*self.span(value), 1)

    def tensor_name(self, start: int, end: int) -> str:
        name = ""
        for number, wire, value in self.fields(start, end):  # raw_data is skipped by length
            if number == 8 and wire == 2:
                name = self.text(value)
        return name

    def sparse_tensor_name(self, start: int, end: int) -> str:
        for number, wire, value in self.fields(start, end):
            if number == 1 and wire == 2:
                return self.tensor_name(*self.span(value))
        return ""

    def value_info(self, start: int, end: int) -> TensorSpec:
        name, datatype, dims = "", "UNDEFINED", None
        for number, wire, value in self.fields(start, end):
            if number == 1 and wire == 2:
                name = self.text(value)
            elif number == 2 and wire == 2:
                datatype, dims = self.type_proto(*self.span(value), 0)
        return TensorSpec(name, datatype, dims)

    def type_proto(self, start: int, end: int, depth: int) -> tuple[str, tuple[Dim, ...] | None]:
        if depth > MAX_DEPTH:
            raise OnnxSignatureError("corrupt ONNX model: types nested too deep")
        result: tuple[str, tuple[Dim, ...] | None] = ("UNDEFINED", None)
        for number, wire, value in self.fields(start, end):
            if wire != 2:
                continue
            if number in (1, 8):  # tensor_type, sparse_tensor_type
                result = self.tensor_type(*self.span(value))
                if number == 8:
                    result = (f"SPARSE({result[0]})", result[1])
            elif number == 4:  # sequence_type
                inner = self.element_of(*self.span(value), depth)
                result = (f"SEQUENCE({inner})", None)
            elif number == 9:  # optional_type
                inner = self.element_of(*self.span(value), depth)
                result = (f"OPTIONAL({inner})", None)
            elif number == 5:  # map_type
                result = (self.map_type(*self.span(value), depth), None)
            elif number == 7:
                result = ("OPAQUE", None)
        return result

    def element_of(self, start: int, end: int, depth: int) -> str:
        for number, wire, value in self.fields(start, end):
            if number == 1 and wire == 2:
                return self.type_proto(*self.span(value), depth + 1)[0]
        return "UNDEFINED"

    def map_type(self, start: int, end: int, depth: int) -> str:
        key, item = "UNDEFINED", "UNDEFINED"
        for number, wire, value in self.fields(start, end):
            if number == 1 and wire == 0:
                key = v2_datatype(self.signed(value))
            elif number == 2 and wire == 2:
                item = self.type_proto(*self.span(value), depth + 1)[0]
        return f"MAP({key},{item})"

    def tensor_type(self, start: int, end: int) -> tuple[str, tuple[Dim, ...] | None]:
        element, dims = 0, None
        for number, wire, value in self.fields(start, end):
            if number == 1 and wire == 0:
                element = self.signed(value)
            elif number == 2 and wire == 2:
                dims = self.shape(*self.span(value))
        return v2_datatype(element), dims

    def shape(self, start: int, end: int) -> tuple[Dim, ...]:
        dims: list[Dim] = []
        for number, wire, value in self.fields(start, end):
            if number == 1 and wire == 2:
                dims.append(self.dimension(*self.span(value)))
        return tuple(dims)

    def dimension(self, start: int, end: int) -> Dim:
        dim: Dim = None
        for number, wire, value in self.fields(start, end):  # a oneof: the last one wins
            if number == 1 and wire == 0:
                dim = self.signed(value)
            elif number == 2 and wire == 2:
                dim = self.text(value)
        return dim


def _identify(head: bytes) -> str | None:
    lowered = head.lstrip()[:16].lower()
    if not head:
        return "the file is empty"
    for magic, what in MAGIC:
        if lowered.startswith(magic) or head.startswith(magic):
            return f"it starts like {what} ({head[:8]!r})"
    return None


def _read(source: ByteSource) -> OnnxSignature:
    size = source.size()
    what = _identify(source.read(0, min(16, size)))
    if what is not None:
        raise OnnxSignatureError(f"not an ONNX model: {what}")
    walker = _Walker(source)
    try:
        found = walker.model(0, size)
    except OnnxSignatureError:
        raise
    except (ValueError, IndexError, OverflowError, RecursionError, UnicodeError) as error:
        raise OnnxSignatureError(f"corrupt ONNX model: {error}") from error
    graph = found["graph"]
    if graph is None:
        raise OnnxSignatureError("not an ONNX model: no graph found (is it an ONNX file?)")
    initializers = set(graph["initializers"])
    return OnnxSignature(
        inputs=tuple(i for i in graph["inputs"] if i.name not in initializers),
        outputs=tuple(graph["outputs"]),
        ir_version=found["ir_version"],
        opset_imports=found["opsets"],
        producer_name=found["producer_name"],
        producer_version=found["producer_version"],
        operator_domains=frozenset(walker.domains),
        op_types=frozenset(walker.op_types),
        initializer_count=len(initializers),
        bytes_read=getattr(source, "bytes_read", 0),
    )


def read_signature(source: bytes | str | os.PathLike | ByteSource) -> OnnxSignature:
    """The signature of a model given as bytes, a path, or any ByteSource."""
    if isinstance(source, bytes | bytearray | memoryview):
        return _read(BytesSource(bytes(source)))
    if isinstance(source, str | os.PathLike):
        file_source = FileSource(source)
        try:
            return _read(file_source)
        finally:
            file_source.close()
    return _read(source)


def read_signature_from_range_reader(
    size: int, read_range: Callable[[int, int], bytes]
) -> OnnxSignature:
    """For objects in S3: `read_range(start, end_inclusive)` is one ranged GET."""
    return _read(RangeReaderSource(size, read_range))
