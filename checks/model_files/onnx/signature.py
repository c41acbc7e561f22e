"""What an ONNX model declares: its inputs and outputs (TensorSpec), opsets, IR version and
operator domains (OnnxSignature), the v2 datatype of each element type, and the one error any
damage ends in."""

from __future__ import annotations

from dataclasses import dataclass

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
# bits per element of each ONNX element type (STRING has no fixed size), by type number
ELEMENT_BITS = {
    1: 32, 2: 8, 3: 8, 4: 16, 5: 16, 6: 32, 7: 64, 9: 8, 10: 16, 11: 64, 12: 32, 13: 64,
    14: 64, 15: 128, 16: 16, 17: 8, 18: 8, 19: 8, 20: 8, 21: 4, 22: 4, 23: 4, 24: 8, 25: 2,
    26: 2, 27: 6, 28: 6,
}  # fmt: skip
PROTOBUF_LIMIT = 2**31  # one message (a single-file model) must be smaller than this
TEXT_SHOWN = 4096  # doc strings and metadata values are kept up to this many bytes
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
        super().__init__(kind, message, finding=True)  # a truncated file too: exit 1


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
class ExternalData:
    """A weight stored outside the .onnx file: the file named by `location` (relative to the
    model's folder), from `offset`, `length` bytes (None: not written, then the tensor's own
    size, `nbytes`, when its type has a fixed size)."""

    tensor: str
    location: str
    offset: int
    length: int | None
    nbytes: int | None

    @property
    def end(self) -> int | None:
        """The byte the file must reach for this weight to be read whole."""
        size = self.length if self.length is not None else self.nbytes
        return None if size is None else self.offset + size


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
    domain: str = ""
    model_version: int = 0
    doc_string: str = ""  # the first TEXT_SHOWN bytes
    metadata_props: tuple[tuple[str, str], ...] = ()  # values cut at TEXT_SHOWN bytes
    external_data: tuple[ExternalData, ...] = ()

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
