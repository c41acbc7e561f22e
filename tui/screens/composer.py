"""The inference request composer: prefilled from the model, validated as you type, sent with
the model's token through the session (its route CA and --connect-to), the answer explained,
compared with a local onnxruntime run. The same ModelRequest `infer` uses."""

from __future__ import annotations

import json
import time

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static, TextArea

from checks.chat_request import ChatRequest
from checks.errors import DoctorError
from checks.request import ModelRequest
from checks.resources import Deployment
from checks.send import Burst
from checks.snapshot import Snapshot
from checks.text import visible
from tui import history
from tui.access import session_of
from tui.offline import refused_offline
from tui.screens.composer_chat import Piece, stream_burst_text, streamed_text, valid_text
from tui.widgets.header import HeaderBar

BURST = (100, 8)
FORCE_WINDOW_S = 5.0


def burst_text(result: Burst) -> str:
    if result.all_failed:
        return (
            f"burst: all {result.count} requests failed in {result.seconds:.2f} s; "
            f"the first: {result.first_error}" + (f"\n{result.stopped}" if result.stopped else "")
        )
    return (
        f"burst: {result.count} requests at concurrency {result.concurrency} in "
        f"{result.seconds:.2f} s\np50 {result.p50 * 1000:.1f} ms · p95 "
        f"{result.percentile(95) * 1000:.1f} ms · p99 {result.percentile(99) * 1000:.1f} ms\n"
        f"errors {result.errors} · statuses {result.statuses_text}"
        + (f"\nerrors by reason: {result.reasons_text}" if result.reasons else "")
        + (f"\n{result.stopped}" if result.stopped else "")
    )


class ComposerScreen(Screen):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("ctrl+s", "send", "Send"),
        Binding("ctrl+t", "compare", "Compare locally"),
        Binding("ctrl+g", "copy_curl", "Copy as curl"),
        Binding("ctrl+b", "burst", "Burst 100x8"),
        Binding("ctrl+o", "history", "History"),
        Binding("ctrl+r", "reset", "Reset body"),
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

    def compose(self) -> ComposeResult:
        dep = self.deployment
        yield HeaderBar(f"Request to {dep.namespace}/{dep.name} ({dep.platform})")
        yield Static("preparing the request from the model…", id="notes", markup=False)
        with Horizontal(id="composer"):
            yield TextArea.code_editor("", language="json", id="body")
            with VerticalScroll(id="answer-box"):
                yield Static("", id="answer", markup=False)
        yield Static("", id="problems", markup=False)
        yield Footer()

    @property
    def editor(self) -> TextArea:
        return self.query_one("#body", TextArea)

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
            self._notes(f"cannot prepare a request: {error}")
            return
        self._notes("\n".join([f"POST {self.request.url}", *self.request.notes]))
        if self.request.body is not None:
            self.editor.text = self.request.pretty()
        self.editor.focus()

    def _notes(self, text: str) -> None:
        self.query_one("#notes", Static).update(Text(visible(text)))

    def _answer(self, text: str) -> None:
        self.query_one("#answer", Static).update(Text(visible(text)))

    # -- validation as you type ---------------------------------------------------------
    @on(TextArea.Changed, "#body")
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
        if self.request is None:
            self.notify("The request is not ready (see the notes above).", severity="warning")
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
        self.send_request()

    @work(exclusive=True, group="send", description="send the request")
    async def send_request(self) -> None:
        request, dep = self.request, self.deployment
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
            history.record(dep.namespace, dep.name, request.url, raw, None, 0.0, str(error))
            return
        self.last_response = sent.body if isinstance(sent.body, dict) else None
        pretty = (
            json.dumps(sent.body, indent=2)
            if isinstance(sent.body, dict | list)
            else str(sent.body)[:2000]
        )
        self._answer(
            f"{sent.status} in {sent.seconds * 1000:.0f} ms — {sent.explanation}\n\n{pretty}"
        )
        history.record(
            dep.namespace, dep.name, request.url, raw, sent.status, sent.seconds, sent.explanation
        )

    async def _generate(self, request: ChatRequest, raw: str) -> None:
        """Stream the answer into the pane as it arrives; TTFT and tokens/s at the end."""
        dep = self.deployment
        self.streamed = ""
        try:
            result = await request.generate(
                raw.encode(), lambda text: self.post_message(Piece(text))
            )
        except DoctorError as error:
            self._answer(f"the request failed: {error}")
            history.record(dep.namespace, dep.name, request.url, raw, None, 0.0, str(error))
            return
        self._answer(streamed_text(result, result.text))
        outcome = result.explanation or result.summary()
        history.record(
            dep.namespace, dep.name, request.url, raw, result.status, result.seconds, outcome
        )

    @on(Piece)
    def _piece(self, message: Piece) -> None:
        self.streamed += message.text
        self._answer(self.streamed + " ▌")

    @work(exclusive=True, group="compare", description="run the model locally")
    async def action_compare(self) -> None:
        body = self._validate()
        if isinstance(self.request, ChatRequest):
            self._answer("compare runs ONNX models locally; a generative model has none")
            return
        if self.request is None or body is None or self.problems:
            self._answer("compare needs a valid request")
            return
        if self.last_response is None:
            self._answer("send the request first (ctrl+s), then compare")
            return
        try:
            comparison = await self.request.compare_locally(body, self.last_response)
        except DoctorError as error:
            self._answer(f"cannot run the model locally: {error}")
            return
        lines = [
            f"{'✓' if c.agrees else '✗'} {c.output}: {'agrees' if c.agrees else 'DIFFERS'}"
            f" ({c.detail})"
            for c in comparison
        ]
        self._answer("local onnxruntime vs the deployed model:\n" + "\n".join(lines))

    def action_copy_curl(self) -> None:
        if self.request is None:
            self.notify("The request is not ready (see the notes above).", severity="warning")
            return
        body, _ = self.request.problems(self.editor.text)
        command = self.request.as_curl(body or {})
        self.app.copy_to_clipboard(command)  # OSC 52: works over SSH
        hint = f"\n\n$TOKEN: {self.request.token_hint}" if self.request.token else ""
        self._answer(f"copied to the clipboard (token as $TOKEN):\n\n{command}{hint}")

    @work(exclusive=True, group="burst", description="send a burst of requests")
    async def action_burst(self) -> None:
        if refused_offline(self, "burst"):
            return
        if self.request is None or self.problems:
            self._answer("a burst needs a valid request")
            return
        count, concurrency = BURST
        self._answer(f"burst: {count} requests, {concurrency} at a time…")
        if isinstance(self.request, ChatRequest):
            result = await self.request.burst(self.editor.text.encode(), count, concurrency)
            self._answer(stream_burst_text(result))
            return
        self.burst_result = await self.request.burst(self.editor.text.encode(), count, concurrency)
        self._answer(burst_text(self.burst_result))

    def action_history(self) -> None:
        dep = self.deployment
        past = history.entries(dep.namespace, dep.name)
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
            f"{history.history_file(dep.namespace, dep.name)}):\n" + "\n".join(lines)
        )

    def action_reset(self) -> None:
        if self.request is not None and self.request.body is not None:
            self.editor.text = self.request.pretty()
        self._answer("")
