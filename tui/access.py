"""The typed way every screen and widget reaches the one Session of the app (and nothing else of
the cluster): no `self.app.backend` with a type-ignore in sight."""

from __future__ import annotations

from typing import Protocol, cast

from textual.dom import DOMNode

from checks.session import Identity, Session


class SessionHolder(Protocol):
    session: Session
    identity: Identity | None
    show_clock: bool

    def connect(self) -> object: ...

    def switch_context(self, context: str) -> None: ...


def holder(node: DOMNode) -> SessionHolder:
    return cast(SessionHolder, node.app)


def session_of(node: DOMNode) -> Session:
    return holder(node).session
