"""An ONNX model's signature (inputs, outputs, opsets, IR version, operator domains), read with a
small protobuf wire-format walker instead of `onnx.load`.

The walker reads through a random-access ByteSource and steps over what it does not need by its
length, so the weights of a 1 GiB model in S3 are never fetched: a few ranged GETs suffice. Any
damage (truncation, garbage, a pickle) ends in one OnnxSignatureError worded for a person.
Pure standard library on purpose: `rhoai-doctor inspect` should not pay for importing onnx.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
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
NON_TENSOR_PREFIXES = ("SEQUENCE(", "MAP(", "OPTIONAL(", "SPARSE(", "OPAQUE")
MAX_DEPTH = 32  # subgraphs inside subgraphs, types inside types: real models stay far below
MAX_NAME = 1 << 20  # a longer name, dim or domain is damage, not a model

_HEADER = 20  # a field's key plus its length or value always fit in this many bytes
_CHUNK = 16 * 1024  # how much the walker reads where nothing it needs is loaded yet
_MASK64 = (1 << 64) - 1

Dim = int | str | None
Span = tuple[int, int]  # [start, end) of a message in the source


class OnnxSignatureError(DoctorError):
    """The input is not a readable ONNX model; the message says why in one line.

    kind: "not-onnx" (another kind of file, or no graph), "truncated" (the file ends early) or
    "corrupt" (the bytes contradict themselves)."""

    def __init__(self, message: str, kind: str = "corrupt") -> None:
        super().__init__(kind, message)


@dataclass(frozen=True)
class TensorSpec:
    """One model input or output, in the terms of a KServe v2 / Open Inference Protocol request.

    datatype: FP32, INT64, BYTES, ... for tensors; SEQUENCE(MAP(INT64,FP32)) and the like for
    the non-tensor values some converters emit (skl2onnx's ZipMap). dims: int when fixed, str
    when symbolic, None when unknown; dims itself is None when the rank is unknown."""

    name: str
    datatype: str
    dims: tuple[Dim, ...] | None

    @property
    def is_tensor(self) -> bool:
        """Whether a v2 request can carry this value at all."""
        return not self.datatype.startswith(NON_TENSOR_PREFIXES)

    def v2_dims(self) -> list[int]:
        """Dims as the v2 protocol writes them: -1 for a symbolic or unknown dim."""
        return [d if isinstance(d, int) else -1 for d in self.dims or ()]


@dataclass(frozen=True)
class OnnxSignature:
    """What a serving runtime needs to know about a model before loading it.

    inputs exclude initializers (IR < 4 models list their weights among the graph inputs).
    opset_imports and operator_domains say "ai.onnx" for the default domain. op_types holds
    "domain.OpType" for every node, subgraphs and model-local functions included. bytes_read is
    what the walk fetched from its source: for a ranged S3 read, the bytes transferred."""

    inputs: tuple[TensorSpec, ...]
    outputs: tuple[TensorSpec, ...]
    ir_version: int
    opset_imports: dict[str, int]
    producer_name: str
    producer_version: str
    operator_domains: frozenset[str]
    op_types: frozenset[str]
    initializer_names: tuple[str, ...]
    bytes_read: int

    @property
    def uses_ai_onnx_ml(self) -> bool:
        """OpenVINO Model Server cannot run ai.onnx.ml operators (TreeEnsemble, ZipMap, ...)."""
        return "ai.onnx.ml" in self.operator_domains

    @property
    def initializer_count(self) -> int:
        return len(self.initializer_names)


def v2_datatype(element_type: int) -> str:
    """ONNX element type number -> KServe v2 datatype name (FP32, INT64, BYTES, ...); types v2
    has no name for keep their ONNX name (COMPLEX64, FLOAT8E4M3FN)."""
    if not 0 <= element_type < len(ELEMENT_TYPES):
        return f"ONNX_TYPE_{element_type}"
    name = ELEMENT_TYPES[element_type]
    return V2_NAMES.get(name, name)


# -- byte sources ------------------------------------------------------------------------------


class ByteSource(Protocol):
    """Random access to a model's bytes; read may return fewer bytes only past the end."""

    def size(self) -> int: ...

    def read(self, offset: int, length: int) -> bytes: ...


class BytesSource:
    """A model already in memory."""

    def __init__(self, data: bytes | bytearray | memoryview) -> None:
        self._data = bytes(data)

    def size(self) -> int:
        return len(self._data)

    def read(self, offset: int, length: int) -> bytes:
        return self._data[offset : offset + length]


class FileSource:
    """A local file, read with seek + read so the weights are never paged in."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self._file = open(path, "rb", buffering=0)  # noqa: SIM115 - closed by close()/with
        self._size = os.fstat(self._file.fileno()).st_size

    def size(self) -> int:
        return self._size

    def read(self, offset: int, length: int) -> bytes:
        self._file.seek(offset)
        parts, wanted = [], length
        while wanted > 0:
            part = self._file.read(wanted)
            if not part:
                break
            parts.append(part)
            wanted -= len(part)
        return b"".join(parts)

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> FileSource:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


class RangeReaderSource:
    """Ranged reads (one S3 GET with a Range header each) behind a read-ahead cache.

    A fetch that continues where the previous one ended reads further ahead each time (up to
    `block`), so walking a graph's many small fields costs few requests. A fetch after a jump
    (past a skipped initializer) starts small again, so a model with hundreds of large
    initializers costs one small GET per initializer, not a block of weights each.
    `read_range(start, end_inclusive)` returns those bytes; `requests` and `bytes_read` count
    what it was asked for and what it returned."""

    def __init__(
        self,
        size: int,
        read_range: Callable[[int, int], bytes],
        block: int = 256 * 1024,
        cache_bytes: int = 4 * 1024 * 1024,
    ) -> None:
        self._size = size
        self._read_range = read_range
        self._block = max(1, block)
        self._after_jump = max(1, block // 16)
        self._cache_bytes = cache_bytes
        self._spans: list[tuple[int, bytes]] = []  # (offset, data), most recent last
        self._cached_bytes = 0
        self._ahead = self._block
        self._last = (0, 0)
        self.requests = 0
        self.bytes_read = 0

    def size(self) -> int:
        return self._size

    def read(self, offset: int, length: int) -> bytes:
        end = min(offset + length, self._size)
        parts = []
        while offset < end:
            part = self._cached(offset, end)
            if not part:
                part = self._fetch(offset, end)[: end - offset]
                if not part:
                    break
            parts.append(part)
            offset += len(part)
        return b"".join(parts)

    def _cached(self, offset: int, end: int) -> bytes:
        """What the cache holds from offset on (up to end): only the missing rest is fetched."""
        for start, data in reversed(self._spans):
            if start <= offset < start + len(data):
                return data[offset - start : end - start]
        return b""

    def _fetch(self, offset: int, end: int) -> bytes:
        last_start, last_end = self._last
        if self.requests and last_start <= offset <= last_end + self._after_jump:
            self._ahead = min(self._block, self._ahead * 4)
        elif self.requests:
            self._ahead = self._after_jump
        stop = min(self._size, max(end, offset + self._ahead))
        data = bytes(self._read_range(offset, stop - 1))
        self.requests += 1
        self.bytes_read += len(data)
        if offset and len(data) == self._size > stop - offset:
            data = data[offset:stop]  # the server ignored Range and sent the whole object
        data = data[: stop - offset]
        self._last = (offset, offset + len(data))
        self._remember(offset, data)
        return data

    def _remember(self, offset: int, data: bytes) -> None:
        self._spans.append((offset, data))
        self._cached_bytes += len(data)
        while len(self._spans) > 1 and self._cached_bytes > self._cache_bytes:
            self._cached_bytes -= len(self._spans.pop(0)[1])


# -- the walker --------------------------------------------------------------------------------


def _varint(buf: bytes, i: int, stop: int) -> tuple[int, int]:
    """The varint at buf[i] and the index after it; index -1 if it does not end before stop."""
    if i < stop and buf[i] < 0x80:
        return buf[i], i + 1
    value = shift = 0
    while i < stop and shift < 70:
        byte = buf[i]
        i += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value & _MASK64, i
        shift += 7
    return 0, -1


def _signed(value: int) -> int:
    return value - (1 << 64) if value >= 1 << 63 else value


def _int32(value: int) -> int:
    value &= 0xFFFFFFFF
    return value - (1 << 32) if value >= 1 << 31 else value


@dataclass
class _Found:
    """What the walk has seen so far; a repeated message field merges, as protobuf does."""

    ir_version: int = 0
    producer_name: str = ""
    producer_version: str = ""
    opsets: dict[str, int] = field(default_factory=dict)
    has_graph: bool = False
    inputs: list[TensorSpec] = field(default_factory=list)
    outputs: list[TensorSpec] = field(default_factory=list)
    initializers: list[str] = field(default_factory=list)


class _Walker:
    """Protobuf wire format over a ByteSource. Field headers are read in chunks; a field's
    payload is read only when the walk descends into it, so skipped weights are never fetched."""

    def __init__(self, source: ByteSource, size: int) -> None:
        self._source = source
        self._size = size
        self._buf = b""  # the latest chunk read, reused by whatever lies inside it
        self._base = 0
        self.fetched = 0
        self.domains: set[str] = set()
        self.op_types: set[str] = set()

    def start(self) -> bytes:
        """The first chunk: enough to recognise other kinds of files, and the walk's start."""
        self._buf, self._base = self.read(0, min(_CHUNK, self._size)), 0
        return self._buf

    def read(self, offset: int, length: int) -> bytes:
        data = self._source.read(offset, length)
        self.fetched += len(data)
        if len(data) < length:
            raise OnnxSignatureError(
                f"truncated ONNX model: reading {length:,} bytes at byte {offset:,} returned "
                f"{len(data):,} (the file is shorter than its listed size of {self._size:,})",
                "truncated",
            )
        return bytes(data[:length])

    def fields(self, start: int, end: int, what: str) -> Iterator[tuple[int, int, int, int]]:
        """(number, wire type, value, offset) for each field of the `what` message in
        [start, end). For length-delimited fields value is the length and offset where the
        payload starts; for the others value is the number itself."""
        buf, base, pos = self._buf, self._base, start
        while pos < end:
            need = min(_HEADER, end - pos)
            if not base <= pos <= base + len(buf) - need:
                buf, base = self._buf, self._base
                if not base <= pos <= base + len(buf) - need:
                    buf, base = self.read(pos, min(_CHUNK, end - pos)), pos
            self._buf, self._base = buf, base
            stop = min(end, base + len(buf)) - base
            key, i = _varint(buf, pos - base, stop)
            if i < 0:
                raise self._bad_number(pos, end, what)
            number, wire = key >> 3, key & 7
            if number == 0:
                raise OnnxSignatureError(f"corrupt ONNX model: field number 0 at byte {pos:,}")
            if wire == 0:
                value, i = _varint(buf, i, stop)
                if i < 0:
                    raise self._bad_number(pos, end, what)
                yield number, 0, value, 0
            elif wire == 2:
                length, i = _varint(buf, i, stop)
                if i < 0:
                    raise self._bad_number(pos, end, what)
                payload = base + i
                if length > end - payload:
                    raise self._overflow(what, number, payload, length, end)
                yield number, 2, length, payload
                pos = payload + length
                continue
            elif wire in (1, 5):
                width = 8 if wire == 1 else 4
                if i + width > stop:
                    raise self._bad_number(pos, end, what)
                yield number, wire, int.from_bytes(buf[i : i + width], "little"), 0
                i += width
            else:
                raise OnnxSignatureError(
                    f"corrupt ONNX model: field {number} of the {what} at byte {pos:,} has "
                    f"wire type {wire}, which ONNX never writes"
                )
            pos = base + i

    def _bad_number(self, pos: int, end: int, what: str) -> OnnxSignatureError:
        if end == self._size and end - pos < _HEADER:
            return OnnxSignatureError(
                f"truncated ONNX model: the file ends inside a field of the {what} at byte {pos:,}",
                "truncated",
            )
        return OnnxSignatureError(
            f"corrupt ONNX model: a malformed field in the {what} at byte {pos:,}"
        )

    def _overflow(
        self, what: str, number: int, payload: int, length: int, end: int
    ) -> OnnxSignatureError:
        name = _FIELD_NAMES.get((what, number), f"{number}")
        if what == "model":
            return OnnxSignatureError(
                f"truncated ONNX model: field {name} at byte {payload:,} wants {length:,} bytes "
                f"but only {end - payload:,} remain",
                "truncated",
            )
        return OnnxSignatureError(
            f"corrupt ONNX model: field {name} of the {what} at byte {payload:,} wants "
            f"{length:,} bytes but its {what} has only {end - payload:,} left"
        )

    def text(self, offset: int, length: int) -> str:
        if length > MAX_NAME:
            raise OnnxSignatureError(
                f"corrupt ONNX model: a {length:,}-byte name at byte {offset:,}"
            )
        buf, base = self._buf, self._base
        if base <= offset and offset + length <= base + len(buf):
            raw = buf[offset - base : offset - base + length]
        else:
            raw = self.read(offset, length)
        return raw.decode("utf-8", errors="replace")

    # -- messages ----------------------------------------------------------------------------

    def model(self) -> _Found:
        found = _Found()
        for number, wire, value, offset in self.fields(0, self._size, "model"):
            if number == 1 and wire == 0:
                found.ir_version = _signed(value)
            elif wire != 2:
                continue
            elif number == 2:
                found.producer_name = self.text(offset, value)
            elif number == 3:
                found.producer_version = self.text(offset, value)
            elif number == 7:
                found.has_graph = True
                self.graph(offset, offset + value, 0, found)
            elif number == 8:
                domain, version = self.opset(offset, offset + value)
                found.opsets[domain or "ai.onnx"] = version
            elif number == 25:
                self.function(offset, offset + value)
        return found

    def opset(self, start: int, end: int) -> tuple[str, int]:
        domain, version = "", 0
        for number, wire, value, offset in self.fields(start, end, "opset import"):
            if number == 1 and wire == 2:
                domain = self.text(offset, value)
            elif number == 2 and wire == 0:
                version = _signed(value)
        return domain, version

    def graph(self, start: int, end: int, depth: int, found: _Found | None) -> None:
        """Nodes count at any depth; inputs, outputs and initializers only for the main graph."""
        if depth > MAX_DEPTH:
            raise OnnxSignatureError(
                f"corrupt ONNX model: subgraphs nested more than {MAX_DEPTH} deep at byte {start:,}"
            )
        for number, wire, value, offset in self.fields(start, end, "graph"):
            if wire != 2:
                continue
            if number == 1:
                self.node(offset, offset + value, depth)
            elif found is None:
                continue
            elif number == 5:
                found.initializers.append(self.tensor_name([(offset, offset + value)]))
            elif number == 15:
                found.initializers.append(self.sparse_tensor_name(offset, offset + value))
            elif number == 11:
                found.inputs.append(self.value_info(offset, offset + value))
            elif number == 12:
                found.outputs.append(self.value_info(offset, offset + value))

    def node(self, start: int, end: int, depth: int) -> None:
        domain, op_type = "", ""
        for number, wire, value, offset in self.fields(start, end, "node"):
            if wire != 2:
                continue
            if number == 4:
                op_type = self.text(offset, value)
            elif number == 7:
                domain = self.text(offset, value)
            elif number == 5:
                self.attribute(offset, offset + value, depth)
        domain = domain or "ai.onnx"
        self.domains.add(domain)
        self.op_types.add(f"{domain}.{op_type}")

    def attribute(self, start: int, end: int, depth: int) -> None:
        for number, wire, value, offset in self.fields(start, end, "attribute"):
            if wire == 2 and number in (6, 11):  # g, graphs: the bodies of If, Loop, Scan
                self.graph(offset, offset + value, depth + 1, None)

    def function(self, start: int, end: int) -> None:
        for number, wire, value, offset in self.fields(start, end, "function"):
            if number == 7 and wire == 2:
                self.node(offset, offset + value, 1)

    def tensor_name(self, spans: list[Span]) -> str:
        """The name of an initializer; its data (raw_data, float_data, ...) is stepped over."""
        name = ""
        for number, wire, value, offset in self.fields_in(spans, "tensor"):
            if number == 8 and wire == 2:
                name = self.text(offset, value)
        return name

    def sparse_tensor_name(self, start: int, end: int) -> str:
        return self.tensor_name(self.spans_of(1, [(start, end)], "sparse tensor"))

    def value_info(self, start: int, end: int) -> TensorSpec:
        name, types = "", []
        for number, wire, value, offset in self.fields(start, end, "value info"):
            if number == 1 and wire == 2:
                name = self.text(offset, value)
            elif number == 2 and wire == 2:
                types.append((offset, offset + value))
        datatype, dims = self.type_proto(types, 0)
        return TensorSpec(name, datatype, dims)

    def type_proto(self, spans: list[Span], depth: int) -> tuple[str, tuple[Dim, ...] | None]:
        """A TypeProto's oneof: a later member replaces an earlier one, the same member merges."""
        if depth > MAX_DEPTH:
            raise OnnxSignatureError(
                f"corrupt ONNX model: types nested more than {MAX_DEPTH} deep at byte "
                f"{spans[0][0] if spans else 0:,}"
            )
        kind, member = 0, list[Span]()
        for number, wire, value, offset in self.fields_in(spans, "type"):
            if wire == 2 and number in (1, 4, 5, 7, 8, 9):
                if number != kind:
                    kind, member = number, []
                member.append((offset, offset + value))
        if kind in (1, 8):
            datatype, dims = self.tensor_type(member)
            return (datatype if kind == 1 else f"SPARSE({datatype})"), dims
        if kind in (4, 9):
            inner = self.spans_of(1, member, "type")
            element = self.type_proto(inner, depth + 1)[0] if inner else "UNDEFINED"
            return f"{'SEQUENCE' if kind == 4 else 'OPTIONAL'}({element})", None
        if kind == 5:
            return self.map_type(member, depth), None
        return ("OPAQUE" if kind == 7 else "UNDEFINED"), None

    def map_type(self, spans: list[Span], depth: int) -> str:
        key, items = "UNDEFINED", []
        for number, wire, value, offset in self.fields_in(spans, "map type"):
            if number == 1 and wire == 0:
                key = v2_datatype(_int32(value))
            elif number == 2 and wire == 2:
                items.append((offset, offset + value))
        item = self.type_proto(items, depth + 1)[0] if items else "UNDEFINED"
        return f"MAP({key},{item})"

    def tensor_type(self, spans: list[Span]) -> tuple[str, tuple[Dim, ...] | None]:
        element, shapes = 0, []
        for number, wire, value, offset in self.fields_in(spans, "tensor type"):
            if number == 1 and wire == 0:
                element = _int32(value)
            elif number == 2 and wire == 2:
                shapes.append((offset, offset + value))
        dims = None
        if shapes:
            dims = tuple(self.dimension(*span) for span in self.spans_of(1, shapes, "shape"))
        return v2_datatype(element), dims

    def dimension(self, start: int, end: int) -> Dim:
        dim: Dim = None
        for number, wire, value, offset in self.fields(start, end, "dimension"):
            if number == 1 and wire == 0:  # a oneof with dim_param: the last one wins
                dim = _signed(value)
            elif number == 2 and wire == 2:
                dim = self.text(offset, value)
        return dim

    # -- merging -----------------------------------------------------------------------------

    def fields_in(self, spans: list[Span], what: str) -> Iterator[tuple[int, int, int, int]]:
        """The fields of a message that occurs several times: protobuf merges the occurrences,
        which is the same as reading them one after the other."""
        for start, end in spans:
            yield from self.fields(start, end, what)

    def spans_of(self, wanted: int, spans: list[Span], what: str) -> list[Span]:
        """Where the length-delimited field `wanted` occurs in a (merged) message."""
        return [
            (offset, offset + value)
            for number, wire, value, offset in self.fields_in(spans, what)
            if number == wanted and wire == 2
        ]


_FIELD_NAMES = {
    ("model", 2): "producer_name",
    ("model", 3): "producer_version",
    ("model", 4): "domain",
    ("model", 6): "doc_string",
    ("model", 7): "graph",
    ("model", 8): "opset_import",
    ("model", 14): "metadata_props",
    ("model", 20): "training_info",
    ("model", 25): "functions",
    ("graph", 1): "node",
    ("graph", 2): "name",
    ("graph", 5): "initializer",
    ("graph", 10): "doc_string",
    ("graph", 11): "input",
    ("graph", 12): "output",
    ("graph", 13): "value_info",
    ("graph", 15): "sparse_initializer",
    ("node", 1): "input",
    ("node", 2): "output",
    ("node", 3): "name",
    ("node", 4): "op_type",
    ("node", 5): "attribute",
    ("node", 7): "domain",
    ("tensor", 8): "name",
    ("tensor", 9): "raw_data",
    ("value info", 1): "name",
    ("value info", 2): "type",
}


# -- recognising other files -------------------------------------------------------------------

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
    walker = _Walker(source, size)
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


def _signature(found: _Found, walker: _Walker, source: ByteSource) -> OnnxSignature:
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


def read_signature_from_range_reader(
    size: int, read_range: Callable[[int, int], bytes]
) -> OnnxSignature:
    """For objects in S3: `read_range(start, end_inclusive)` is one ranged GET."""
    return _read(RangeReaderSource(size, read_range))
