"""The keys of the screen below, generated from its bindings and the app's (tui/key_rows.py;
tui/keys.py writes README's table from the same rows)."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from checks.resources.fleet import LEGEND
from tui.key_rows import NOTE, key_rows

MARKS = f"Marks (projects, 0): the diagnosis of each deployment. {LEGEND}"


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q", "app.pop_screen", "Close")]

    def __init__(self, below: Screen) -> None:
        super().__init__()
        self.rows = key_rows(type(below), type(below.app))
        self.title_text = getattr(below, "HELP_TITLE", type(below).__name__.removesuffix("Screen"))
        self.marks = MARKS if getattr(below, "MARKS_LEGEND", False) else ""

    def compose(self) -> ComposeResult:
        grid = Table.grid(padding=(0, 2))
        grid.add_column(justify="right", style="bold", no_wrap=True)
        grid.add_column()
        for key, what in self.rows:
            grid.add_row(key, what)
        with VerticalScroll(id="dialog"):
            yield Static(Text(f"Keys: {self.title_text}", style="bold"), id="help-title")
            yield Static(grid, id="help-keys")
            if self.marks:
                yield Static(Text(self.marks), id="help-marks")
            yield Static(Text(NOTE, style="dim"), id="help-note")

    def on_mount(self) -> None:
        self.query_one("#dialog").focus()  # j/k/g/G and the arrows scroll the keys

    def text(self) -> str:
        """Everything the dialog says, as plain text (for tests and screen readers)."""
        keys = "\n".join(f"{k}  {w}" for k, w in self.rows)
        marks = f"{self.marks}\n" if self.marks else ""
        return f"Keys: {self.title_text}\n{keys}\n{marks}{NOTE}"
