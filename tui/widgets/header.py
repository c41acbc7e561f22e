"""The top line of every screen: where you are on the left, the read-only promise on the right."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static


class HeaderBar(Horizontal):
    """One line; the left part is cut with an ellipsis before "read-only" is ever hidden."""

    def __init__(self, text: str = "", *, tls_unverified: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._text = text
        self._tls_unverified = tls_unverified

    def compose(self) -> ComposeResult:
        yield Static(self._text, id="identity", markup=False)
        if self._tls_unverified:  # said on every screen that shows where you are
            yield Static("TLS NOT VERIFIED", id="tls-warning")
        yield Static("read-only", id="read-only")

    def set_text(self, text: str) -> None:
        self._text = text
        if self.is_mounted:
            self.query_one("#identity", Static).update(text)

    @property
    def text(self) -> str:
        return self._text
