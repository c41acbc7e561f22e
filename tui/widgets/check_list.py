"""The diagnosis' checks: one row each, root causes first, the rest in dependency order, and
the ones still running marked as waiting."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.events import Resize
from textual.message import Message
from textual.widgets import DataTable

from checks.catalog import CATALOG
from checks.engine.report import MARKS
from checks.engine.runner import Result, Status, order
from tui import safe
from tui.truncate import cut_end

STYLES = {
    Status.PASS: "green",
    Status.WARN: "yellow",
    Status.FAIL: "bold red",
    Status.SKIP: "dim",
    Status.ERROR: "magenta",
}
ORDER = [c.id for c in order(CATALOG)]
TITLES = {c.id: c.title for c in CATALOG}


def ordered(results: Iterable[Result]) -> list[Result]:
    """Root causes (failed checks) first, then the rest in dependency order."""
    known = sorted(results, key=lambda r: ORDER.index(r.id))
    return [r for r in known if r.status == Status.FAIL] + [
        r for r in known if r.status != Status.FAIL
    ]


def check_details(result: Result) -> Text:
    """Summary, the fix, then the evidence seen: what an SRE would paste into a ticket."""
    text = Text()
    text.append(f"{MARKS[result.status]} {result.title}", style=STYLES[result.status])
    text.append(f"  ({result.id}, {result.status})\n", style="dim")
    text.append(result.summary + "\n")
    if result.remediation:
        text.append("fix\n", style="bold green")
        text.append(f"  {result.remediation}\n")
    if result.evidence:
        text.append("evidence\n", style="bold")
        for line in result.evidence:
            text.append(f"  • {line}\n")
    if result.blocked_by and result.summary.startswith("consequence of "):
        text.append(f"a consequence of {result.blocked_by}: fix that first\n", style="dim")
    elif result.blocked_by:
        text.append(f"not run: blocked by {result.blocked_by}\n", style="dim")
    return text


class CheckList(DataTable):
    class Highlighted(Message):
        """Another check is under the cursor (None: one still running)."""

        def __init__(self, result: Result | None) -> None:
            super().__init__()
            self.result = result

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self.shown: list[Result] = []
        self._stopped = False
        self._width = 0

    def on_mount(self) -> None:
        self.add_columns("", "CHECK", "RESULT")

    def show_results(self, results: Iterable[Result], stopped: bool = False) -> None:
        """`stopped`: the diagnosis ended early, so the missing checks did not run."""
        selected = self.cursor_row
        self.shown = ordered(results)
        self._stopped = stopped
        self.clear()
        room = self._summary_room()
        for result in self.shown:
            style = STYLES[result.status]
            self.add_row(
                Text(MARKS[result.status], style=style),
                safe.line(result.title, style=style),
                safe.line(cut_end(result.summary, room) if room else result.summary),
                key=result.id,
            )
        done = {r.id for r in self.shown}
        for check_id in ORDER:
            if check_id not in done:
                self.add_row(
                    Text("…", style="dim"),
                    Text(TITLES[check_id], style="dim"),
                    Text("not run" if stopped else "waiting", style="dim"),
                    key=check_id,
                )
        if self.row_count:
            self.move_cursor(row=min(max(selected, 0), self.row_count - 1))

    def _summary_room(self) -> int:
        """What is left of the width for the summary once marks and titles are drawn (every
        cut ends in `…`; the whole summary is in the box below)."""
        if self.size.width <= 0:
            return 0
        titles = max((cell_len(TITLES[i]) for i in ORDER), default=5)
        return max(12, self.size.width - titles - 1 - 6 - 2)

    def on_resize(self, event: Resize) -> None:
        if event.size.width != self._width:
            self._width = event.size.width
            self.show_results(self.shown, self._stopped)

    @on(DataTable.RowHighlighted)
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self.post_message(self.Highlighted(self.selected_result()))

    def selected_result(self) -> Result | None:
        row = self.cursor_row
        return self.shown[row] if 0 <= row < len(self.shown) else None
