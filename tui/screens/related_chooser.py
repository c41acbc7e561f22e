"""`o` on a row: where it can jump (tui/related.py), one letter each; enter or the letter goes,
escape or q stays."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.events import Key
from textual.screen import ModalScreen
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui import safe
from tui.related import Place
from tui.safe import SafeStatic


class RelatedChooser(ModalScreen[Place | None]):
    HELP_TITLE = "jump to a related object"
    DEFAULT_CSS = """
    RelatedChooser { align: center middle; }
    RelatedChooser #related { width: 64; max-width: 100%; height: auto; max-height: 90%;
        border: thick $primary; background: $surface; padding: 0 1; }
    RelatedChooser OptionList { height: auto; max-height: 12; border: none; }
    """
    BINDINGS = [Binding("escape,q", "stay", "Stay", tooltip="close without jumping")]

    def __init__(self, what: str, places: list[Place]) -> None:
        super().__init__()
        self.what, self.places = what, places

    def compose(self) -> ComposeResult:
        with Vertical(id="related"):
            yield SafeStatic(Text(f"Jump from {self.what} to… (- comes back)", style="bold"))
            yield OptionList(
                *(
                    Option(safe.line(Text.assemble((p.letter, "bold"), "  ", p.label)))
                    for p in self.places
                ),
                id="places",
            )

    def on_key(self, event: Key) -> None:
        chosen = next((p for p in self.places if p.letter == event.character), None)
        if chosen is not None:
            event.stop()
            self.dismiss(chosen)

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.places[event.option_index])

    def action_stay(self) -> None:
        self.dismiss(None)
