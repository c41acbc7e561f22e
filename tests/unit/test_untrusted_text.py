"""Text written by others is shown, never obeyed: an event message carrying a clipboard write
(OSC 52), a screen clear, a right-to-left override and Rich markup reaches every rendering of a
report, a kubectl-style table and the console's cells as visible characters."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from xml.etree import ElementTree

import pytest

from checks.capture.offline import diagnose_offline, offline_context
from checks.cluster.kinds import EVENTS
from checks.engine.report import RENDERERS
from checks.resources.tables import table
from checks.text import one_line, visible
from tests.helpers import listing, recorded_raw, recorded_snapshot
from tui.cells import row

HOSTILE = "\x1b]52;c;SGVsbG8=\x07\x1b[2J[@click=app.quit]CLICK[/] \u202eevil\x9b1m"
RAW_BYTES = ("\x1b", "\x07", "\u202e", "\x9b")


def hostile_project() -> dict:
    raw = recorded_raw("unschedulable")
    for event in raw["events"]:
        event["message"] = HOSTILE
        event["lastTimestamp"] = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return raw


def test_control_characters_and_overrides_are_made_visible() -> None:
    shown = visible(HOSTILE)
    assert not any(char in shown for char in RAW_BYTES)
    assert shown.startswith("␛]52;c;SGVsbG8=␇␛[2J")
    assert "\\u202e" in shown and "\\x9b" in shown
    assert visible("line one\n\tline two") == "line one\n\tline two"
    assert one_line("a\nb") == "a b"


@pytest.mark.parametrize("output", ["table", "json", "markdown", "junit"])
def test_every_report_format_shows_a_hostile_event_message_as_text(output: str) -> None:
    facts = {"bucket": None, "listing": listing(("iris/m.onnx", 1))}
    ctx = offline_context(
        recorded_snapshot("unschedulable", hostile_project()), "iris-model", facts
    )
    report = asyncio.run(diagnose_offline(ctx))
    rendered = RENDERERS[output](report)
    assert not any(char in rendered for char in RAW_BYTES), output
    if output == "junit":
        ElementTree.fromstring(rendered)  # valid XML, always
    if output == "table":
        assert "␛]52;c;SGVsbG8=␇" in rendered


def test_tables_and_console_cells_show_it_as_text() -> None:
    snapshot = recorded_snapshot("unschedulable", hostile_project())
    event = snapshot.events[0]
    printed = table(("MESSAGE",), [(event.message,)])
    assert not any(char in printed for char in RAW_BYTES)
    cells = row(EVENTS, event, snapshot)
    plain = " ".join(getattr(c, "plain", str(c)) for c in cells)
    assert not any(char in plain for char in RAW_BYTES)
    assert "[@click=app.quit]CLICK[/]" in plain  # a Text object: markup stays words
