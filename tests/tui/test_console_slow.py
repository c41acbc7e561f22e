"""A slow API server (the lab at 800 ms a request): the console says where it is going before
the first answer, and the palette has what needs no I/O at once; every project's deployments
join when their LIST lands."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest
from textual import events
from textual.command import CommandPalette
from textual.css.query import NoMatches
from textual.widgets import Input

from tests.helpers import DELIBERATE_MUTATION, lab_tls, make_app, until
from tests.helpers.lab_control import private_lab
from tests.helpers.screen_text import drive_seen, screen_text
from tui.screens.main import FIRST_FRAME_WAIT_S

SIZE = (80, 24)
LATENCY_MS = 800


@pytest.fixture(scope="module")
def slow_lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    with private_lab(tmp_path_factory, "slow-lab", latency_ms=LATENCY_MS) as info:
        yield info
        seen = httpx.get(f"{info['api']}/_lab/requests", verify=lab_tls(info)).json()
        assert [m for m in seen["mutations"] if not m.startswith(DELIBERATE_MUTATION)] == []


def test_the_first_paint_says_where_and_as_whom_before_the_first_answer(slow_lab) -> None:
    server = slow_lab["api"].rstrip("/")
    seen: list[tuple[str, str, float]] = []  # (screen, text, when) every 50 ms from the start

    async def scenario(pilot) -> None:
        async def sample() -> None:
            seen.append((type(pilot.app.screen).__name__, screen_text(pilot.app), time.monotonic()))

        await sample()
        while type(pilot.app.screen).__name__ != "MainScreen" or not seen_projects(pilot):
            await pilot.pause(0.05)
            await sample()
            assert len(seen) < 400, "the console did not come up"

    def seen_projects(pilot) -> bool:
        try:
            return pilot.app.screen.projects.row_count > 0
        except NoMatches:  # the main screen is pushed, its widgets not mounted yet
            return False

    drive_seen(make_app(slow_lab), scenario, size=SIZE)
    before_main = [text for name, text, _ in seen if name != "MainScreen"]
    assert before_main, "the main screen came before any answer could have"
    assert "rhoai-doctor" in before_main[0] and "…" in before_main[0], before_main[0]
    line = f"connecting to {server} as lab-admin (context lab-admin)…"
    assert any(line in text for text in before_main), before_main[-1]
    # The main screen waits FIRST_FRAME_WAIT_S for the project list (its first frame is then
    # the one with data); past that wait, a frame without the list says it is listing them.
    # The last sample is left out: the list is in by then, its frame may not be drawn yet.
    on_main = [(text, when) for name, text, when in seen if name == "MainScreen"]
    appeared = on_main[0][1]
    waiting = [
        text
        for text, when in on_main[:-1]
        if text.strip()
        and "pricing-project" not in text
        and when - appeared > FIRST_FRAME_WAIT_S + 0.1
    ]
    assert all("listing projects…" in text for text in waiting), waiting[:1]


def test_the_palette_has_projects_at_once_and_deployments_join_later(slow_lab) -> None:
    async def scenario(pilot) -> None:
        await until(pilot, lambda: type(pilot.app.screen).__name__ == "MainScreen", 30)
        main = pilot.app.screen
        await until(pilot, lambda: main.projects.row_count > 0, 30)
        await pilot.press("ctrl+p")
        await until(pilot, lambda: isinstance(pilot.app.screen, CommandPalette))
        # pasted, not typed key by key: on a loaded machine typing alone can outlast the LIST
        pilot.app.screen.query_one(Input).post_message(events.Paste("wrong"))
        await until(pilot, lambda: "Project wrong-path" in screen_text(pilot.app), 5)
        first = screen_text(pilot.app)
        assert "deployments of every project: loading" in first, first
        assert "Deployment wrong-path/fraud" not in first  # its LIST has not landed yet
        await until(pilot, lambda: "Deployment wrong-path/fraud" in screen_text(pilot.app), 15)
        assert "loading" not in screen_text(pilot.app)  # no key pressed: it joined by itself

    drive_seen(make_app(slow_lab), scenario, size=SIZE)
