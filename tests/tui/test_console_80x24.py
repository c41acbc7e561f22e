"""The console at 80x24, as over SSH in a small tmux pane (issue 12): the columns that say what
is wrong stay on screen, every cut shows `…`, the project pane folds away and `p` brings it
back, `z` gives the details the whole screen, and the diagnosis' fix shows without scrolling."""

from __future__ import annotations

from textual.widgets import Static

from tests.helpers import (
    drive,
    finished,
    main_screen,
    make_app,
    rows,
    screen_lines,
    text_of,
    until,
)
from tui.widgets.resource_table import ResourceTable

SMALL = (80, 24)


def _line_with(app, *words: str) -> str:
    found = [line for line in screen_lines(app) if all(w in line for w in words)]
    assert found, (words, screen_lines(app))
    return found[0]


def test_a_kserve_pod_shows_its_status_and_restarts_at_80_columns(lab) -> None:
    async def scenario(pilot) -> None:
        screen = await main_screen(pilot, "oom-crashloop")
        await pilot.press("6")
        await pilot.pause(0.2)
        pod = screen.snapshot.pods[0]
        assert len(pod.name) >= 45  # a KServe predictor pod's name
        header = _line_with(pilot.app, "NAME", "STATUS", "READY", "RESTARTS")
        assert header.index("NAME") < header.index("STATUS") < header.index("RESTARTS")
        line = _line_with(pilot.app, "CrashLoopBackOff")
        name = rows(screen.query_one("#table-pods", ResourceTable))[0][0]
        # cut in the middle: the start and the unique suffix both survive, around a `…`
        assert "…" in name and name in line
        head, tail = name.split("…")
        assert pod.name.startswith(head) and pod.name.endswith(tail) and len(tail) >= 5
        assert f"{pod.ready_count()}" in line and str(pod.restarts) in line

    drive(make_app(lab), scenario, size=SMALL)


def test_deployments_and_events_keep_runtime_and_message_on_screen(lab) -> None:
    async def scenario(pilot) -> None:
        screen = await main_screen(pilot, "wrong-path")
        await pilot.press("1")
        await pilot.pause(0.2)
        header = _line_with(pilot.app, "NAME", "STATE")
        for column in ("PLATFORM", "FORMAT", "RUNTIME", "KIND"):
            assert column in header, header  # whole headers: RUNTIME is never `R`
        assert header.index("NAME") < header.index("STATE") < header.index("PLATFORM")
        await pilot.press("4")
        await pilot.pause(0.2)
        header = _line_with(pilot.app, "REASON", "MESSAGE")
        events = rows(screen.query_one("#table-events", ResourceTable))
        warning = next(r for r in events if r[1] == "⚠ Warning")
        message = warning[-1]
        assert len(message) >= 20, warning  # room for words, not a sliver
        assert message in _line_with(pilot.app, "⚠ Warning", warning[2])
        assert message.endswith("…")  # the lab's messages are long: the cut says so

    drive(make_app(lab), scenario, size=SMALL)


def test_events_message_is_visible_at_120_columns(lab) -> None:
    async def scenario(pilot) -> None:
        screen = await main_screen(pilot, "wrong-path")
        await pilot.press("4")
        await pilot.pause(0.2)
        assert "MESSAGE" in _line_with(pilot.app, "REASON", "OBJECT")
        warning = next(
            r for r in rows(screen.query_one("#table-events", ResourceTable)) if r[1] != "Normal"
        )
        assert len(warning[-1]) >= 30 and warning[-1] in "\n".join(screen_lines(pilot.app))

    drive(make_app(lab), scenario, size=(120, 35))


def test_project_pane_folds_below_100_columns_and_p_brings_it_back(lab) -> None:
    async def scenario(pilot) -> None:
        screen = await main_screen(pilot, "iris-project")
        left = screen.query_one("#left")
        assert not left.display
        assert not any("PROJECT" in line for line in screen_lines(pilot.app))
        await pilot.press("p")
        await pilot.pause(0.1)
        assert left.display and screen.projects.has_focus
        assert any("PROJECT" in line for line in screen_lines(pilot.app))
        await pilot.press("p")
        await pilot.pause(0.1)
        assert not left.display and screen.tabs.current_table().has_focus
        await pilot.resize_terminal(120, 35)
        await pilot.pause(0.2)
        assert left.display  # wide again: the pane is back
        await pilot.press("p")
        assert left.display and screen.projects.has_focus  # and p focuses it

    drive(make_app(lab), scenario, size=SMALL)


def test_z_gives_the_details_the_whole_screen(lab) -> None:
    async def scenario(pilot) -> None:
        screen = await main_screen(pilot, "oom-crashloop")
        await pilot.press("6")
        box = screen.query_one("#details-box")
        before = box.size.height
        await pilot.press("z")
        await pilot.pause(0.1)
        assert not screen.query_one("#kinds").display and box.size.height > before + 5
        assert "OOMKilled" in "\n".join(screen_lines(pilot.app))  # the failure line shows
        await pilot.press("z")
        await pilot.pause(0.1)
        assert screen.query_one("#kinds").display and box.size.height == before
        assert screen.tabs.current_table().has_focus

    drive(make_app(lab), scenario, size=SMALL)


def test_the_diagnosis_shows_the_fix_before_the_evidence_without_scrolling(lab) -> None:
    async def scenario(pilot) -> None:
        await main_screen(pilot, "wrong-path")
        await pilot.press("1", "d")
        await finished(pilot)
        diagnosis = pilot.app.screen
        root = diagnosis.report.result("bucket-path")
        lines = screen_lines(pilot.app)
        fix_at = lines.index("fix") if "fix" in lines else -1
        assert fix_at > 0, lines
        first_words = " ".join(root.remediation.split()[:4])
        assert first_words in lines[fix_at + 1], (first_words, lines)
        evidence = [i for i, line in enumerate(lines) if line.strip() == "evidence"]
        assert not evidence or evidence[0] > fix_at
        row = next(line for line in lines if line.lstrip().startswith("✗  Model files"))
        assert row.rstrip().endswith("…")  # the summary is cut with a mark, whole in the box
        assert root.summary in text_of(diagnosis.query_one("#check-details", Static))
        box = diagnosis.query_one("#check-box")
        before = box.size.height
        await pilot.press("z")  # the same zoom key as on the main screen
        await pilot.pause(0.1)
        assert diagnosis.has_class("-expanded") and box.size.height > before

    drive(make_app(lab), scenario, size=SMALL)


def test_a_resize_while_the_console_starts_does_not_crash_it(lab) -> None:
    async def scenario(pilot) -> None:
        for width in (100, 80, 130, 90, 80):  # before, while and after the main screen mounts
            await pilot.resize_terminal(width, 24)
            await pilot.pause(0.02)
        screen = await main_screen(pilot, "iris-project")
        await until(pilot, lambda: not screen.query_one("#left").display)
        assert screen.tabs.narrow

    drive(make_app(lab), scenario, size=SMALL)
