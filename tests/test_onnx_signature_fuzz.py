"""Truncated and mutated models: the reader answers or raises OnnxSignatureError, nothing else,
and never hangs."""

from __future__ import annotations

import functools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checks.onnx_signature import OnnxSignatureError, read_signature
from lab.models import build_iris_linear, build_pricing


@functools.cache
def seeds() -> tuple[bytes, ...]:
    return (build_pricing(), build_iris_linear(17))


def survives(data: bytes) -> None:
    try:
        read_signature(data)
    except OnnxSignatureError as error:
        assert str(error) and "\n" not in str(error)


FUZZ = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(which=st.integers(0, 1), cut=st.floats(0, 1))
def test_truncations(which: int, cut: float) -> None:
    data = seeds()[which]
    survives(data[: int(len(data) * cut)])


@FUZZ
@given(
    which=st.integers(0, 1),
    edits=st.lists(
        st.tuples(
            st.floats(0, 1), st.integers(0, 255), st.sampled_from(["set", "insert", "delete"])
        ),
        min_size=1,
        max_size=8,
    ),
)
def test_mutations(which: int, edits: list) -> None:
    data = bytearray(seeds()[which])
    for where, byte, how in edits:
        index = min(int(where * len(data)), max(len(data) - 1, 0))
        if how == "set" and data:
            data[index] = byte
        elif how == "insert":
            data.insert(index, byte)
        elif data:
            del data[index]
    survives(bytes(data))


@FUZZ
@given(st.binary(max_size=512))
def test_random_bytes(data: bytes) -> None:
    survives(data)
