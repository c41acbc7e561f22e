"""The floor under the console's start-up: a minimal Textual app (header, a table of 20 rows
with the same markers as the console's first frame, footer), timed by bench/startup.py in the
same pseudo-terminal. What the console takes above it is ours: imports, connect, reads, layout.
Run as `python -m bench.textual_floor`; q quits."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.events import Key
from textual.widgets import DataTable, Footer, Header


class Floor(App):
    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable()
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("NAME", "STATE")
        for i in range(20):
            table.add_row(f"iris-project-{i}", "Loaded")

    def on_key(self, event: Key) -> None:
        if event.key == "q":
            self.exit()


if __name__ == "__main__":
    Floor().run()
