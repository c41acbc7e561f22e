"""The inference request composer: prefilled from the model, validated as you type, sent with
the model's token through the session (its route CA and --connect-to), the answer explained,
compared with a local onnxruntime run. The same ModelRequest `infer` uses."""

from __future__ import annotations

import time
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from checks.cluster.snapshot import Snapshot
from checks.endpoints.send import Burst
from checks.errors import DoctorError
from checks.request.chat_request import ChatRequest
from checks.request.model_request import ModelRequest
from checks.resources import Deployment
from checks.text import visible
from tui import compact_json, history
from tui.access import holder, session_of
from tui.offline import refused_offline
from tui.safe import SafeStatic
from tui.screens.composer_chat import Piece, stream_burst_text, streamed_text, valid_text
from tui.screens.composer_token import ask_then
from tui.screens.composer_words import (
    burst_text,
    compare_text,
    local_text,
    stream_burst_failed,
)
from tui.widgets.body_editor import BodyEditor
from tui.widgets.header import HeaderBar
from tui.widgets.keys_footer import KeysFooter

BURST = (100, 8)
FORCE_WINDOW_S = 5.0


class ComposerScreen(Screen):
    HELP_TITLE = "request composer"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]  # 80 columns: the body first
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", tooltip="back to the deployment"),
        Binding(
            "f1",
            "app.help",
            "Help",
            key_display="F1",
            tooltip="these keys (also ? outside a JSON string)",
        ),
        Binding("ctrl+s", "send", "Send", tooltip="send the body with the model's token"),
        Binding(
            "ctrl+t",
            "compare",
            "Run locally",
            tooltip="the body through onnxruntime on the model file; after a send, compare",
        ),
        Binding("ctrl+g", "copy_curl", "curl", tooltip="copy the request as curl (OSC 52)"),
        Binding("ctrl+b", "burst", "Burst", tooltip=f"{BURST[0]} requests, {BURST[1]} at a time"),
        Binding("ctrl+o", "history", "History", tooltip="requests sent to this deployment"),
        Binding("ctrl+r", "reset", "Reset", tooltip="the prefilled body again; clears the answer"),
    ]

    def __init__(self, snapshot: Snapshot, deployment: Deployment) -> None:
        super().__init__()
        self.snapshot, self.deployment = snapshot, deployment
        self.request: ModelRequest | ChatRequest | None = None
        self.streamed = ""  # the generative answer so far, as it arrives
        self.problems: list[str] = []
        self.last_response: dict | None = None
        self.burst_result: Burst | None = None
        self._force_until = 0.0
        self._preparing = True  # until the request is built (or could not be)
        self._send_when_ready = False  # ctrl+s typed ahead of the prefilled body

    def compose(self) -> ComposeResult:
        dep = self.deployment
        yield HeaderBar(f"Request to {dep.namespace}/{dep.name} ({dep.platform})")
        yield Static("preparing the request from the model…", id="notes", markup=False)
        with Horizontal(id="composer"):
            yield BodyEditor(id="body", theme="monokai")
            with VerticalScroll(id="answer-box"):
                yield Static("", id="answer", markup=False)
        yield SafeStatic("", id="problems")
        yield KeysFooter()

    @property
    def editor(self) -> BodyEditor:
        return self.query_one("#body", BodyEditor)

    @property
    def _history(self) -> Path:
        return holder(self).places.history

    def _prefilled(self) -> str:
        """The example body, compact: arrays of numbers on one line, sized to the editor."""
        if self.request is None or self.request.body is None:
            return ""
        return compact_json.dumps(self.request.body, self.editor.json_width)

    def _fill_body(self) -> None:
        if not self.editor.text:
            self.editor.text = self._prefilled()
            self._validate()  # the body and its verdict in the same frame, not one after
        self._send_if_asked()

    def _send_if_asked(self) -> None:
        """A ctrl+s typed while the request was prepared is sent once its body is in."""
        if self._send_when_ready:
            self._send_when_ready = False
            self.action_send()

    def _unavailable(self, what: str, why: str) -> None:
        """A key that cannot act says why, in a toast (the answer pane keeps its content)."""
        self.notify(f"{what}: {why}", severity="warning", markup=False)

    def _not_ready(self) -> str:
        if self._preparing:
            return "the request is still being prepared from the model"
        return "the request could not be prepared (see the notes above)"

    def on_mount(self) -> None:
        self.prepare()

    @work(exclusive=True, group="prefill", description="build the request from the model")
    async def prepare(self) -> None:
        dep = self.deployment
        try:
            self.request = await session_of(self).request(
                dep.namespace, dep.name, snapshot=self.snapshot
            )
        except DoctorError as error:
            self._preparing = False
            self._notes(f"cannot prepare a request: {error}")
            self._send_if_asked()  # says it cannot send
            return
        self._preparing = False
        self._show_notes()
        if self.request.body is not None:
            # after the next layout: a request ready before the editor has its width would
            # be laid out for 30 columns
            self.call_after_refresh(self._fill_body)
        else:
            self._validate()  # no body to change: say now that one must be typed
            self._send_if_asked()
        self.editor.focus()

    def _show_notes(self) -> None:
        if (request := self.request) is not None:
            self._notes("\n".join([f"POST {request.url}", *request.notes]))

    def _redact(self, text: str) -> str:
        """The request's token, yours and the project's, masked in every form (issue 22, M5)."""
        return self.request.redact(text) if self.request is not None else text

    def _notes(self, text: str) -> None:
        self.query_one("#notes", Static).update(Text(visible(self._redact(text))))

    def _answer(self, text: str) -> None:
        self.query_one("#answer", Static).update(Text(visible(self._redact(text))))

    # -- validation as you type ---------------------------------------------------------
    @on(BodyEditor.Changed, "#body")
    def _changed(self) -> None:
        self._validate()

    def _validate(self) -> dict | None:
        if self.request is None:
            return None
        body, self.problems = self.request.problems(self.editor.text)
        text = (
            "✓ the request matches the model"
            if not self.problems
            else "\n".join(f"✗ {m}" for m in self.problems)
        )
        if isinstance(self.request, ChatRequest) and not self.problems:
            text = valid_text(self.request)
        elif self.request.signature is None and not self.editor.text.strip():
            text = "? no example body (the model could not be read): type one; it is sent unchecked"
        elif self.request.signature is None and not self.problems:
            text = "? the model's signature is unknown: the body is sent unchecked"
        problems = self.query_one("#problems", Static)
        problems.update(Text(text))
        problems.set_class(bool(self.problems), "has-problems")
        return body

    # -- sending ----------------------------------------------------------------------
    def action_send(self) -> None:
        if refused_offline(self, "send"):
            return
        if self.request is None and self._preparing:
            self._send_when_ready = True  # typed ahead: sent once the body is in
            self._answer("sending once the request is prepared…")
            return
        if self.request is None:
            self._unavailable("Cannot send", self._not_ready())
            return
        if not self.editor.text and self.request.body is not None:
            self._fill_body()  # its example waits for the editor's width: it goes as it is now
        if not self.editor.text.strip():
            self._unavailable("Nothing to send", "type a body first (the model gave no example)")
            return
        self._validate()
        if self.problems and time.monotonic() > self._force_until:
            self._force_until = time.monotonic() + FORCE_WINDOW_S
            self._answer(
                "not sent: the request does not match the model (see below). Press "
                "ctrl+s again within 5 s to send it anyway."
            )
            return
        self._force_until = 0.0
        ask_then(self, self.request, self._send_asked)

    def _send_asked(self) -> None:
        self._show_notes()
        self.send_request()

    @work(exclusive=True, group="send", description="send the request")
    async def send_request(self) -> None:
        request = self.request
        if request is None:
            return
        raw = self.editor.text
        self._answer("sending…")
        if isinstance(request, ChatRequest):
            await self._generate(request, raw)
            return
        try:
            sent = await request.send(raw.encode())
        except DoctorError as error:
            self._answer(f"the request failed: {error}")
            self._remember(request, raw, None, 0.0, str(error))
            return
        self.last_response = sent.body if isinstance(sent.body, dict) else None
        pretty = (
            compact_json.dumps(sent.body, self._answer_width())
            if isinstance(sent.body, dict | list)
            else str(sent.body)[:2000]
        )
        self._answer(
            f"{sent.status} in {sent.seconds * 1000:.0f} ms — {sent.explanation}\n\n{pretty}"
        )
        self._remember(request, raw, sent.status, sent.seconds, sent.explanation)

    def _remember(
        self,
        request: ModelRequest | ChatRequest,
        raw: str,
        status: int | None,
        seconds: float,
        outcome: str,
    ) -> None:
        """One line in this deployment's history: the body and outcome, tokens masked."""
        dep = self.deployment
        history.record(
            dep.namespace,
            dep.name,
            request.url,
            raw,
            status,
            seconds,
            outcome,
            self._history,
            request.redact,
        )

    async def _generate(self, request: ChatRequest, raw: str) -> None:
        """Stream the answer into the pane as it arrives; TTFT and tokens/s at the end."""
        self.streamed = ""
        try:
            result = await request.generate(
                raw.encode(), lambda text: self.post_message(Piece(text))
            )
        except DoctorError as error:
            self._answer(f"the request failed: {error}")
            self._remember(request, raw, None, 0.0, str(error))
            return
        self._answer(streamed_text(result, result.text))
        outcome = result.explanation or result.summary()
        self._remember(request, raw, result.status, result.seconds, outcome)

    @on(Piece)
    def _piece(self, message: Piece) -> None:
        self.streamed += message.text
        self._answer(self.streamed + " ▌")

    def _answer_width(self) -> int:
        return max(30, self.query_one("#answer", Static).content_region.width)

    def action_compare(self) -> None:
        """Without a send: the local run alone. After one: local vs the server's answer."""
        request = self.request
        if request is None:
            self._unavailable("Cannot run locally", self._not_ready())
            return
        if isinstance(request, ChatRequest):
            self._unavailable("Cannot run locally", "a generative model has no ONNX file to run")
            return
        if not request.model_key:
            why = request.unreadable or "the model file could not be read"
            self._unavailable("Cannot run locally", why)
            return
        body = self._validate()
        if body is None or self.problems:
            self._unavailable("Cannot run locally", "the body does not match the model (below)")
            return
        self.run_locally(request, body)

    @work(exclusive=True, group="compare", description="run the model locally")
    async def run_locally(self, request: ModelRequest, body: dict) -> None:
        response = self.last_response
        self._answer("running the model locally with onnxruntime…")
        try:
            if response is None:
                outputs = await request.run_locally(body)
                self._answer(local_text(outputs, self._answer_width()))
                return
            comparison = await request.compare_locally(body, response)
        except DoctorError as error:
            self._answer(f"cannot run the model locally: {error}")
            return
        self._answer(compare_text(comparison))

    def action_copy_curl(self) -> None:
        if self.request is None:
            self._unavailable("Nothing to copy", self._not_ready())
            return
        body, _ = self.request.problems(self.editor.text)
        if body is None:
            why = "type a body first" if not self.editor.text.strip() else "the body is not JSON"
            self._unavailable("Nothing to copy", why)
            return
        command = self.request.as_curl(body)
        self.app.copy_to_clipboard(command)  # OSC 52: works over SSH
        hint = f"\n\n$TOKEN: {self.request.token_hint}" if self.request.token else ""
        self._answer(f"copied to the clipboard (token as $TOKEN):\n\n{command}{hint}")

    def action_burst(self) -> None:
        if refused_offline(self, "burst"):
            return
        if self.request is None:
            self._unavailable("Cannot burst", self._not_ready())
            return
        self._validate()
        if self.problems or not self.editor.text.strip():
            self._unavailable("Cannot burst", "a burst needs a body that matches the model")
            return
        ask_then(self, self.request, self._burst_asked)

    def _burst_asked(self) -> None:
        self._show_notes()
        self.send_burst()

    @work(exclusive=True, group="burst", description="send a burst of requests")
    async def send_burst(self) -> None:
        if self.request is None:
            return
        count, concurrency = BURST
        self._answer(f"burst: {count} requests, {concurrency} at a time…")
        if isinstance(self.request, ChatRequest):
            result = await self.request.burst(self.editor.text.encode(), count, concurrency)
            self._answer(stream_burst_failed(result) or stream_burst_text(result))
            return
        self.burst_result = await self.request.burst(self.editor.text.encode(), count, concurrency)
        self._answer(burst_text(self.burst_result))

    def action_history(self) -> None:
        dep = self.deployment
        past = history.entries(dep.namespace, dep.name, directory=self._history)
        if not past:
            self._answer("no requests sent to this deployment yet")
            return
        lines = [
            f"{e['time']}  {e['status'] or 'no answer'}  {e['seconds'] * 1000:.0f} ms  "
            f"{e['outcome']}"
            for e in reversed(past)
        ]
        self._answer(
            "history (newest first; bodies are kept in "
            f"{history.history_file(dep.namespace, dep.name, self._history)}):\n" + "\n".join(lines)
        )

    def action_reset(self) -> None:
        """Back to the prefilled body, and a clean slate: no answer, nothing to compare with."""
        self.workers.cancel_group(self, "send")
        self.workers.cancel_group(self, "burst")
        self.workers.cancel_group(self, "compare")
        if self.request is not None and self.request.body is not None:
            self.editor.text = self._prefilled()
        self.last_response, self.burst_result, self.streamed = None, None, ""
        self._force_until = 0.0
        self._answer("")
        self.notify("Body reset; the answer is cleared.", timeout=2)
