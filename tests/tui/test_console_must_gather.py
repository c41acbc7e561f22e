"""The console on an `oc adm must-gather` directory (`rhoai-doctor --from DIR`) at 80x24: the
panes and the diagnosis come from oc's files, the crash's previous log from `previous.log`.

Needs the `--from` plumbing of the bundle branch (checks.capture.load and the capture-backed
session): until both branches are merged it skips, saying so."""

from __future__ import annotations

import importlib.util

import pytest
from textual.widgets import Static

from tests.helpers import console, cut_from, drive, finished, main_screen, rows, text_of
from tests.helpers.must_gather import write_must_gather

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("checks.capture.load") is None,
    reason="needs --from (checks.capture.load) from the bundle branch; runs once merged",
)


def test_the_console_on_a_must_gather_shows_the_crash_and_its_root_cause(lab, tmp_path) -> None:
    top = write_must_gather(lab, tmp_path / "mg", namespaces=["oom-crashloop", "std-healthy"])

    async def scenario(pilot) -> None:
        screen = await main_screen(pilot, "oom-crashloop")
        (row,) = rows(screen.query_one("#table-deployments"))
        assert row[0] == "iris" and cut_from(row[1], "✗ Pending · CrashLoopBackOff (OOMKilled)")
        await pilot.press("1", "d")
        await finished(pilot)
        verdict = text_of(pilot.app.screen.query_one("#verdict", Static))
        assert verdict.startswith("✗ root cause: Runtime pods"), verdict
        assert "OOMKilled" in verdict

    drive(console("--from", str(top)), scenario, size=(80, 24))
