"""When the cluster cannot be reached at start: the reason in one line, and a retry."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Static


class ErrorScreen(Screen):
    BINDINGS = [Binding("r", "retry", "Retry"), Binding("q", "app.quit", "Quit")]

    def __init__(self, reason: str) -> None:
        super().__init__()
        self.reason = reason

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static("rhoai-doctor cannot reach the cluster", classes="pane-title")
            yield Static(self.reason, id="reason")
            yield Static("\nCheck `oc login` / KUBECONFIG / --context, then press r to retry.")
        yield Footer()

    def action_retry(self) -> None:
        self.app.connect()  # type: ignore[attr-defined]
