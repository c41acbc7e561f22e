"""The keys of the screen below, generated from its bindings."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

GENERAL = [
    ("ctrl+p", "command palette: jump to a project or deployment, diagnose, switch context"),
    ("tab", "next pane"),
    ("q / ctrl+q", "quit"),
]


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,question_mark,q", "app.pop_screen", "Close")]

    def __init__(self, bindings: list[Binding]) -> None:
        super().__init__()
        self.bindings = bindings

    def compose(self) -> ComposeResult:
        rows = [(b.key_display or b.key, b.description) for b in self.bindings if b.description]
        rows += GENERAL
        width = max(len(k) for k, _ in rows)
        text = "\n".join(f"{k:<{width}}  {d}" for k, d in rows)
        with Vertical(id="dialog"):
            yield Static(
                "rhoai-doctor keys (read-only: nothing here changes your cluster)\n\n"
                + text
                + "\n\nWhile typing in a filter, letters go to the filter; "
                "escape leaves it.",
                id="question",
            )
