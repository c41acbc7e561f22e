"""The ONNX signature reader on damage (one clear error), and its cost over ranged reads."""

from __future__ import annotations

import pickle
import random
import re
from pathlib import Path

import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper, numpy_helper

from checks.model_files.onnx import (
    ByteSource,
    OnnxSignature,
    OnnxSignatureError,
    RangeReaderSource,
    read_signature,
    read_signature_from_range_reader,
)
from tests.helpers import (
    MiB,
    _length_header,
    _message,
    _varint,
    if_model,
    kmeans_model,
    two_input_model,
)

# -- errors ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "kind", "words"),
    [
        (b"", "not-onnx", "not an ONNX model: the file is empty"),
        (
            pickle.dumps({"weights": [1, 2]}),
            "not-onnx",
            r"not an ONNX model: the file starts with b'\\x80\\x04\\x95.*' \(a Python pickle\?\)",
        ),
        (pickle.dumps([1], protocol=2), "not-onnx", r"a Python pickle\?"),
        (b"<!DOCTYPE html><html><body>MinIO Console</body></html>", "not-onnx", "an HTML page"),
        (b"  <html><body>502 Bad Gateway</body></html>", "not-onnx", "an HTML page"),
        (b'<?xml version="1.0"?><net name="ir">', "not-onnx", "OpenVINO IR"),
        (b'{"inputs": []}', "not-onnx", "a JSON document"),
        (b"PK\x03\x04rest-of-a-zip", "not-onnx", "a zip archive"),
        (b"\x89HDF\r\n\x1a\nkeras", "not-onnx", "HDF5"),
        (b"version https://git-lfs.github.com/spec/v1\noid sha256:", "not-onnx", "Git LFS"),
        (b"just some notes about the model\n", "not-onnx", r"\(a text file\?\)"),
        (b"\x08\x07", "not-onnx", "not an ONNX model: no graph found in 2 bytes"),
        (
            b"\x08\x07\x3a\xff\xff\xff\xff\x0f",
            "truncated",
            "field graph at byte 8 wants 4,294,967,295 bytes but only 0 remain",
        ),
        (b"\x08\x07\x00\x01", "corrupt", "field number 0 at byte 2"),
        (b"\x08\x07\x3b", "corrupt", "field 7 of the model at byte 2 has wire type 3"),
        (b"\x08\xff\xff", "truncated", "the file ends inside a field of the model at byte 0"),
    ],
)
def test_what_is_not_a_model_gets_a_clear_error(data: bytes, kind: str, words: str) -> None:
    with pytest.raises(OnnxSignatureError) as raised:
        read_signature(data)
    assert re.search(words, str(raised.value)), str(raised.value)
    assert raised.value.kind == kind and "\n" not in str(raised.value)


def test_a_pickled_numpy_model_file(tmp_path: Path) -> None:
    path = tmp_path / "mymodel.pkl"
    path.write_bytes(pickle.dumps(np.poly1d([0.02, 1.5, 40.0])))
    with pytest.raises(OnnxSignatureError, match=r"starts with b'\\x80.*a Python pickle\?"):
        read_signature(path)


def test_a_missing_file_is_an_os_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        read_signature(tmp_path / "nope.onnx")


@pytest.mark.parametrize("fraction", [0.02, 0.1, 0.3, 0.5, 0.7, 0.9, 0.99])
def test_truncated_models_say_where_and_how_much(fraction: float) -> None:
    data = kmeans_model()
    cut = int(len(data) * fraction)
    with pytest.raises(OnnxSignatureError) as raised:
        read_signature(data[:cut])
    message = str(raised.value)
    assert raised.value.kind == "truncated" and message.startswith("truncated ONNX model: ")
    found = re.search(
        r"field graph at byte ([\d,]+) wants ([\d,]+) bytes but only ([\d,]+) remain", message
    )
    if found:
        at, wants, remain = (int(g.replace(",", "")) for g in found.groups())
        assert remain == cut - at and wants == len(
            onnx.load_from_string(data).graph.SerializeToString()
        )


def test_random_bytes_are_not_a_model() -> None:
    rng = random.Random(7)
    for _ in range(200):
        data = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 400)))
        with pytest.raises(OnnxSignatureError):
            read_signature(data)


def test_subgraphs_nested_too_deep_are_refused() -> None:
    assert "com.example" in read_signature(if_model(depth=30)).operator_domains
    graph = _message(1, _message(4, b"Custom"))
    for _ in range(40):  # deeper than protobuf lets onnx.helper build: written by hand
        attribute = _message(1, b"else_branch") + _message(6, graph)
        graph = _message(1, _message(4, b"If") + _message(5, attribute))
    with pytest.raises(OnnxSignatureError, match="subgraphs nested more than 32 deep"):
        read_signature(b"\x08\x08" + _message(7, graph))


def test_an_object_shorter_than_its_listed_size_is_truncated() -> None:
    data = two_input_model()
    with pytest.raises(OnnxSignatureError, match="shorter than its listed size") as raised:
        read_signature_from_range_reader(len(data) + 100, lambda a, b: data[a : b + 1])
    assert raised.value.kind == "truncated"


# -- ranged reads ------------------------------------------------------------------------------


class CountingReader:
    """A stand-in for S3 ranged GETs that records every request."""

    def __init__(self, data: bytes, ignore_range: bool = False) -> None:
        self.data = data
        self.ignore_range = ignore_range
        self.calls: list[tuple[int, int]] = []

    def __call__(self, start: int, end: int) -> bytes:
        self.calls.append((start, end))
        return self.data if self.ignore_range else self.data[start : end + 1]


def test_a_small_model_takes_one_request() -> None:
    data = kmeans_model()
    reader = CountingReader(data)
    sig = read_signature_from_range_reader(len(data), reader)
    assert [s.name for s in sig.inputs] == ["X"]
    assert reader.calls == [(0, len(data) - 1)] and sig.bytes_read == len(data)


def test_many_large_initializers_cost_one_small_request_each() -> None:
    """A block of read-ahead per initializer would fetch most of the weights."""
    count, floats = 24, 256 * 1024  # 24 initializers of 1 MiB
    weights = [numpy_helper.from_array(np.zeros(floats, np.float32), f"w{i}") for i in range(count)]
    graph = helper.make_graph(
        [helper.make_node("Sum", ["x"] + [w.name for w in weights], ["y"])],
        "many",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [floats])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [floats])],
        initializer=weights,
    )
    data = helper.make_model(graph).SerializeToString()
    reader = CountingReader(data)
    source = RangeReaderSource(len(data), reader)
    sig = read_signature(source)
    assert len(sig.initializer_names) == count and [s.name for s in sig.inputs] == ["x"]
    assert source.requests == len(reader.calls) <= count + 3
    assert sig.bytes_read == source.bytes_read < 2 * MiB < len(data) // 10


def test_a_server_that_ignores_range_still_works() -> None:
    data = two_input_model()
    reader = CountingReader(data, ignore_range=True)
    source = RangeReaderSource(len(data), reader, block=64)
    assert [s.name for s in read_signature(source).inputs] == ["features", "discount"]


def test_the_cache_answers_repeated_reads() -> None:
    data = bytes(range(256)) * 4096
    reader = CountingReader(data)
    source = RangeReaderSource(len(data), reader, block=4096)
    assert source.read(10, 5) == data[10:15] and source.read(100, 50) == data[100:150]
    assert source.read(len(data) - 3, 10) == data[-3:] and source.read(len(data), 1) == b""
    assert len(reader.calls) == 2 and source.size() == len(data)


# -- a 1 GiB model ----------------------------------------------------------------------------


class SyntheticBigModel:
    """A ModelProto whose one initializer holds `payload` zero bytes, synthesised on demand and
    never stored. As onnx.save writes them, the inputs and outputs come after the weights."""

    def __init__(self, payload: int) -> None:
        model = onnx.load_from_string(two_input_model())
        tensor = numpy_helper.from_array(np.zeros(0, np.float32), "big").SerializeToString()
        tensor += _length_header(9, payload)  # raw_data
        nodes = b"".join(_message(1, n.SerializeToString()) for n in model.graph.node)
        io = b"".join(_message(11, v.SerializeToString()) for v in model.graph.input)
        io += b"".join(_message(12, v.SerializeToString()) for v in model.graph.output)
        graph_head = nodes + _length_header(5, len(tensor) + payload) + tensor
        self.prefix = (
            b"\x08"
            + _varint(model.ir_version)
            + _length_header(7, len(graph_head) + payload + len(io))
            + graph_head
        )
        self.suffix = io + b"".join(_message(8, o.SerializeToString()) for o in model.opset_import)
        self.payload = payload
        self.requested = 0

    def size(self) -> int:
        return len(self.prefix) + self.payload + len(self.suffix)

    def read(self, offset: int, length: int) -> bytes:
        self.requested += length
        end = min(offset + length, self.size())
        tail = len(self.prefix) + self.payload
        out = bytearray()
        for lo, hi, fill in (
            (0, len(self.prefix), self.prefix),
            (len(self.prefix), tail, None),
            (tail, self.size(), self.suffix),
        ):
            a, b = max(offset, lo), min(end, hi)
            if a < b:
                out += bytes(b - a) if fill is None else fill[a - lo : b - lo]
        return bytes(out)


def check_big(sig: OnnxSignature) -> None:
    assert [(s.name, s.dims) for s in sig.inputs] == [
        ("features", ("batch", 3)),
        ("discount", ("batch", 1)),
    ]
    assert sig.initializer_names == ("big",) and sig.opset_imports == {"ai.onnx": 17}


def test_a_1_gib_model_through_ranged_reads_costs_under_a_mebibyte() -> None:
    model = SyntheticBigModel(1024**3)
    assert model.size() > 1024**3
    source = RangeReaderSource(model.size(), lambda a, b: model.read(a, b - a + 1))
    sig = read_signature(source)
    check_big(sig)
    assert sig.bytes_read < MiB and model.requested < MiB and source.requests <= 3


def test_a_1_gib_model_as_a_plain_byte_source() -> None:
    model = SyntheticBigModel(1024**3)
    source: ByteSource = model
    sig = read_signature(source)
    check_big(sig)
    assert sig.bytes_read == model.requested < MiB


def test_a_1_gib_sparse_file(tmp_path: Path) -> None:
    model = SyntheticBigModel(1024**3)
    path = tmp_path / "big.onnx"
    with open(path, "wb") as file:
        file.write(model.prefix)
        file.seek(len(model.prefix) + model.payload)  # a hole: no 1 GiB written
        file.write(model.suffix)
    if path.stat().st_blocks * 512 > 64 * MiB:
        pytest.skip("this filesystem does not keep sparse files")
    sig = read_signature(path)
    check_big(sig)
    assert sig.bytes_read < MiB


def test_many_weights_close_together_are_swept_concurrently_and_bounded() -> None:
    """Each initializer's header says where the next starts, so one after another they cost a
    round trip each; the sweep fetches the blocks ahead at once (at most 16 in flight) and the
    walk, over the same bytes, finds the same signature."""
    import threading
    import time

    from lab.models_model_dir import build_many_weights

    data = build_many_weights(count=600, floats=5000)  # 12 MB, 20 kB apart
    lock, in_flight, most = threading.Lock(), [0], [0]

    def read_range(start: int, end: int) -> bytes:
        with lock:
            in_flight[0] += 1
            most[0] = max(most[0], in_flight[0])
        time.sleep(0.01)  # long enough for the sweep's GETs to overlap
        with lock:
            in_flight[0] -= 1
        return data[start : end + 1]

    alone = RangeReaderSource(len(data), read_range)
    swept = RangeReaderSource(len(data), read_range, concurrency=16)
    one, other = read_signature(alone), read_signature(swept)
    assert one.initializer_names == other.initializer_names and len(one.initializer_names) == 600
    assert (one.inputs, one.outputs) == (other.inputs, other.outputs)
    assert 1 < most[0] <= 16 and swept.sweeps >= 1
    assert alone.rounds == alone.requests and swept.rounds < alone.rounds / 4
