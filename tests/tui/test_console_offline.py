"""The console on a capture (`rhoai-doctor --from BUNDLE`), at 80x24 as over SSH: the header says
it is offline and when it was captured; the panes, diagnosis and logs come from the file; the
live-only keys say why they do nothing."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from textual.widgets import Log

from lab.control import env_vars
from tests.helpers import console, cut_from, drive, main_screen, rows, screenshot, swept, until
from tests.helpers.doctor_cli import run_doctor
from tui.screens.composer import ComposerScreen
from tui.screens.diagnosis import DiagnosisScreen
from tui.screens.logs import LogsScreen
from tui.screens.main import MainScreen
from tui.widgets.header import HeaderBar
from tui.widgets.resource_table import ResourceTable

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def bundle(lab, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("offline") / "wrong-path.tar.gz"
    argv = ["bundle", "-n", "wrong-path", "--all", "-o", str(path)]
    out = run_doctor(
        [*argv],
        timeout=120,
        cwd=ROOT,
        env={**os.environ, **env_vars(lab)},
    )
    assert out.returncode == 0, out.stderr
    return path


def toasts(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


def test_offline_console_header_panes_diagnosis_logs_and_live_only_keys(bundle) -> None:
    async def scenario(pilot) -> None:
        screen = await main_screen(pilot, "wrong-path")
        header = screen.query_one(HeaderBar).text
        assert header.startswith("offline · captured 20") and "from lab-admin" in header
        deployments = rows(screen.query_one("#table-deployments", ResourceTable))
        assert deployments[0][0] == "fraud"
        assert cut_from(deployments[0][1], "✗ FailedToLoad · CrashLoopBackOff (Error)")
        screen.query_one("#table-deployments").focus()
        await swept(pilot, screen)  # the README picture: every project mark in
        screenshot(pilot, "offline.svg")

        await pilot.press("r")  # refresh: nothing to read again
        await until(
            pilot, lambda: any("refresh is not available offline" in t for t in toasts(pilot.app))
        )

        await pilot.press("d")
        await until(pilot, lambda: isinstance(pilot.app.screen, DiagnosisScreen))
        diagnosis = pilot.app.screen
        await until(pilot, lambda: diagnosis.report is not None)
        roots = [r.id for r in diagnosis.report.root_causes]
        assert roots == ["bucket-path"]
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(pilot.app.screen, MainScreen))

        await pilot.press("6", "l")
        await until(pilot, lambda: isinstance(pilot.app.screen, LogsScreen))
        log = pilot.app.screen.query_one("#log", Log)
        await until(pilot, lambda: any("No model found in fraud-model" in x for x in log.lines))
        await pilot.press("f")
        await until(pilot, lambda: any("follow" in t and "offline" in t for t in toasts(pilot.app)))
        assert not pilot.app.screen.following
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(pilot.app.screen, MainScreen))

        await pilot.press("1", "i")  # the composer: nothing is sent from a recording
        await until(pilot, lambda: isinstance(pilot.app.screen, ComposerScreen))
        await pilot.press("ctrl+s")
        await until(
            pilot, lambda: any("send is not available offline" in t for t in toasts(pilot.app))
        )
        notes = str(pilot.app.screen.query_one("#notes").render())
        assert "offline capture" in notes and "needs the live cluster" in notes

    app = console("--from", str(bundle))
    app.show_clock = False
    drive(app, scenario, size=(80, 24))
