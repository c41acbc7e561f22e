"""The inference request composer: prefilled from the model, validated as you type, sent with
the model's token, the answer explained, compared with a local onnxruntime run."""

from __future__ import annotations

import asyncio
import json
import time

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static, TextArea

from checks.compose import Prefill, prefill, route_rules
from checks.errors import DoctorError
from checks.local_run import compare, run_local
from checks.resources import Deployment
from checks.send import as_curl, burst, http_client, send
from checks.snapshot import Snapshot
from checks.v2 import parse_request, validate
from tui import history
from tui.widgets.header import HeaderBar

BURST = (100, 8)
FORCE_WINDOW_S = 5.0


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
        self.filled: Prefill | None = None
        self.problems: list[str] = []
        self.last_response: dict | None = None
        self._force_until = 0.0
        self.burst_result = None

    def compose(self) -> ComposeResult:
        dep = self.deployment
        yield HeaderBar(f"Request to {dep.namespace}/{dep.name} ({dep.platform})")
        yield Static("preparing the request from the model…", id="notes")
        with Horizontal(id="composer"):
            yield TextArea.code_editor("", language="json", id="body")
            with VerticalScroll(id="answer-box"):
                yield Static("", id="answer")
        yield Static("", id="problems")
        yield Footer()

    def on_mount(self) -> None:
        self.prepare()

    def _ctx(self):
        return self.app.backend.context_for(self.snapshot, self.deployment)  # type: ignore[attr-defined]

    @work(exclusive=True, group="prefill")
    async def prepare(self) -> None:
        try:
            self.filled = await prefill(self._ctx())
        except DoctorError as error:
            self.query_one("#notes", Static).update(f"cannot prepare a request: {error}")
            return
        except Exception as error:  # S3 or ONNX trouble: say it, keep the screen
            self.query_one("#notes", Static).update(f"cannot read the model: {error}")
            return
        notes = [f"POST {self.filled.url}", *self.filled.notes]
        self.query_one("#notes", Static).update("\n".join(notes))
        self.query_one("#body", TextArea).text = json.dumps(self.filled.request, indent=2)
        self.query_one("#body", TextArea).focus()

    # -- validation as you type ---------------------------------------------------------
    @on(TextArea.Changed, "#body")
    def _changed(self) -> None:
        self._validate()

    def _validate(self) -> dict | None:
        body, problems = parse_request(self.query_one("#body", TextArea).text)
        messages = [p.message for p in problems]
        if body is not None and self.filled is not None:
            messages = [p.message for p in validate(body, self.filled.signature)]
        self.problems = messages
        text = (
            "✓ the request matches the model"
            if not messages
            else "\n".join(f"✗ {m}" for m in messages)
        )
        self.query_one("#problems", Static).update(text)
        self.query_one("#problems", Static).set_class(bool(messages), "has-problems")
        return body

    # -- sending ----------------------------------------------------------------------
    def action_send(self) -> None:
        if self.filled is None:
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

    @work(exclusive=True, group="send")
    async def send_request(self) -> None:
        assert self.filled is not None
        raw = self.query_one("#body", TextArea).text
        opts = self.app.backend.check_options  # type: ignore[attr-defined]
        self._answer("sending…")
        async with http_client(opts.route_ca, not opts.insecure, 30) as http:
            try:
                sent = await send(
                    http,
                    self.filled.url,
                    raw.encode(),
                    self.filled.token,
                    route_rules(self._ctx()),
                    self.deployment.name,
                )
            except Exception as error:
                self._answer(f"the request failed: {error}")
                history.record(
                    self.deployment.namespace,
                    self.deployment.name,
                    self.filled.url,
                    raw,
                    None,
                    0.0,
                    str(error),
                )
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
            self.deployment.namespace,
            self.deployment.name,
            self.filled.url,
            raw,
            sent.status,
            sent.seconds,
            sent.explanation,
        )

    def _answer(self, text: str) -> None:
        self.query_one("#answer", Static).update(text)

    @work(exclusive=True, group="compare")
    async def action_compare(self) -> None:
        body = self._validate()
        if self.filled is None or body is None or self.problems:
            self._answer("compare needs a valid request")
            return
        if self.last_response is None:
            self._answer("send the request first (ctrl+s), then compare")
            return
        storage = self._ctx().storage()
        try:
            model = await asyncio.to_thread(storage.read, self.filled.model_key, 2**31)
            local = await asyncio.to_thread(run_local, model, body)
        except Exception as error:
            self._answer(f"cannot run the model locally: {error}")
            return
        lines = [
            f"{'✓' if c.agrees else '✗'} {c.output}: {'agrees' if c.agrees else 'DIFFERS'}"
            f" ({c.detail})"
            for c in compare(local, self.last_response)
        ]
        self._answer("local onnxruntime vs the deployed model:\n" + "\n".join(lines))

    def action_copy_curl(self) -> None:
        if self.filled is None:
            return
        body, _ = parse_request(self.query_one("#body", TextArea).text)
        opts = self.app.backend.check_options  # type: ignore[attr-defined]
        command = as_curl(
            self.filled.url,
            body or {},
            token=self.filled.token,
            show_token=False,
            ca_file=opts.route_ca,
            insecure=opts.insecure,
            rules=route_rules(self._ctx()),
        )
        self.app.copy_to_clipboard(command)  # OSC 52: works over SSH
        self._answer("copied to the clipboard (token as $TOKEN):\n\n" + command)

    @work(exclusive=True, group="burst")
    async def action_burst(self) -> None:
        if self.filled is None or self.problems:
            self._answer("a burst needs a valid request")
            return
        count, concurrency = BURST
        raw = self.query_one("#body", TextArea).text.encode()
        opts = self.app.backend.check_options  # type: ignore[attr-defined]
        self._answer(f"burst: {count} requests, {concurrency} at a time…")
        async with http_client(opts.route_ca, not opts.insecure, 30) as http:
            result = await burst(
                http,
                self.filled.url,
                raw,
                self.filled.token,
                route_rules(self._ctx()),
                count,
                concurrency,
            )
        self.burst_result = result
        statuses = ", ".join(f"{k}x{v}" for k, v in sorted(result.statuses.items()))
        self._answer(
            f"burst: {result.count} requests at concurrency {result.concurrency} in "
            f"{result.seconds:.2f} s\np50 {result.p50 * 1000:.1f} ms · p95 "
            f"{result.percentile(95) * 1000:.1f} ms · p99 "
            f"{result.percentile(99) * 1000:.1f} ms\nerrors {result.errors} · "
            f"statuses {statuses}"
        )

    def action_history(self) -> None:
        past = history.entries(self.deployment.namespace, self.deployment.name)
        if not past:
            self._answer("no requests sent to this deployment yet")
            return
        lines = [
            f"{e['time']}  {e['status']}  {e['seconds'] * 1000:.0f} ms  {e['outcome']}"
            for e in reversed(past)
        ]
        self._answer(
            "history (newest first; bodies are kept in "
            f"{history.history_file(self.deployment.namespace, self.deployment.name)})"
            ":\n" + "\n".join(lines)
        )

    def action_reset(self) -> None:
        if self.filled is not None:
            self.query_one("#body", TextArea).text = json.dumps(self.filled.request, indent=2)
