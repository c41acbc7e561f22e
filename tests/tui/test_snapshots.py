"""How the main screens look, compared with stored SVG snapshots (pytest-textual-snapshot).

What changes from run to run is pinned before a picture is taken: the lab's random API port
(the header), restart counts of the lab's crash loops (frozen pods), and ages (no picture shows
the events pane). Everything else comes from the lab as it is. The same pictures are written to
screenshots/ for the README.
"""

from __future__ import annotations

from textual.widgets import Log

from tests.helpers import (
    SIZE,
    frozen,
    main_screen,
    make_app,
    open_diagnosis,
    pin_identity,
    screenshot,
    swept,
    until,
)
from tui.screens.logs import LogsScreen


def test_main_screen_snapshot(lab, snap_compare) -> None:
    async def prepare(pilot) -> None:
        screen = await main_screen(pilot)
        await swept(pilot, screen)  # the project marks: every verdict in
        pin_identity(screen)
        screen.query_one("#table-deployments").focus()
        await pilot.pause(0.2)

    assert snap_compare(
        make_app(lab, background_diagnosis=True), terminal_size=SIZE, run_before=prepare
    )


def test_main_screen_80x24_no_colour_snapshot(lab, snap_compare, monkeypatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")

    async def prepare(pilot) -> None:
        screen = await main_screen(pilot, "unschedulable")
        await swept(pilot, screen)  # the status line's count: every verdict in
        pin_identity(screen)
        await pilot.press("1")
        await pilot.pause(0.2)

    assert snap_compare(
        make_app(lab, background_diagnosis=True), terminal_size=(80, 24), run_before=prepare
    )


def test_failing_diagnosis_snapshot(lab, snap_compare) -> None:
    async def prepare(pilot) -> None:
        await open_diagnosis(pilot, "unschedulable")
        await pilot.pause(0.2)

    assert snap_compare(
        make_app(lab, background_diagnosis=True), terminal_size=SIZE, run_before=prepare
    )


def test_logs_snapshot(lab, snap_compare) -> None:
    async def prepare(pilot) -> None:
        screen = await main_screen(pilot, "wrong-path")
        pod = frozen(screen.snapshot.pods[0])
        await pilot.app.push_screen(LogsScreen(pod))
        log = pilot.app.screen.query_one("#log", Log)
        await until(pilot, lambda: any("No model found" in line for line in log.lines))
        await pilot.pause(0.2)
        screenshot(pilot, "logs.svg")

    assert snap_compare(
        make_app(lab, background_diagnosis=True), terminal_size=SIZE, run_before=prepare
    )


def test_help_snapshot(lab, snap_compare) -> None:
    async def prepare(pilot) -> None:
        screen = await main_screen(pilot)
        await swept(pilot, screen)
        pin_identity(screen)
        await pilot.press("question_mark")
        await pilot.pause(0.2)

    assert snap_compare(
        make_app(lab, background_diagnosis=True), terminal_size=(80, 24), run_before=prepare
    )


def test_cannot_connect_snapshot(lab, snap_compare) -> None:
    from tui.screens.error import ErrorScreen

    async def prepare(pilot) -> None:
        await until(pilot, lambda: isinstance(pilot.app.screen, ErrorScreen))
        await pilot.pause(0.2)

    app = make_app(lab, "lab-admin", "--server", "https://127.0.0.1:9", background_diagnosis=True)
    assert snap_compare(app, terminal_size=(80, 24), run_before=prepare)


def _svg_text(svg: str) -> str:
    return svg.replace("&#160;", " ")


def test_all_projects_80x24_snapshot(lab, snap_compare) -> None:
    """Every deployment of every project, failing first (the diagnosis verdict's mark), state
    right after the name, then the root cause; the marks' legend under the header."""
    from tui.screens.all_projects import AllProjectsScreen
    from tui.widgets.all_projects import AllProjectsTable

    async def prepare(pilot) -> None:
        await swept(pilot, await main_screen(pilot))
        await pilot.press("0")
        await until(pilot, lambda: isinstance(pilot.app.screen, AllProjectsScreen))
        table = pilot.app.screen.query_one(AllProjectsTable)
        await until(pilot, lambda: table.row_count > 20)
        await pilot.pause(0.2)
        shown = _svg_text(pilot.app.export_screenshot())
        assert "STATE" in shown and "ROOT CAUSE" in shown and "✗ failed" in shown
        assert "auth-denied" in shown and "✗ Loaded" in shown  # it loaded; its token fails
        screenshot(pilot, "all-projects-80x24.svg")

    assert snap_compare(
        make_app(lab, background_diagnosis=True), terminal_size=(80, 24), run_before=prepare
    )


def test_diagnosis_80x24_snapshot(lab, snap_compare) -> None:
    """The root cause, its fix above the evidence, without scrolling at 80x24."""

    async def prepare(pilot) -> None:
        screen = await open_diagnosis(pilot, "unschedulable")
        await pilot.pause(0.2)
        root = next(r for r in screen.report.results if r.status == "fail")
        shown = _svg_text(pilot.app.export_screenshot())
        assert "root cause" in shown and "fix" in shown
        assert " ".join(root.remediation.split()[:3]) in shown
        screenshot(pilot, "diagnosis-80x24.svg")

    assert snap_compare(
        make_app(lab, background_diagnosis=True), terminal_size=(80, 24), run_before=prepare
    )


def test_pods_tab_80x24_snapshot(lab, snap_compare) -> None:
    """A 49-character KServe pod name cut in the middle; STATUS and RESTARTS on screen."""

    async def prepare(pilot) -> None:
        screen = await main_screen(pilot, "oom-crashloop")
        await swept(pilot, screen)  # the status line's count: every verdict in
        pin_identity(screen)
        # The crash loop's next restart must not reach the picture: its watch event is not
        # drawn. (Stopping the watch instead lets the 15 s poll, the fallback for a watch that
        # fails, read the pods again: 18 restarts in the picture when the sweep ended near 15 s.)
        screen.live_snapshot = lambda _snapshot: None
        snapshot = screen.snapshot
        snapshot.pods = [frozen(p) for p in snapshot.pods]
        screen.snapshot = snapshot
        await pilot.press("6")
        await pilot.pause(0.2)
        shown = _svg_text(pilot.app.export_screenshot())
        for words in ("STATUS", "RESTARTS", "CrashLoopBackOff", "…", "OOMKilled"):
            assert words in shown, words

    assert snap_compare(
        make_app(lab, background_diagnosis=True), terminal_size=(80, 24), run_before=prepare
    )
