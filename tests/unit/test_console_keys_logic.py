"""The console's k9s keys without a terminal: what `:` accepts (the same words as `get`), how
S sorts cells, and where `o` jumps from recorded lab objects."""

from __future__ import annotations

import pytest
from rich.text import Text

from checks.cluster import kinds
from tests.helpers.recorded import recorded_snapshot
from tui.related import deployment_of, places
from tui.screens.command_line import Command, accepted, parse
from tui.sorting import cell_key, ordered


@pytest.mark.parametrize("alias", sorted(kinds.ALIASES))
def test_every_get_alias_is_a_console_command(alias: str) -> None:
    command = parse(f":{alias}")
    assert command is not None
    expected = kinds.normalise(alias)
    assert command.verb == ("projects" if expected == "projects" else expected)


def test_command_words() -> None:
    assert parse(":isvc iris-model") == Command("deployments", "iris-model", ":isvc iris-model")
    assert parse("ns wrong-path") == Command("projects", "wrong-path", "ns wrong-path")
    assert parse(":ctx developer") == Command("context", "developer", ":ctx developer")
    assert parse(":q").verb == parse(":quit").verb == "quit"
    assert parse(":nonsense") is None
    said = accepted()
    for v in kinds.VIEWS:
        assert f":{v.name}" in said
    assert "isvc" in said and "runtime" in said and ":ns NAME" in said


def test_sort_keys_numbers_ages_and_ready_counts_in_their_order() -> None:
    cells = ["10", "9", Text("2d"), "45s", "3h", "1/2", "0/1", "beta", Text("Alpha")]
    ranked = sorted(cells, key=cell_key)
    assert [c.plain if isinstance(c, Text) else c for c in ranked] == [
        "0/1", "1/2", "9", "10", "45s", "3h", "2d", "Alpha", "beta",
    ]  # fmt: skip
    rows = [("a", ("b",), None), ("b", ("a",), None), ("c", ("a",), None)]
    assert ordered(rows, 0, False) == [1, 2, 0]  # stable: equal cells keep the API's order
    assert ordered(rows, 0, True) == [0, 1, 2]
    assert ordered(rows, None, False) == [0, 1, 2]


def test_related_places_of_a_kserve_deployment_and_its_pod() -> None:
    snapshot = recorded_snapshot("wrong-path")
    dep = snapshot.deployment("fraud")
    found = {p.letter: p for p in places(dep, snapshot)}
    assert found["r"].tab == "servers" and found["r"].key == dep.runtime
    assert found["c"].tab == "connections" and found["c"].key == dep.connection_name
    assert found["e"].tab == "events" and found["e"].filter == "fraud"
    pod = snapshot.pods_for(dep)[0]
    assert found["p"].key == pod.name
    assert deployment_of(pod, snapshot) == dep
    back = places(pod, snapshot)
    assert back[0].tab == "deployments" and back[0].key == "fraud"
