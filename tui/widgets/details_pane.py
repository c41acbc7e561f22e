"""The details under the tables: a readable summary of the selected object, or its YAML (secret
values masked), or a one-off text (a revealed secret) until the cursor moves."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.reactive import reactive

from checks.cluster.kinds import KindView
from checks.cluster.snapshot import Snapshot
from checks.resources.tables import as_yaml
from tui import safe
from tui.changes import changes_section
from tui.safe import SafeStatic
from tui.summaries import DETAILS


class DetailsPane(VerticalScroll):
    showing_yaml: reactive[bool] = reactive(False)

    def compose(self) -> ComposeResult:
        yield SafeStatic("Select a project.", id="details")

    def watch_showing_yaml(self, showing: bool) -> None:
        self.set_class(showing, "-yaml")

    def say(self, text: str | Text) -> None:
        self.query_one("#details", SafeStatic).update(safe.text(text))

    def show(self, view: KindView, obj: Any, snapshot: Snapshot) -> None:
        if obj is None:
            error = snapshot.error_line(view.error_kind)
            self.say(Text(error, style="red") if error else Text("Nothing here."))
        elif self.showing_yaml:
            self.say(Text(as_yaml(obj)))
        else:
            text = DETAILS[view.name](obj, snapshot)
            changes = changes_section(self.app, obj, snapshot)
            self.say(Text.assemble(text, changes) if changes is not None else text)
