"""What the console says when a live-only action is asked of a capture (`--from`): a toast that
says why, never a silent no-op or an error screen."""

from __future__ import annotations

from textual.widget import Widget

from tui.access import session_of


def is_offline(node: Widget) -> bool:
    return bool(session_of(node).offline)


def refused_offline(node: Widget, what: str) -> bool:
    """True (and a toast) when `what` needs the live cluster and this console reads a capture."""
    if not is_offline(node):
        return False
    node.notify(
        f"{what} is not available offline: this console reads a capture, not the cluster",
        title="offline capture",
        severity="warning",
        markup=False,
    )
    return True
