"""The bottom line: which project, how fresh, and what is wrong in it at a glance."""

from __future__ import annotations

import time
from typing import Any

from rich.text import Text
from textual.reactive import reactive

from checks.cluster.snapshot import Snapshot
from tui.safe import SafeStatic


class StatusLine(SafeStatic):
    """Names a project and its errors: every update is shown, never obeyed (tui.safe)."""

    project: reactive[str | None] = reactive(None, init=False)
    snapshot: reactive[Snapshot | None] = reactive(None, init=False)
    error: reactive[str] = reactive("", init=False)
    updated_at: reactive[float | None] = reactive(None, init=False)
    elsewhere: reactive[int] = reactive(0, init=False)  # failing in the other projects
    # failing here by the diagnosis verdict (the sweep's); None: not diagnosed yet, so the
    # states' count stands in
    here: reactive[int | None] = reactive(None, init=False)

    def __init__(self, show_clock: bool = True, **kwargs: Any) -> None:
        # Until a project is chosen the first LIST is on its way: say so (a slow cluster).
        super().__init__("listing projects…", **kwargs)
        self.show_clock = show_clock

    def on_mount(self) -> None:
        self.set_interval(1.0, self.refresh_line)

    def watch_project(self) -> None:
        self.refresh_line()

    def watch_snapshot(self) -> None:
        self.refresh_line()

    def watch_error(self) -> None:
        self.refresh_line()

    def watch_elsewhere(self) -> None:
        self.refresh_line()

    def watch_here(self) -> None:
        self.refresh_line()

    def say(self, text: str) -> None:
        self.update(Text(text))

    def update(self, content: Any = "", *, layout: bool = False) -> None:
        """One line tall whatever it says (app.tcss): the clock's tick each second redraws this
        line, not the whole screen's layout."""
        super().update(content, layout=layout)

    def refresh_line(self) -> None:
        snapshot = self.snapshot
        if self.project is None:
            return
        if snapshot is None or snapshot.namespace != self.project:
            if self.error:
                self.update(Text(f"{self.project}: {self.error}", style="bold red"))
            else:
                self.update(Text(f"loading {self.project}…"))
            return
        age = int(time.monotonic() - (self.updated_at or time.monotonic()))
        when = f"updated {age}s ago" if self.show_clock else "updated"
        line = Text(f"{self.project} · {when}")
        failing = self.here
        if failing is None:
            failing = sum(snapshot.state_of(d).failed for d in snapshot.deployments)
        if failing:
            line.append(f" · ✗ {failing} deployment(s) failed", style="bold red")
        if self.elsewhere:  # what the first screen would otherwise hide (0 lists them)
            line.append(f" · ✗ {self.elsewhere} failing elsewhere (0)", style="bold red")
        if self.error:
            line.append(f" · refresh failed: {self.error}", style="bold red")
        warnings = sum(e.is_warning for e in snapshot.events)
        if warnings:  # last: at 80 columns the failures above are what must show
            line.append(f" · ⚠ {warnings} warning event(s)", style="bold red")
        self.update(line)
