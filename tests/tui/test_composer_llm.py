"""The composer on a generative deployment (llm-project/granite, vLLM): an OpenAI chat body
prefilled for the served model, the answer streamed into the pane as it arrives, then TTFT and
tokens/s; validation as you type; curl with -N."""

from __future__ import annotations

import json
import re

from textual.widgets import Static, TextArea

from tests.helpers import SCREENSHOTS, drive, make_app, until
from tests.tui.test_composer import answer, open_composer


def test_composer_streams_an_llm_answer_and_shows_ttft(lab, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    seen: list[str] = []

    async def scenario(pilot) -> None:
        composer = await open_composer(pilot, "llm-project")
        editor = composer.query_one("#body", TextArea)
        body = json.loads(editor.text)
        assert body["model"] == "granite" and body["stream"] is True
        assert body["messages"][0]["role"] == "user"
        problems = str(composer.query_one("#problems", Static).render())
        assert 'a valid OpenAI request for "granite", max_model_len 4096' in problems
        notes = str(composer.query_one("#notes", Static).render())
        assert "/v1/chat/completions" in notes
        await pilot.press("ctrl+s")

        def finished() -> bool:
            seen.append(answer(composer))
            return "TTFT" in seen[-1]

        await until(pilot, finished, 20)
        final = answer(composer)
        assert final.startswith("Hello! I am granite.")
        assert re.search(r"TTFT \d+ ms · 24 tokens · \d+ tokens/s", final), final
        # the pane filled piece by piece: the text posted by the stream is the answer's text
        assert composer.streamed and final.startswith(composer.streamed)
        shown = re.sub(
            r"TTFT \d+ ms · 24 tokens · \d+ tokens/s", "TTFT 42 ms · 24 tokens · 85 tokens/s", final
        )
        composer.query_one("#answer", Static).update(shown)
        await pilot.pause(0.1)
        pilot.app.save_screenshot(filename="composer-llm.svg", path=str(SCREENSHOTS))

        editor.text = json.dumps({**body, "model": "llama"})
        await pilot.pause(0.1)
        assert any('model "llama" is not served here' in p for p in composer.problems)
        await pilot.press("ctrl+s")
        await pilot.pause(0.1)
        assert answer(composer).startswith("not sent")

        await pilot.press("ctrl+r", "ctrl+g")
        assert "curl -sS -N " in pilot.app.clipboard and "$TOKEN" in pilot.app.clipboard

    drive(make_app(lab), scenario)
