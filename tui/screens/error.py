"""When the cluster cannot be reached at start: the reason in one line, and a retry."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Static

from tui.access import holder
from tui.safe import SafeStatic
from tui.widgets.header import HeaderBar
from tui.widgets.keys_footer import KeysFooter

ADVICE = (
    "Check that you are logged in (`oc login …`), that KUBECONFIG or --kubeconfig and "
    "--context point where you mean, and that this host can reach the API server."
)


class ErrorScreen(Screen):
    HELP_TITLE = "cannot reach the cluster"
    BINDINGS = [Binding("r", "retry", "Retry"), Binding("q", "app.quit", "Quit")]

    def __init__(self, reason: str, where: str = "") -> None:
        super().__init__()
        self.reason = reason
        self.where = where
        self.attempts = 1

    def compose(self) -> ComposeResult:
        yield HeaderBar("rhoai-doctor")
        with Vertical(id="dialog"):
            yield Static("rhoai-doctor could not connect to the cluster", classes="pane-title")
            yield SafeStatic(Text(self.reason, style="bold"), id="reason")
            yield SafeStatic(self.where, id="where", classes="muted")
            yield Static(ADVICE, id="advice")
            yield Static("Press r to retry, q to quit.", id="retry-state")
        yield KeysFooter(compact=True)

    def action_retry(self) -> None:
        self.attempts += 1
        self.query_one("#retry-state", Static).update(f"retrying (attempt {self.attempts})…")
        holder(self).connect()

    def failed_again(self, reason: str) -> None:
        self.reason = reason
        self.query_one("#reason", Static).update(Text(reason, style="bold"))
        self.query_one("#retry-state", Static).update(
            f"attempt {self.attempts} failed too. Press r to retry, q to quit."
        )
