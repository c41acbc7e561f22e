"""The typed way every screen and widget reaches the one Session of the app (and nothing else of
the cluster): no `self.app.backend` with a type-ignore in sight."""

from __future__ import annotations

from typing import Protocol, cast

from textual.dom import DOMNode

from checks.session import Identity, Session
from tui.first_reads import FirstReads
from tui.prefs import Prefs
from tui.xdg import Places


class SessionHolder(Protocol):
    session: Session
    identity: Identity | None
    show_clock: bool
    places: Places  # where reports, exports and preferences go (tui/xdg.py)
    prefs: Prefs  # what was remembered from last time (tui/prefs.py)
    first_reads: FirstReads | None  # the first frame's reads, asked while connecting

    def connect(self) -> object: ...

    def switch_context(self, context: str) -> None: ...

    def remember(self, **changes: str | None) -> None: ...

    def start_up_over(self) -> None: ...


def holder(node: DOMNode) -> SessionHolder:
    return cast(SessionHolder, node.app)


def session_of(node: DOMNode) -> Session:
    return holder(node).session
