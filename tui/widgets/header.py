"""The top line of every screen: where you are on the left, the read-only promise on the right.
The left part names what others wrote (a model's runtime, a pod, a capture's folder): it is
sanitised here, whatever a screen hands over (tui.safe)."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from checks.text import one_line
from tui.safe import SafeStatic


class HeaderBar(Horizontal):
    """One line; the left part is cut with an ellipsis before "read-only" is ever hidden."""

    def __init__(self, text: str = "", *, tls_unverified: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._text = text
        self._tls_unverified = tls_unverified

    def compose(self) -> ComposeResult:
        yield SafeStatic(one_line(self._text), id="identity")
        if self._tls_unverified:  # said on every screen that shows where you are
            yield Static("TLS NOT VERIFIED", id="tls-warning")
        yield Static("read-only", id="read-only")

    def set_text(self, text: str) -> None:
        self._text = text
        if self.is_mounted:
            self.query_one("#identity", SafeStatic).update(one_line(text))

    @property
    def text(self) -> str:
        return self._text
