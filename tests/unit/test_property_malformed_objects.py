"""Any shape the API can return: one field of one recorded lab object replaced by a value of the
wrong type (or deleted), then the snapshot built, every kind rendered as `get` prints it (table,
wide, json, yaml) and as the console's panes draw it, and every deployment diagnosed and its
report rendered in every format. Nothing raises; a mutated object is read or named unreadable."""

from __future__ import annotations

import asyncio
import copy
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checks.capture.offline import diagnose_offline, offline_context
from checks.cluster.kinds import VIEWS
from checks.engine.report import RENDERERS
from rhoai_doctor.commands.get import render
from tests.helpers import recorded_raw, recorded_snapshot
from tui.cells import row

PROJECTS = ("iris-project", "pricing-project", "oom-crashloop", "route-disabled")
RAW = {project: recorded_raw(project) for project in PROJECTS}
WRONG = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True),
    st.text(max_size=20),
    st.just("\x1b]52;c;SGVsbG8=\x07[/nope]"),
    st.just("x" * 100_000),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
    st.just([[[[[]]]]]),
)


def containers(value: Any) -> list[tuple[Any, Any]]:
    """(container, key) for every place inside `value` a value can be replaced."""
    found: list[tuple[Any, Any]] = []
    if isinstance(value, dict):
        for key, inner in value.items():
            found.append((value, key))
            found += containers(inner)
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            found.append((value, index))
            found += containers(inner)
    return found


@st.composite
def mutated(draw) -> tuple[str, dict]:
    project = draw(st.sampled_from(PROJECTS))
    raw = copy.deepcopy(RAW[project])
    kind = draw(st.sampled_from(sorted(k for k, items in raw.items() if items)))
    index = draw(st.integers(0, len(raw[kind]) - 1))
    places = containers(raw[kind][index])
    if not places or draw(st.integers(0, 9)) == 0:
        raw[kind][index] = draw(WRONG)  # the whole object is not an object
        return project, raw
    container, key = draw(st.sampled_from(places))
    if isinstance(container, dict) and draw(st.booleans()):
        del container[key]
    else:
        container[key] = draw(WRONG)
    return project, raw


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_a_mutated_object_never_breaks_get_the_panes_or_the_diagnosis(case) -> None:
    project, raw = case
    snapshot = recorded_snapshot(project, raw)
    for view in VIEWS:
        objects = view.objects(snapshot)
        for output in ("table", "wide", "json", "yaml"):
            render(objects, view, snapshot, output, False)
        for obj in objects:
            row(view, obj, snapshot)
    for deployment in snapshot.deployments:
        snapshot.state_of(deployment)
        if deployment.namespace != project:  # a mutated namespace: not in this project
            continue
        ctx = offline_context(snapshot, deployment.name, {})
        report = asyncio.run(diagnose_offline(ctx))
        for renderer in RENDERERS.values():
            renderer(report)
    lines = sum(len(v) for v in snapshot.unreadable.values())
    read = sum(len(v.objects(snapshot)) for v in VIEWS)
    assert read + lines > 0
