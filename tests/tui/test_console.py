"""The console driven by Textual's Pilot against the lab, as a person would use it."""

from __future__ import annotations

from textual.widgets import Input, Log, Select, Static

from checks.engine.runner import Status
from tests.helpers import (
    cut_from,
    drive,
    finished,
    loaded,
    main_screen,
    make_app,
    pin_identity,
    rows,
    screenshot,
    swept,
    text_of,
    until,
)
from tui.screens.diagnosis import DiagnosisScreen
from tui.screens.help import HelpScreen
from tui.screens.logs import LogsScreen
from tui.screens.main import MainScreen
from tui.widgets.header import HeaderBar
from tui.widgets.resource_table import ResourceTable


# -- the main view ---------------------------------------------------------------------------
def test_main_view_shows_projects_panes_and_deployment_state(lab) -> None:
    async def scenario(pilot) -> None:
        screen = await main_screen(pilot)
        projects = {r[1] for r in rows(screen.query_one("#projects", ResourceTable))}
        assert {"iris-project", "wrong-path", "pricing-project"} <= projects
        deployments = rows(screen.query_one("#table-deployments", ResourceTable))
        assert deployments[0] == [
            "iris-model",
            "✓ Loaded",
            "modelmesh",
            "onnx:1",
            "model-server",
            "isvc",
        ]
        header = screen.query_one(HeaderBar)
        assert header.text.startswith("context lab-admin · user lab-admin · namespace iris-project")
        assert f"server {lab['api']}" in header.text
        assert text_of(header.query_one("#read-only", Static)) == "read-only"
        # the summary says the stale failure is stale, rather than alarming
        details = text_of(screen.query_one("#details", Static))
        assert "stale, the model is Loaded" in details and "d diagnose" in details
        pin_identity(screen)
        screen.query_one("#table-deployments").focus()
        await swept(pilot, screen)  # the README picture: every project mark in
        screenshot(pilot, "main.svg")

        screen.select_project("wrong-path")
        await loaded(pilot, screen, "wrong-path")
        state = rows(screen.query_one("#table-deployments", ResourceTable))[0][1]
        assert state == "✗ FailedToLoad · CrashLoopBackOff (Error)"
        await pilot.press("4")
        events = rows(screen.query_one("#table-events", ResourceTable))
        assert any(r[1] == "⚠ Warning" for r in events), events
        assert "⚠" in str(screen.query_one("#tabs").get_tab("tab-events").label)
        status = text_of(screen.query_one("#status", Static))
        assert "warning event" in status and "1 deployment(s) failed" in status

    drive(make_app(lab, background_diagnosis=True), scenario)


def test_keyboard_only_to_the_root_cause_then_rerun_and_export(lab, tmp_path, monkeypatch) -> None:
    """p, / and a few letters, enter, 1, d: the diagnosis arrives check by check."""
    monkeypatch.chdir(tmp_path / "..")  # nothing may land in the current directory
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    arrivals: list[tuple[int, bool]] = []
    arrived = DiagnosisScreen._arrived

    def spy(self: DiagnosisScreen, result) -> None:
        arrived(self, result)
        arrivals.append((len(self.results), self.report is None))

    monkeypatch.setattr(DiagnosisScreen, "_arrived", spy)

    async def scenario(pilot) -> None:
        await until(pilot, lambda: isinstance(pilot.app.screen, MainScreen))
        screen = pilot.app.screen
        await loaded(pilot, screen, "iris-project")
        await pilot.press("p", "slash", *"wrong-pa", "enter")
        await loaded(pilot, screen, "wrong-path")
        await pilot.press("1", "d")
        await finished(pilot)
        diagnosis = pilot.app.screen
        # live: one row more per finished check, every one before the report was complete
        assert [n for n, _ in arrivals] == list(range(1, len(diagnosis.report.results) + 1))
        assert all(running for _, running in arrivals)
        root = diagnosis.report.result("bucket-path")
        assert root.status == Status.FAIL and '"fraud/"' in root.summary
        first = [str(c) for c in diagnosis.query_one("#checks").get_row_at(0)]
        assert first[:2] == ["✗", "Model files in the bucket"] and cut_from(first[2], root.summary)
        verdict = text_of(diagnosis.query_one("#verdict", Static))
        assert verdict.startswith("✗ root cause: Model files in the bucket — nothing under")
        details = text_of(diagnosis.query_one("#check-details", Static))
        assert "evidence" in details and "fix" in details and root.remediation in details
        blocked = [str(c) for c in diagnosis.query_one("#checks").get_row_at(2)]
        assert blocked[0] == "-" and "blocked by bucket-path" in blocked[2]
        await pilot.press("enter")
        assert diagnosis.has_class("-expanded")
        await pilot.press("enter")
        assert not diagnosis.has_class("-expanded")
        screenshot(pilot, "diagnosis.svg")

        await pilot.press("e")
        exported = tmp_path / "rhoai-doctor" / "reports" / "rhoai-doctor-wrong-path-fraud.md"
        assert exported.exists() and "bucket-path" in exported.read_text()
        assert str(exported) in text_of(diagnosis.query_one("#status", Static))
        assert pilot.app.clipboard == str(exported)  # OSC 52: the path, to paste elsewhere
        assert not (tmp_path / ".." / "rhoai-doctor-wrong-path-fraud.md").exists()

        arrivals.clear()
        before = diagnosis.snapshot
        await pilot.press("r")  # a re-run reads the project again: it must see a fix
        await until(pilot, lambda: diagnosis.snapshot is not before and len(arrivals) > 5)
        await finished(pilot)
        assert diagnosis.report.result("bucket-path").status == Status.FAIL
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(pilot.app.screen, MainScreen))

    drive(make_app(lab), scenario)


def test_filter_narrows_the_focused_list_and_keeps_letters(lab) -> None:
    async def scenario(pilot) -> None:
        screen = await main_screen(pilot)
        projects = screen.query_one("#projects", ResourceTable)
        await pilot.press("p", "slash", *"wrong")
        assert [r[1] for r in rows(projects)] == ["wrong-path", "wrong-secret"]
        # letters typed into the filter are text, not the d/r/l/q keys
        await pilot.press("backspace", *"dr")
        assert isinstance(pilot.app.screen, MainScreen) and projects.row_count == 0
        box = screen.query_one("#filter", Input)
        assert box.value == "wrondr"
        await pilot.press("escape")
        assert not box.display and projects.row_count > 10 and projects.has_focus

        await pilot.press("5", "slash", *"token")
        secrets = screen.query_one("#table-secrets", ResourceTable)
        assert secrets.row_count >= 1 and all("token" in " ".join(r) for r in rows(secrets))
        await pilot.press("enter")
        assert secrets.has_focus and box.display  # the filter stays, and says so
        await pilot.press("1")
        assert not box.display  # the deployments list has no filter
        await pilot.press("5")
        assert box.display and box.value == "token"
        await pilot.press("escape")
        assert secrets.filter_text == "" and not box.display

    drive(make_app(lab), scenario)


def test_enter_drills_in_and_help_lists_the_keys(lab) -> None:
    async def scenario(pilot) -> None:
        await main_screen(pilot, "unschedulable")
        await pilot.press("question_mark")
        assert isinstance(pilot.app.screen, HelpScreen)
        keys = pilot.app.screen.text()
        for words in ("Diagnose", "Filter", "Reveal", "1…7", "ctrl+p", "read-only"):
            assert words in keys, words
        await pilot.press("escape")
        await pilot.press("1", "enter")
        await finished(pilot)
        await pilot.press("question_mark")
        keys = pilot.app.screen.text()
        assert "Re-run" in keys and "Export" in keys
        await pilot.press("escape", "escape")
        await pilot.press("6", "enter")
        await until(pilot, lambda: isinstance(pilot.app.screen, LogsScreen))

    drive(make_app(lab), scenario)


def test_command_palette_jumps_diagnoses_and_switches_context(lab) -> None:
    async def palette(pilot, words: str) -> None:
        """Open it, type the words (all at once: each keystroke searches), take the first hit."""
        from textual.command import CommandPalette

        await pilot.press("ctrl+p")
        await until(pilot, lambda: isinstance(pilot.app.screen, CommandPalette))
        pilot.app.screen.query_one(Input).value = words
        await pilot.pause(0.4)
        await pilot.press("down", "enter")

    async def scenario(pilot) -> None:
        screen = await main_screen(pilot)
        await palette(pilot, "project bucket-typo")
        await loaded(pilot, screen, "bucket-typo")

        await palette(pilot, "diagnose wrong-path/fraud")
        await finished(pilot)
        assert pilot.app.screen.deployment.namespace == "wrong-path"
        assert screen.project == "wrong-path"

        await palette(pilot, "context developer")
        await until(
            pilot,
            lambda: (
                isinstance(pilot.app.screen, MainScreen)
                and pilot.app.screen is not screen
                and pilot.app.screen.snapshot is not None
            ),
        )
        assert "user developer" in pilot.app.screen.query_one(HeaderBar).text

    drive(make_app(lab), scenario)


# -- pods and logs ---------------------------------------------------------------------------
def test_logs_of_a_failing_init_container_previous_tail_follow_search(lab) -> None:
    async def scenario(pilot) -> None:
        screen = await main_screen(pilot, "wrong-path")
        await pilot.press("6")
        details = text_of(screen.query_one("#details", Static))
        assert "init storage-initializer  waiting CrashLoopBackOff" in details
        await pilot.press("l")
        await until(pilot, lambda: isinstance(pilot.app.screen, LogsScreen))
        logs = pilot.app.screen
        assert logs.container == "storage-initializer"  # the troubled one, not the first
        log = logs.query_one("#log", Log)
        await until(pilot, lambda: any("No model found in fraud-model" in x for x in log.lines))
        options = [str(label) for label, _ in logs.query_one(Select)._options]
        assert any(o.startswith("init storage-initializer · CrashLoopBackOff") for o in options)
        status = logs.query_one("#status", Static)

        await pilot.press("slash", *"runtimeerror")
        await until(pilot, lambda: len(log.lines) == 1)
        assert "RuntimeError: Failed to fetch model" in log.lines[0]
        assert "1 line(s)" in text_of(status)
        await pilot.press("escape")  # leaves the box, keeps the search
        assert len(log.lines) == 1 and log.has_focus
        await pilot.press("escape")  # clears the search
        await until(pilot, lambda: len(log.lines) > 1)

        await pilot.press("a")
        await until(pilot, lambda: "all lines" in text_of(status))
        await pilot.press("f")
        assert "following" in text_of(status)
        await pilot.press("f", "p")
        await until(pilot, lambda: "previous instance" in text_of(status))
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(pilot.app.screen, MainScreen))

        screen.select_project("oom-crashloop")
        await loaded(pilot, screen, "oom-crashloop")
        await pilot.press("6", "l")
        await until(pilot, lambda: isinstance(pilot.app.screen, LogsScreen))
        logs = pilot.app.screen
        assert logs.container == "kserve-container"
        await pilot.press("p")  # the instance that was OOMKilled
        log = logs.query_one("#log", Log)
        await until(pilot, lambda: any("Loading model: iris" in x for x in log.lines))

    drive(make_app(lab), scenario)
