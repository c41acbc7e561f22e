"""The request composer in the console, against the lab."""

from __future__ import annotations

import json
import re
import time

from textual import events
from textual.widgets import Static, TextArea

from tests.helpers import SCREENSHOTS, console, drive, main_screen, make_app, secret_value, until
from tui import history
from tui.screens.composer import ComposerScreen

SEED_WITH_OUTPUT0 = {
    "inputs": [{"name": "X", "shape": [1, 4], "datatype": "FP32", "data": [3, 4, 3, 2]}],
    "outputs": [{"name": "output0"}],
}


async def open_composer(pilot, project: str = "iris-project") -> ComposerScreen:
    """Select the project's deployment, press i (infer), wait until the request is built."""
    await main_screen(pilot, project)
    await pilot.press("1", "i")
    await until(
        pilot,
        lambda: (
            isinstance(pilot.app.screen, ComposerScreen) and pilot.app.screen.request is not None
        ),
        20,
    )
    return pilot.app.screen


def answer(screen: ComposerScreen) -> str:
    return str(screen.query_one("#answer", Static).render())


def test_composer_prefills_sends_compares_and_exports(
    lab, admin_client, tmp_path, monkeypatch
) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    token = secret_value(admin_client, "iris-project", "default-name-model-server-sa", "token")

    async def scenario(pilot) -> None:
        await open_composer(pilot)
        composer = pilot.app.screen
        body = json.loads(composer.query_one("#body", TextArea).text)
        assert [i["name"] for i in body["inputs"]] == ["X"]
        assert composer.problems == []
        await pilot.press("ctrl+s")
        await until(pilot, lambda: answer(composer).startswith("200 in"))
        assert '"scores"' in answer(composer)
        # the latency differs every run; the picture in the README should not
        shown = re.sub(r"^(\d+) in \d+ ms", r"\1 in 9 ms", answer(composer))
        composer.query_one("#answer", Static).update(shown)
        await pilot.pause(0.1)
        pilot.app.save_screenshot(filename="composer.svg", path=str(SCREENSHOTS))
        await pilot.press("ctrl+t")
        await until(pilot, lambda: "agrees" in answer(composer) or "DIFFERS" in answer(composer))
        assert "DIFFERS" not in answer(composer)
        await pilot.press("ctrl+g")
        assert "$TOKEN" in pilot.app.clipboard and token not in pilot.app.clipboard

        composer.query_one("#body", TextArea).text = json.dumps(SEED_WITH_OUTPUT0)
        await pilot.pause(0.1)
        assert any('"output0"' in p for p in composer.problems)
        await pilot.press("ctrl+s")
        await pilot.pause(0.1)
        assert answer(composer).startswith("not sent")

        await pilot.press("ctrl+r", "ctrl+b")
        started = time.monotonic()
        await pilot.press("end")  # the console still takes keys during the burst
        assert time.monotonic() - started < 1.0
        await until(pilot, lambda: composer.burst_result is not None, 60)
        assert composer.burst_result.errors == 0 and composer.burst_result.count == 100

    drive(make_app(lab), scenario)
    recorded = history.entries("iris-project", "iris-model")
    assert recorded and recorded[-1]["status"] == 200
    text = history.history_file("iris-project", "iris-model").read_text()
    assert token not in text


def test_composer_explains_a_missing_route(lab) -> None:
    async def scenario(pilot) -> None:
        await main_screen(pilot, "route-disabled")
        await pilot.press("1", "i")
        await until(pilot, lambda: isinstance(pilot.app.screen, ComposerScreen))
        notes = pilot.app.screen.query_one("#notes", Static)
        await until(pilot, lambda: "no external URL" in str(notes.render()))

    drive(make_app(lab), scenario)


def test_a_console_started_like_make_demo_sends_with_the_labs_ca(lab) -> None:
    """`make demo` exports the lab's environment and passes only --kubeconfig: the composer
    must reach the route with the lab CA from that environment (no CA flag given)."""
    from lab.control import env_vars

    async def scenario(pilot) -> None:
        await open_composer(pilot)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: answer(pilot.app.screen).startswith(("200 in", "the request")))
        assert answer(pilot.app.screen).startswith("200 in"), answer(pilot.app.screen)

    drive(console("--kubeconfig", lab["kubeconfig"], environ=env_vars(lab)), scenario)


def test_a_view_only_user_gets_a_line_in_the_composer_not_a_traceback(lab) -> None:
    async def scenario(pilot) -> None:
        await open_composer(pilot)
        notes = str(pilot.app.screen.query_one("#notes", Static).render())
        assert "you cannot list secrets in iris-project: forbidden" in notes, notes
        assert "Traceback" not in notes

    drive(make_app(lab, "developer"), scenario)


def test_send_typed_ahead_of_the_prefilled_body_sends_it(lab) -> None:
    """`i` and ctrl+s at once, as a hurried user types them: the ctrl+s arrives while the
    request is still prepared from the model (and then before its body is in the editor); it
    is not dropped with "could not be prepared" or "nothing to send": the prefilled body goes
    as soon as it is there, and the model's answer shows."""

    async def scenario(pilot) -> None:
        await main_screen(pilot, "iris-project")
        for key, character in (("1", "1"), ("i", "i"), ("ctrl+s", "\x13")):
            pilot.app.post_message(events.Key(key, character))  # one read from the terminal
        await until(pilot, lambda: isinstance(pilot.app.screen, ComposerScreen))
        composer = pilot.app.screen
        assert isinstance(composer, ComposerScreen)
        await until(
            pilot, lambda: answer(composer).startswith("200 in"), 20, lambda: answer(composer)
        )
        body = json.loads(composer.query_one("#body", TextArea).text)
        assert [i["name"] for i in body["inputs"]] == ["X"]

    drive(make_app(lab), scenario)
