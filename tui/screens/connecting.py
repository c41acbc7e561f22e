"""The first paint: before the cluster has answered anything, say where we are going and as
whom, so a slow API server is a line that says so, not a blank screen."""

from __future__ import annotations

from textual.app import App
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Static

from checks.cluster.connect import ClusterConfig
from checks.text import one_line
from tui.widgets.header import HeaderBar


def connecting_widgets(where: str) -> list[Widget]:
    """The app's own (bottom) screen: shown until the main or error screen covers it."""
    return [
        HeaderBar("rhoai-doctor", id="connecting-header"),
        Vertical(
            Static(one_line(f"reading {where}…"), id="connecting", markup=False),
            Static("q or ctrl+q quits", classes="muted", markup=False),
            id="connecting-box",
        ),
    ]


def connecting_line(cluster: ClusterConfig) -> str:
    who = cluster.user or ("a token" if cluster.token else "no credentials")
    context = f" (context {cluster.context})" if cluster.context else ""
    return one_line(f"connecting to {cluster.server} as {who}{context}…")


def show_resolved(app: App, cluster: ClusterConfig) -> None:
    """The kubeconfig is read (local); the first request to the server is about to go."""
    if not app.screen_stack:  # the console is closing: nothing left to update
        return
    for line in app.screen_stack[0].query("#connecting").results(Static):
        line.update(connecting_line(cluster))
