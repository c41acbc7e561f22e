"""The protobuf wire format over a ByteSource: varints, field headers read in chunks, and
length-delimited payloads stepped over by their length, so skipped weights are never fetched."""

from __future__ import annotations

from collections.abc import Iterator

from checks.model_files.onnx.signature import (
    _CHUNK,
    _HEADER,
    _MASK64,
    MAX_NAME,
    OnnxSignatureError,
    Span,
)
from checks.model_files.onnx.sources import ByteSource


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


class WireWalker:
    """Protobuf wire format over a ByteSource. Field headers are read in chunks; a field's
    payload is read only when the walk descends into it, so skipped weights are never fetched."""

    field_names: dict[tuple[str, int], str] = {}  # for error messages: ("model", 7) -> "graph"

    def __init__(self, source: ByteSource, size: int) -> None:
        self._source = source
        self._size = size
        self._buf = b""  # the latest chunk read, reused by whatever lies inside it
        self._base = 0
        self.fetched = 0

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
        name = self.field_names.get((what, number), f"{number}")
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
