"""The composer at 80x24 as a user drives it: a compact body, a local run without a send, reset,
keys that cannot act say why, one escape leaves, help from the editor, a failed burst said so."""

from __future__ import annotations

import json

from textual.widgets import Static

from tests.helpers import main_screen, make_app, until
from tests.helpers.screen_text import drive_seen, screen_text
from tui.screens.composer import ComposerScreen
from tui.screens.help import HelpScreen

SIZE = (80, 24)


async def composer_on(pilot, project: str, ready: str = "POST") -> ComposerScreen:
    """The palette's "Compose PROJECT/…" (the composer's own key is another helper's slice)."""
    await main_screen(pilot, project)
    await pilot.press("ctrl+p", *f"compose {project}/")
    await pilot.pause(0.6)
    await pilot.press("enter")
    await until(pilot, lambda: isinstance(pilot.app.screen, ComposerScreen))
    composer = pilot.app.screen
    await until(pilot, lambda: ready in str(composer.query_one("#notes", Static).render()), 20)
    await pilot.pause(0.2)
    return composer


def answer(screen: ComposerScreen) -> str:
    return str(screen.query_one("#answer", Static).render())


def test_compact_body_local_run_reset_help_and_one_escape(lab) -> None:
    async def scenario(pilot) -> None:
        composer = await composer_on(pilot, "iris-project")
        editor = composer.editor
        await until(pilot, lambda: editor.text != "")
        lines = editor.text.splitlines()
        assert json.loads(editor.text) == composer.request.body
        assert len(lines) <= 14, editor.text  # pretty-printed it was 26
        assert any('"data": [0.5, 0.75, 1.0, 1.25]' in line for line in lines), editor.text
        assert '"shape": [1, 4]' in editor.text
        assert editor.has_focus

        await pilot.press("ctrl+t")  # nothing sent yet: the model alone, locally
        await until(pilot, lambda: "local onnxruntime run (nothing sent)" in answer(composer))
        assert "scores shape [1, 3]" in answer(composer)

        await pilot.press("ctrl+s")
        await until(pilot, lambda: answer(composer).startswith("200 in"))
        assert '"shape": [1, 3]' in answer(composer)  # the answer is compact too
        await pilot.press("ctrl+t")
        await until(pilot, lambda: "vs the deployed model" in answer(composer))
        assert "DIFFERS" not in answer(composer)

        await pilot.press("ctrl+r")  # reset: the body back, the answer gone
        assert answer(composer) == ""
        await pilot.press("ctrl+t")  # nothing to compare with any more: a local run again
        await until(pilot, lambda: "nothing sent" in answer(composer))

        before = editor.text
        await pilot.press("question_mark")  # outside a JSON string: help, not a typo
        await until(pilot, lambda: isinstance(pilot.app.screen, HelpScreen))
        help_text = pilot.app.screen.text()
        assert "Keys: request composer" in help_text and "F1" in help_text
        assert "Run locally" in help_text
        await pilot.press("escape")
        assert pilot.app.screen is composer and editor.text == before
        await pilot.press("f1")  # F1 with the editor focused
        await until(pilot, lambda: isinstance(pilot.app.screen, HelpScreen))
        await pilot.press("escape")
        assert pilot.app.screen is composer

        editor.text = '{"question": "why'
        editor.move_cursor(editor.document.end)
        await pilot.press("question_mark")  # inside a string it is just a question mark
        assert editor.text == '{"question": "why?' and pilot.app.screen is composer

        editor.focus()
        await pilot.press("escape")  # one escape leaves the composer, editor focused or not
        assert type(pilot.app.screen).__name__ == "MainScreen"

    drive_seen(make_app(lab), scenario, size=SIZE)


def test_keys_that_cannot_act_say_why_when_the_model_cannot_be_read(lab) -> None:
    async def scenario(pilot) -> None:
        composer = await composer_on(pilot, "wrong-path", ready="could not be read")
        problems = str(composer.query_one("#problems", Static).render())
        assert "no example body" in problems, problems
        await pilot.press("ctrl+t")
        await until(pilot, lambda: "Cannot run locally" in screen_text(pilot.app))
        assert 'no .onnx file the runtime loads under "fraud-model"' in " ".join(
            screen_text(pilot.app).split()
        )
        await pilot.press("ctrl+g")
        await until(pilot, lambda: "Nothing to copy" in screen_text(pilot.app))
        assert not pilot.app.clipboard  # no curl with an invented body
        await pilot.press("ctrl+s")
        await until(pilot, lambda: "Nothing to send" in screen_text(pilot.app))
        assert answer(composer) == ""

    drive_seen(make_app(lab), scenario, size=SIZE)


def test_a_burst_where_every_request_failed_says_so_with_the_first_error(lab) -> None:
    async def scenario(pilot) -> None:
        composer = await composer_on(pilot, "auth-denied")
        await until(pilot, lambda: composer.editor.text != "")
        await pilot.press("ctrl+b")
        await until(pilot, lambda: composer.burst_result is not None, 60)
        said = " ".join(answer(composer).split())
        assert said.startswith("burst: all 100 requests failed"), said
        assert "the first: 403 from kube-rbac-proxy" in said
        assert "p50" not in said and "p95" not in said

    drive_seen(make_app(lab), scenario, size=SIZE)
