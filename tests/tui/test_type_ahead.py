"""Keys typed faster than the console opens its command line or filter box (k9s speed, a paste,
a laggy SSH link) go to that box, in order: `:isvc⏎`, `:pods⏎` and `/iris⏎` arriving as one
chunk never fire the main screen's one-letter keys (i composes, p toggles the pane, r reads
again, s, v, o…). Each chunk is posted the way Textual's driver posts what it read from the
terminal, every key before the console handles the first, at 80x24 with a busy loop
beside it."""

from __future__ import annotations

import subprocess
import sys

from textual import events
from textual.keys import _character_to_key

from tests.helpers.console import drive, main_screen, make_app, until

SMALL = (80, 24)

CHUNKS = ((":pods\r", "pods"), (":isvc\r", "deployments"), ("/iris\r", ""))
TIMES = 100  # chunks, the three in turn


def typed_at_once(app, text: str) -> None:
    """`text` as one read from the terminal: every key queued before the first is handled."""
    for character in text:
        key = "enter" if character == "\r" else _character_to_key(character)
        app.post_message(events.Key(key, character))


class Busy:
    """A busy loop beside the console for the test's length (another process, at a lower
    priority: it takes the cores the suite's other workers leave idle)."""

    def __enter__(self) -> Busy:
        spin = "import os; os.nice(10)\nwhile True: pass"
        self.process = subprocess.Popen([sys.executable, "-c", spin])
        return self

    def __exit__(self, *exc: object) -> None:
        self.process.kill()
        self.process.wait()


def test_commands_and_filters_typed_at_once_never_reach_one_letter_keys(lab) -> None:
    misrouted: list[str] = []

    async def scenario(pilot) -> None:
        screen = await main_screen(pilot, "iris-project")
        app = pilot.app
        pane = screen.query_one("#projects").display
        with Busy():
            for n in range(TIMES):
                if len(misrouted) >= 5:  # enough to say so; each costs a wait
                    break
                text, tab = CHUNKS[n % len(CHUNKS)]
                typed_at_once(app, text)
                await settled(pilot, lambda t=tab: _done(app, screen, t))
                where = _misroute(app, screen, "iris-project", tab or "deployments", pane)
                if not tab and screen.filter_bar.value != "iris":
                    where = where or f"the filter box holds {screen.filter_bar.value!r}"
                if where:
                    misrouted.append(f"{text!r} #{n}: {where}")
                    await _home(pilot, screen)
                elif not tab:
                    await pilot.press("escape")  # clears the filter
        assert misrouted == [], f"{len(misrouted)} of {TIMES} misrouted: {misrouted[:5]}"
        # in a box, `:` and `/` are text (the keys that open the boxes give way to it)
        typed_at_once(app, "/a:b/c")
        await settled(pilot, lambda: screen.filter_bar.value == "a:b/c")
        assert screen.filter_bar.value == "a:b/c"
        assert not screen.query_one("#command-line").display
        await pilot.press("escape")
        typed_at_once(app, ":ns a/b")
        await settled(pilot, lambda: screen.query_one("#command-line").value == ":ns a/b")
        assert screen.query_one("#command-line").value == ":ns a/b"
        assert screen.filter_bar.value == ""

    drive(make_app(lab), scenario, size=SMALL)


async def settled(pilot, condition, seconds: float = 3.0) -> None:
    """Until `condition` holds or `seconds` pass (a misrouted chunk never gets there)."""
    for _ in range(int(seconds / 0.02)):
        if condition():
            break
        await pilot.pause(0.02)
    await pilot.pause()


def _done(app, screen, tab: str) -> bool:
    """The chunk was handled: its tab is shown (or, for `/iris⏎`, the list is filtered)."""
    if app.screen is not screen:
        return True
    if not tab:
        target = screen.filter_bar.target
        return target is not None and target.filter_text == "iris"
    line = screen.query("#command-line")
    return screen.tabs.current_view().name == tab and (not line or not line.first().display)


def _misroute(app, screen, project: str, tab: str, pane: bool) -> str:
    if app.screen is not screen:
        return f"{type(app.screen).__name__} opened"
    if screen.project != project:
        return f"the project became {screen.project}"
    if screen.tabs.current_view().name != tab:
        return f"the {screen.tabs.current_view().name} tab is shown"
    if screen.query_one("#projects").display != pane:
        return "the project pane was toggled"
    return ""


async def _home(pilot, screen) -> None:
    """Back to the deployments of the project, no filter, no box open."""
    while pilot.app.screen is not screen and len(pilot.app.screen_stack) > 1:
        pilot.app.pop_screen()
        await pilot.pause()
    assert pilot.app.screen is screen, f"the main screen was replaced by {pilot.app.screen}"
    await pilot.press("escape", "escape", "1")
    if screen.project != "iris-project":
        screen.select_project("iris-project")
    await until(pilot, lambda: screen.project == "iris-project")
