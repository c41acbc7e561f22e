"""The keys of the screen below, generated from its bindings and the app's."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

GENERAL = [
    ("ctrl+p", "command palette: jump to a project or deployment, diagnose, switch context, theme"),
    ("tab / shift+tab", "move between the lists; the mouse works too"),
]
NOTE = (
    "rhoai-doctor is read-only: it only reads your cluster, and never changes it.\n"
    "While you type in a filter or search, letters go there; escape leaves it."
)


def key_rows(screen: Screen) -> list[tuple[str, str]]:
    """(key, what) for every described binding of the screen, then the app's."""
    rows: list[tuple[str, str]] = []
    seen: set[str] = set()
    digits: list[Binding] = []
    for binding in [*_bindings(screen), *_bindings(screen.app)]:
        if not binding.description or binding.action in seen:
            continue
        seen.add(binding.action)
        if binding.key.isdigit() and binding.action.startswith("show_tab"):
            digits.append(binding)
            continue
        what = binding.description
        if binding.tooltip:
            what = f"{what}: {binding.tooltip}"
        rows.append((binding.key_display or binding.key, what))
    if digits:  # the numbered tabs, on one line
        keys = f"{digits[0].key}…{digits[-1].key}" if len(digits) > 1 else digits[0].key
        rows.insert(0, (keys, ", ".join(b.description for b in digits)))
    return rows + GENERAL


def _bindings(node: object) -> list[Binding]:
    return [b for b in getattr(node, "BINDINGS", []) if isinstance(b, Binding)]


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q", "app.pop_screen", "Close")]

    def __init__(self, below: Screen) -> None:
        super().__init__()
        self.rows = key_rows(below)
        self.title_text = getattr(below, "HELP_TITLE", type(below).__name__.removesuffix("Screen"))

    def compose(self) -> ComposeResult:
        grid = Table.grid(padding=(0, 2))
        grid.add_column(justify="right", style="bold", no_wrap=True)
        grid.add_column()
        for key, what in self.rows:
            grid.add_row(key, what)
        with VerticalScroll(id="dialog"):
            yield Static(Text(f"Keys: {self.title_text}", style="bold"), id="help-title")
            yield Static(grid, id="help-keys")
            yield Static(Text(NOTE, style="dim"), id="help-note")

    def text(self) -> str:
        """Everything the dialog says, as plain text (for tests and screen readers)."""
        keys = "\n".join(f"{k}  {w}" for k, w in self.rows)
        return f"Keys: {self.title_text}\n{keys}\n{NOTE}"
