"""A one-line search box for a text view (the manifest's `/`): enter finds, escape leaves."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input

from tui.focus import focus_now


class SearchBox(Input):
    """Hidden until `/`; enter posts Find with the text, escape closes it (not the screen)."""

    DEFAULT_CSS = """
    SearchBox { height: 1; border: none; padding: 0 1; background: $boost; }
    SearchBox:focus { border: none; }
    """
    BINDINGS = [Binding("escape", "leave", "Leave", show=False)]

    class Find(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            placeholder="search: enter finds, n/N next/previous, escape leaves", **kwargs
        )

    def on_mount(self) -> None:
        self.display = False

    def open(self) -> None:
        self._return_to = self.screen.focused
        self.display = True
        focus_now(self)  # the keys typed after `/` (already queued) come here

    def action_leave(self) -> None:
        self.display = False
        back = getattr(self, "_return_to", None)
        if back is not None and back.is_mounted:
            focus_now(back)

    @on(Input.Submitted)
    def _find(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_leave()
        self.post_message(self.Find(self.value))
