"""One tab per kind of checks.cluster.kinds, each a table of the project's objects. Given a snapshot
(reactive), the visible tab is filled at once and the others when first shown (big projects)."""

from __future__ import annotations

import time
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import DataTable, Static, TabbedContent, TabPane

from checks.cluster.kinds import VIEWS, KindView, view
from checks.cluster.snapshot import Snapshot
from checks.text import one_line
from tui.cells import console_columns, row, tab_label
from tui.safe import SafeStatic
from tui.widgets.resource_table import ResourceTable


class ResourceTabs(Vertical):
    class Highlighted(Message):
        """The cursor rests on another row, or another tab was opened."""

    class Chosen(Message):
        """enter on a row: the screen drills into the object."""

        def __init__(self, chosen: Any) -> None:
            super().__init__()
            self.chosen = chosen

    snapshot: reactive[Snapshot | None] = reactive(None, always_update=True, init=False)
    narrow: reactive[bool] = reactive(False, init=False)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._stale: set[str] = set()
        self.last_fill_seconds = 0.0

    def compose(self) -> ComposeResult:
        with TabbedContent(id="tabs"):
            for kind in VIEWS:
                with TabPane(kind.title, id=f"tab-{kind.name}"):
                    error = SafeStatic("", id=f"error-{kind.name}", classes="pane-error")
                    error.display = False  # not in on_mount: the panes may mount later
                    yield error
                    yield ResourceTable(
                        tuple(c.header for c in console_columns(kind)), id=f"table-{kind.name}"
                    )

    @property
    def tabbed(self) -> TabbedContent:
        return self.query_one(TabbedContent)

    def current_view(self) -> KindView:
        return view((self.tabbed.active or f"tab-{VIEWS[0].name}").removeprefix("tab-"))

    def table(self, name: str) -> ResourceTable:
        return self.query_one(f"#table-{name}", ResourceTable)

    def current_table(self) -> ResourceTable:
        return self.table(self.current_view().name)

    def selected(self) -> Any:
        return self.current_table().selected_object()

    def show(self, name: str) -> None:
        self.tabbed.active = f"tab-{name}"

    def watch_snapshot(self, snapshot: Snapshot | None) -> None:
        self._stale = {kind.name for kind in VIEWS}
        if snapshot is None:
            for kind in VIEWS:
                self.table(kind.name).set_rows([])
                self.query_one(f"#error-{kind.name}", Static).display = False
        else:
            started = time.perf_counter()
            self._fill(self.current_view(), snapshot)
            self.last_fill_seconds = time.perf_counter() - started
        self._label()

    def watch_narrow(self) -> None:
        self._label()

    def on_mount(self) -> None:
        self._label()  # a resize (`narrow`) may have come while the tabs were composing

    @on(TabbedContent.TabActivated)
    def _activated(self, event: TabbedContent.TabActivated) -> None:
        event.stop()
        if self.snapshot is not None:
            self._fill(self.current_view(), self.snapshot)
        self.post_message(self.Highlighted())

    @on(DataTable.RowHighlighted)
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self.post_message(self.Highlighted())

    @on(DataTable.RowSelected)
    def _chosen(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.post_message(self.Chosen(self.selected()))

    def _fill(self, kind: KindView, snapshot: Snapshot) -> None:
        if kind.name not in self._stale:
            return
        self._stale.discard(kind.name)
        error = snapshot.error_line(kind.error_kind)
        label = self.query_one(f"#error-{kind.name}", Static)
        label.update(Text(f"✗ {error}", style="bold red") if error else "")
        rows = (
            []
            if error
            else [(kind.key(o), row(kind, o, snapshot), o) for o in kind.objects(snapshot)]
        )
        table = self.table(kind.name)
        table.set_rows(rows)
        unreadable = snapshot.unreadable.get(kind.error_kind, [])
        if table.hidden_rows and not error:
            label.update(
                f"showing the first {table.drawn_rows:,} of {len(rows):,}; press / to "
                "filter them all"
            )
        elif unreadable and not error:
            more = f" (+{len(unreadable) - 1} more)" if len(unreadable) > 1 else ""
            label.update(Text(f"⚠ {one_line(unreadable[0])}{more}", style="bold yellow"))
        label.display = bool(error) or bool(table.hidden_rows) or bool(unreadable)

    def _label(self) -> None:
        if not self.query(TabbedContent):  # still composing: labelled once mounted
            return
        for kind in VIEWS:
            tab = self.tabbed.get_tab(f"tab-{kind.name}")
            label = tab_label(kind, self.snapshot, self.narrow)
            if tab.label_text != label:  # a relabel lays the screen out again: only on change
                tab.label = label
