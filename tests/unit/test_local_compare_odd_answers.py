"""`infer --compare-local` and the console's ctrl+t on any answer a server can send: outputs
that are not objects, data that is not numbers, shapes that do not fit. Each is a disagreement
with a reason, never an exception."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from checks.request.local_run import compare

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4)
    ),
    max_leaves=20,
)
OUTPUT = st.fixed_dictionaries({"name": st.just("label")}, optional={"data": JSON, "shape": JSON})
ANSWER = st.one_of(
    JSON, st.fixed_dictionaries({"outputs": st.one_of(JSON, st.lists(OUTPUT | JSON))})
)


@settings(max_examples=300, deadline=None)
@given(ANSWER)
def test_any_answer_is_compared_without_an_exception(answer) -> None:
    local = {"label": np.array([1, 2], dtype=np.int64)}
    (result,) = compare(local, answer)
    assert result.output == "label" and isinstance(result.detail, str) and result.detail


def test_an_answer_that_matches_agrees() -> None:
    local = {"label": np.array([1, 2], dtype=np.int64)}
    (result,) = compare(local, {"outputs": [{"name": "label", "data": [1, 2], "shape": [2]}]})
    assert result.agrees


def test_an_output_named_by_a_list_is_not_there() -> None:
    local = {"label": np.array([1, 2], dtype=np.int64)}
    (result,) = compare(local, {"outputs": [{"name": []}]})  # found by Hypothesis
    assert not result.agrees and result.detail == "the server did not return it"
