"""The filter box: narrows whichever list it was opened for, as you type."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.widgets import Input

from tui.focus import focus_now
from tui.widgets.resource_table import ResourceTable


class FilterBar(Input):
    """Hidden until used; shows the filter of the list in use only when it has one."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            placeholder="filter: type to narrow the list; escape leaves",
            **kwargs,
        )
        self.target: ResourceTable | None = None

    def on_mount(self) -> None:
        self.display = False

    def open_for(self, table: ResourceTable, what: str) -> None:
        self.target = table
        self.value = table.filter_text
        self.placeholder = f"filter {what} (enter keeps it, escape clears it)"
        self.display = True
        focus_now(self)  # the keys typed after `/` (already queued) come here

    def follow(self, table: ResourceTable) -> None:
        """Another list is in use: show its filter, if it has one (not while typing)."""
        if self.has_focus:
            return
        self.target = table
        with self.prevent(Input.Changed):
            self.value = table.filter_text
        self.display = bool(table.filter_text)

    def clear(self) -> None:
        with self.prevent(Input.Changed):
            self.value = ""
        self.display = False
        if self.target is not None:
            self.target.apply_filter("")
            focus_now(self.target)

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        if self.target is not None:
            self.target.apply_filter(event.value)

    @on(Input.Submitted)
    def _kept(self, event: Input.Submitted) -> None:
        event.stop()
        if self.target is not None:
            focus_now(self.target)
