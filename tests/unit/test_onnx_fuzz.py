"""Truncated, mutated and random bytes: the reader answers or raises OnnxSignatureError, nothing
else, and never hangs. Where protobuf itself also reads the damaged bytes, both agree."""

from __future__ import annotations

import functools

import onnx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checks.model_files.onnx import (
    OnnxSignature,
    OnnxSignatureError,
    RangeReaderSource,
    read_signature,
)
from tests.helpers import (
    expected_signature,
    forest_model,
    if_model,
    kmeans_model,
    observed,
    two_input_model,
)


@functools.cache
def seeds() -> tuple[bytes, ...]:
    """Small real models covering what the walker reads: symbolic dims, initializers listed as
    IR 3 inputs, a sequence of maps (ZipMap), subgraphs."""
    return (
        two_input_model(),
        two_input_model(opset=7, ir_version=3),
        kmeans_model(),
        forest_model(),
        if_model(depth=2),
    )


def fuzz(examples: int) -> settings:
    """Sized so that the whole file runs in a few seconds (a 20,000-example run found nothing)."""
    return settings(
        max_examples=examples, deadline=None, suppress_health_check=[HealthCheck.too_slow]
    )


EDITS = st.lists(
    st.tuples(st.floats(0, 1), st.integers(0, 255), st.sampled_from(["set", "insert", "delete"])),
    min_size=1,
    max_size=6,
)


def attempt(data: bytes) -> OnnxSignature | OnnxSignatureError:
    """Read, allowing only OnnxSignatureError; the reader's safety net must never be needed."""
    try:
        return read_signature(data)
    except OnnxSignatureError as error:
        message = str(error)
        assert message and "\n" not in message
        assert error.__cause__ is None, f"an unexpected {error.__cause__!r} reached the net"
        return error


def mutate(data: bytes, edits: list[tuple[float, int, str]]) -> bytes:
    out = bytearray(data)
    for where, byte, how in edits:
        index = min(int(where * len(out)), max(len(out) - 1, 0))
        if how == "insert":
            out.insert(index, byte)
        elif out and how == "set":
            out[index] = byte
        elif out:
            del out[index]
    return bytes(out)


def agrees_with_protobuf(data: bytes, result: OnnxSignature | OnnxSignatureError) -> None:
    """When both the reader and protobuf accept damaged bytes, they must read the same thing."""
    if isinstance(result, OnnxSignatureError):
        return
    try:
        model = onnx.load_from_string(data)
    except Exception:  # protobuf refuses what the reader stepped over unread: allowed
        return
    assert observed(result) == expected_signature(model)


@fuzz(300)
@given(which=st.integers(0, len(seeds()) - 1), cut=st.floats(0, 1))
def test_truncations(which: int, cut: float) -> None:
    data = seeds()[which]
    attempt(data[: int(len(data) * cut)])


@fuzz(1000)
@given(which=st.integers(0, len(seeds()) - 1), edits=EDITS)
def test_mutations(which: int, edits: list[tuple[float, int, str]]) -> None:
    data = mutate(seeds()[which], edits)
    agrees_with_protobuf(data, attempt(data))


@fuzz(300)
@given(st.binary(max_size=512))
def test_random_bytes(data: bytes) -> None:
    attempt(data)


@fuzz(400)
@given(
    which=st.integers(0, len(seeds()) - 1),
    edits=EDITS,
    block=st.integers(1, 4096),
    cache=st.integers(1, 8192),
)
def test_ranged_reads_see_what_bytes_see(
    which: int, edits: list[tuple[float, int, str]], block: int, cache: int
) -> None:
    """Tiny blocks and a tiny cache: every refetch and stitching path of the read-ahead cache."""
    data = mutate(seeds()[which], edits)
    expected = attempt(data)
    source = RangeReaderSource(len(data), lambda a, b: data[a : b + 1], block, cache)
    try:
        got: OnnxSignature | OnnxSignatureError = read_signature(source)
    except OnnxSignatureError as error:
        got = error
    if isinstance(expected, OnnxSignatureError):
        assert str(got) == str(expected)
    else:
        assert isinstance(got, OnnxSignature) and observed(got) == observed(expected)
