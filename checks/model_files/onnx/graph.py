"""The ONNX messages the walk descends into (ModelProto, GraphProto, NodeProto, ValueInfoProto,
TypeProto, ...) and what it keeps of them."""

from __future__ import annotations

from dataclasses import dataclass, field

from checks.model_files.onnx.signature import (
    ELEMENT_BITS,
    MAX_DEPTH,
    TEXT_SHOWN,
    Dim,
    ExternalData,
    OnnxSignatureError,
    Span,
    TensorSpec,
    v2_datatype,
)
from checks.model_files.onnx.sources import ByteSource
from checks.model_files.onnx.wire import WireWalker, _int32, _signed, _varint


def _number(text: str) -> int | None:
    return int(text) if text.strip().isdigit() else None


def _external(name: str, dims: list[int], element: int, entries: dict[str, str]) -> ExternalData:
    bits = ELEMENT_BITS.get(element)
    count = 1
    for dim in dims:
        count *= max(dim, 0)
    nbytes = None if bits is None else (count * bits + 7) // 8
    return ExternalData(
        tensor=name,
        location=entries.get("location", ""),
        offset=_number(entries.get("offset", "0")) or 0,
        length=_number(entries["length"]) if "length" in entries else None,
        nbytes=nbytes,
    )


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
    domain: str = ""
    model_version: int = 0
    doc_string: str = ""
    metadata: list[tuple[str, str]] = field(default_factory=list)
    external: list[ExternalData] = field(default_factory=list)


class OnnxWalker(WireWalker):
    """Walks an ONNX model, collecting the signature and the operator domains it uses."""

    def __init__(self, source: ByteSource, size: int) -> None:
        super().__init__(source, size)
        self.domains: set[str] = set()
        self.op_types: set[str] = set()

    def model(self) -> _Found:
        found = _Found()
        for number, wire, value, offset in self.fields(0, self._size, "model"):
            if number == 1 and wire == 0:
                found.ir_version = _signed(value)
            elif number == 5 and wire == 0:
                found.model_version = _signed(value)
            elif wire != 2:
                continue
            elif number == 2:
                found.producer_name = self.text(offset, value)
            elif number == 3:
                found.producer_version = self.text(offset, value)
            elif number == 4:
                found.domain = self.text(offset, value)
            elif number == 6:
                found.doc_string = self.text_head(offset, value)
            elif number == 14:
                found.metadata.append(self.entry(offset, offset + value))
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
                name, external = self.tensor([(offset, offset + value)])
                found.initializers.append(name)
                if external is not None:
                    found.external.append(external)
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

    def tensor(self, spans: list[Span]) -> tuple[str, ExternalData | None]:
        """An initializer's name, and where its data lives when that is another file; its data
        (raw_data, float_data, ...) is stepped over."""
        name, dims, element, entries, external = "", list[int](), 0, {}, False
        for number, wire, value, offset in self.fields_in(spans, "tensor"):
            if number == 8 and wire == 2:
                name = self.text(offset, value)
            elif number == 1 and wire == 0:
                dims.append(_signed(value))
            elif number == 1 and wire == 2:
                dims += self.packed(offset, value)
            elif number == 2 and wire == 0:
                element = _int32(value)
            elif number == 13 and wire == 2:
                key, text = self.entry(offset, offset + value)
                entries[key] = text
            elif number == 14 and wire == 0:
                external = _int32(value) == 1
        if not external:
            return name, None
        return name, _external(name, dims, element, entries)

    def tensor_name(self, spans: list[Span]) -> str:
        return self.tensor(spans)[0]

    def packed(self, offset: int, length: int) -> list[int]:
        """A packed repeated int64 (a tensor's dims)."""
        raw = self.read(offset, min(length, 1 << 16))
        values, i = [], 0
        while i < len(raw):
            value, i = _varint(raw, i, len(raw))
            if i < 0:
                raise OnnxSignatureError(f"corrupt ONNX model: malformed dims at byte {offset:,}")
            values.append(_signed(value))
        return values

    def entry(self, start: int, end: int) -> tuple[str, str]:
        """A StringStringEntryProto (metadata_props, external_data): key and value."""
        key, value_text = "", ""
        for number, wire, value, offset in self.fields(start, end, "entry"):
            if number == 1 and wire == 2:
                key = self.text_head(offset, value)
            elif number == 2 and wire == 2:
                value_text = self.text_head(offset, value)
        return key, value_text

    def text_head(self, offset: int, length: int) -> str:
        """Free text kept for people (a doc string): its first TEXT_SHOWN bytes, never an error
        for being long."""
        text = self.text(offset, min(length, TEXT_SHOWN))
        return text + ("…" if length > TEXT_SHOWN else "")

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


_FIELD_NAMES = {
    ("model", 2): "producer_name",
    ("model", 3): "producer_version",
    ("model", 4): "domain",
    ("model", 5): "model_version",
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

OnnxWalker.field_names = _FIELD_NAMES
