"""The console as a user starts it (the real entry point and argv), and Pilot helpers."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import re
from collections.abc import Awaitable, Callable
from pathlib import Path

from tests.helpers.processes import children_running
from tests.helpers.screen_text import screen_text

SIZE = (120, 36)
SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"
PINNED_SERVER = "https://127.0.0.1:PORT"  # the lab's port is random; pictures must not be


def console(*argv: str, environ: dict[str, str] | None = None):
    """The console as `rhoai-doctor ARGV` builds it, in a shell with `environ` exported (the
    lab's `lab env`, as `make demo` has it): the same parser, flags and options a user gets."""
    from unittest import mock

    from rhoai_doctor.cli import build_parser
    from rhoai_doctor.commands.console import console_app
    from rhoai_doctor.flags import session_options

    args = build_parser().parse_args(list(argv))
    with mock.patch.dict(os.environ, environ or {}):
        app = console_app(session_options(args))
    return quick(app)


def make_app(
    lab: dict,
    context: str = "lab-admin",
    *argv: str,
    clock: bool = False,
    background_diagnosis: bool = False,
):
    """The console on the lab, started like `rhoai-doctor --kubeconfig … --context …` after
    `eval "$(rhoai-doctor lab env)"`; the clock is off so pictures do not change. A test about
    the marks, the `0` view's verdicts or their pictures asks for `background_diagnosis`; the
    others start with --no-background-diagnosis, as a user who does not want every route and
    bucket probed would (the sweep was a quarter of the suite's CPU, lab included)."""
    from lab.control import env_vars

    quiet = () if background_diagnosis else ("--no-background-diagnosis",)
    app = console(
        "--kubeconfig", lab["kubeconfig"], "--context", context, *quiet, *argv,
        environ=env_vars(lab),
    )  # fmt: skip
    app.show_clock = clock
    return app


def quick(app):
    """No animations: Pilot waits for each to end (the tabs' underline takes 0.4 s)."""
    app.animation_level = "none"
    return app


def _holds(condition: Callable[[], bool]) -> bool:
    """A widget the condition looks at that is not mounted yet means: not yet."""
    from textual.css.query import NoMatches

    try:
        return bool(condition())
    except NoMatches:
        return False


async def until(
    pilot,
    condition: Callable[[], bool],
    seconds: float = 30,
    seen: Callable[[], str] | None = None,
) -> None:
    """Until `condition` holds; `seconds` bounds a wait, it is no speed target (those are
    bench/'s): a fresh-clone CI run once took over 15 s to load a project on 3 workers. `seen`
    says what the console showed instead, so a timeout in a full run names its cause."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while not _holds(condition):
        if loop.time() > deadline:
            said = f": {seen()}" if seen is not None else ""
            raise AssertionError(f"timed out waiting for the console{said}")
        await pilot.pause(0.05)


def text_of(widget) -> str:
    return str(widget.render())


async def main_screen(pilot, project: str = "iris-project"):
    """The main screen with `project` loaded (chosen directly: most tests are not about that)."""
    await until(pilot, lambda: type(pilot.app.screen).__name__ == "MainScreen")
    screen = pilot.app.screen
    await until(pilot, lambda: bool(screen.query("#projects")) and screen.projects.row_count > 0)
    screen.select_project(project)
    await loaded(pilot, screen, project)
    return screen


async def loaded(pilot, screen, project: str) -> None:
    def seen() -> str:
        shown = screen.snapshot.namespace if screen.snapshot is not None else None
        status = str(screen.status.render()) if screen.query("StatusLine") else "-"
        return (
            f"wanted {project}; project {screen.project!r}, snapshot of {shown!r}, cursor on "
            f"{screen.projects.selected_key()!r}, status line {status!r}"
        )

    await until(
        pilot,
        lambda: (
            screen.snapshot is not None
            and screen.project == project
            and screen.snapshot.namespace == project
        ),
        seen=seen,
    )
    await pilot.pause(0.1)


def sweep_processes() -> set[int]:
    """The console's background sweep processes (checks/sweep_process.py) this test started
    and has not reaped."""
    return children_running(os.getpid(), "checks.sweep_process")


async def swept(pilot, screen) -> None:
    """The console's background sweep (tui/screens/fleet_sweep.py) has diagnosed every
    deployment and the marks, the `0` view and the status line show it: a picture of them is
    the same from run to run."""
    await until(
        pilot,
        lambda: (
            screen.fleet_rows is not None
            and not screen.sweeping()
            and all(r.verdict != "pending" for r in screen.fleet_view_rows() or [])
        ),
        240,
    )
    await pilot.pause(0.2)


async def open_diagnosis(pilot, project: str):
    """Select the project's deployment, press d, wait for the whole report."""
    await main_screen(pilot, project)
    await pilot.press("1", "d")
    await finished(pilot)
    return pilot.app.screen


async def finished(pilot) -> None:
    await until(
        pilot,
        lambda: (
            type(pilot.app.screen).__name__ == "DiagnosisScreen"
            and (pilot.app.screen.report is not None or pilot.app.screen.error != "")
        ),
        30,
    )
    await pilot.pause(0.1)


def drive(app, scenario: Callable[..., Awaitable[None]], size=SIZE) -> None:
    async def run() -> None:
        async with app.run_test(size=size) as pilot:
            await scenario(pilot)

    asyncio.run(run())


def rows(table) -> list[list[str]]:
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


def screen_lines(app) -> list[str]:
    """The terminal's lines as a user reads them (screen_text: Textual's own render of the
    screen), without the blanks at either end: what is off the screen or scrolled away is not
    there. Read from the SVG screenshot they lost the spaces between runs of text
    ("…41323read-only" for a line that shows "…41323      read-only") and cost 33-98 ms, not
    15, in each of `until`'s polls."""
    return [line.strip() for line in screen_text(app).splitlines()]


def cut_from(cell: str, full: str) -> bool:
    """A table cell shows `full`, or the start of it cut with `…` (the column had no room)."""
    return cell == full or (cell.endswith("…") and full.startswith(cell[:-1]) and len(cell) > 3)


def pin_identity(screen) -> None:
    screen.identity = dataclasses.replace(screen.identity, server=PINNED_SERVER)
    screen.show_identity()


def frozen(pod):
    """The lab's crash loops keep restarting: pictures show a fixed restart count."""
    containers = tuple(dataclasses.replace(c, restarts=min(c.restarts, 3)) for c in pod.containers)
    return dataclasses.replace(pod, containers=containers)


def _same_picture(old: str, new: str) -> bool:
    """Textual names an SVG's styles after a hash of the frame, and a capture shows its time:
    neither is a change worth a new file in every commit."""

    def plain(svg: str) -> str:
        svg = re.sub(r"terminal-\d+", "terminal", svg)
        return re.sub(r"\d{4}-\d\d-\d\d&#160;\d\d:\d\d:\d\d", "TIME", svg)

    return plain(old) == plain(new)


def screenshot(pilot, name: str) -> None:
    """Save the screen to screenshots/, keeping the file when only a time or the style hash
    would change."""
    path = SCREENSHOTS / name
    new = pilot.app.export_screenshot()
    if path.exists() and _same_picture(path.read_text(encoding="utf-8"), new):
        return
    path.write_text(new, encoding="utf-8")
