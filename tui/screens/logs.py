"""Logs of a runtime pod: every container (init ones too), the previous instance after a crash,
tail or everything, each line's time (`t`), follow (`f`: one long GET whose lines are appended
as the container writes them, asked again from the last line's time when it drops; see
checks.cluster.log_follow), search, and `w` to wrap long lines at the pane's width (vLLM's
KV-cache error is longer than any terminal)."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable

from rich.cells import chop_cells
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Input, Log, Select, Static

from checks.cluster.log_follow import split_stamp
from checks.errors import DoctorError
from checks.resources import ContainerState, Pod
from checks.text import visible
from tui import safe
from tui.access import session_of
from tui.offline import refused_offline
from tui.safe import SafeStatic
from tui.widgets.header import HeaderBar

TAIL = 500
FOLLOW_CAP = 10_000  # lines kept while following (the oldest go): memory stays bounded
PREFERRED = ("kserve-container", "ovms", "mm", "ovms-adapter")


def most_telling(pod: Pod) -> str:
    """Open on the container most likely to say what is wrong: one that restarts or is stuck,
    else the model server itself."""
    for c in pod.containers:
        if c.restarts or c.state == "waiting" or c.reason not in ("", "Completed"):
            return c.name
    names = [*pod.init_container_names, *pod.container_names]
    for preferred in PREFERRED:
        if preferred in names:
            return preferred
    return names[-1] if names else ""


def picker_label(c: ContainerState) -> str:
    """One line per container: `init storage-initializer · CrashLoopBackOff · 6 restarts`."""
    state = c.reason or c.state
    return f"{'init ' if c.init else ''}{c.name} · {state} · {c.restarts} restarts"


class LogsScreen(Screen):
    HELP_TITLE = "logs"
    BINDINGS = [
        Binding("escape,q", "back", "Back"),
        Binding("p", "previous", "Previous", tooltip="the instance before the last restart"),
        Binding("t", "timestamps", "Times", tooltip="each line's time, as the kubelet wrote it"),
        Binding("a", "toggle_tail", "All/tail", tooltip="all the lines, or the last 500"),
        Binding("f", "follow", "Follow", tooltip="new lines as they are written (one stream)"),
        Binding("slash", "search", "Search", key_display="/", tooltip="only lines containing…"),
        Binding("w", "wrap", "Wrap", tooltip="long lines wrapped at the pane's width, or cut"),
        Binding("r", "reload", "Reload", show=False, tooltip="read the log again"),
    ]

    def __init__(self, pod: Pod) -> None:
        super().__init__()
        self.pod = pod
        self.previous = False
        self.tail: int | None = TAIL
        self.following = False
        self.search = ""
        self.wrapped = False
        self.timestamps = False
        self.container = most_telling(pod)
        self._raw: deque[str] = deque()  # as the API server sent them
        self._stamped = False  # ...each led by its time (timestamps=true)
        self._lines: list[str] | None = None
        self._found = 0
        self._retry = ""  # why the follow is asking again

    def compose(self) -> ComposeResult:
        states = {c.name: c for c in self.pod.containers}
        options = []
        for name in [*self.pod.init_container_names, *self.pod.container_names]:
            state = states.get(name)
            options.append((safe.line(picker_label(state) if state else name), name))
        yield HeaderBar(f"logs of {self.pod.namespace}/{self.pod.name} · {self.pod.display_status}")
        yield Select(options, value=self.container, allow_blank=False, id="container")
        yield Log(id="log", highlight=False)
        yield Input(placeholder="search: lines containing… (escape leaves)", id="search")
        yield SafeStatic("", id="status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#search", Input).display = False
        self.query_one("#log", Log).focus()
        self.fetch()

    def read(self) -> None:
        """Read the log again as it is now set up: followed, or once."""
        if self.following:
            self.stream()
        else:
            self.fetch()

    @work(exclusive=True, group="log")
    async def fetch(self) -> None:
        self.workers.cancel_group(self, "follow")
        try:
            text = await session_of(self).log(
                self.pod.namespace,
                self.pod.name,
                self.container,
                tail=self.tail,
                previous=self.previous,
                timestamps=self.timestamps,
            )
        except DoctorError as error:
            which = "previous instance of " if self.previous else ""
            text = f"[rhoai-doctor] cannot read the log of {which}{self.container}: {error}\n"
        self._raw, self._stamped = deque(text.splitlines()), self.timestamps
        self._show()

    @work(exclusive=True, group="follow", description="follow the log")
    async def stream(self) -> None:
        """One long GET; its lines land as they come. Cancelled with the screen or by `f`."""
        self.workers.cancel_group(self, "log")
        self._raw, self._stamped, self._retry = deque(maxlen=FOLLOW_CAP), True, ""
        self._show()
        follow = session_of(self).follow_log(
            self.pod.namespace, self.pod.name, self.container, tail=self.tail
        )
        try:
            async for batch in follow.batches(on_retry=self._retrying):
                self._retry = ""
                self._raw.extend(batch)
                self._append(batch)
        except DoctorError as error:
            self.following = False
            self._raw.append(f"[rhoai-doctor] follow stopped: {error}")
            self._show()

    def _retrying(self, why: str, seconds: float) -> None:
        self._retry = f"reconnecting in {seconds:g} s ({why})"
        self._show_status()

    def _shown(self, raw: Iterable[str]) -> list[str]:
        """Lines as the reader asked for them: with or without times, searched, wrapped."""
        lines = [visible(self._line(line)) for line in raw]
        if self.search:
            needle = self.search.lower()
            lines = [line for line in lines if needle in line.lower()]
        self._found += len(lines)
        if self.wrapped:
            width = max(self.query_one("#log", Log).scrollable_content_region.width, 20)
            lines = [piece for line in lines for piece in (chop_cells(line, width) or [""])]
        return lines

    def _line(self, line: str) -> str:
        if not self._stamped or self.timestamps:
            return line
        return split_stamp(line)[1]

    def _append(self, batch: list[str]) -> None:
        """New lines at the end, the reader's scroll kept (Log follows the end only there)."""
        lines = self._shown(batch)
        log = self.query_one("#log", Log)
        log.write_lines(lines, scroll_end=log.is_vertical_scroll_end)
        self._lines = None  # the next _show draws it all again
        self._show_status()

    def _show(self) -> None:
        log = self.query_one("#log", Log)
        self._found = 0
        lines = self._shown(self._raw)
        log.max_lines = FOLLOW_CAP if self.following else None
        if lines != self._lines:
            self._lines = lines
            log.clear()
            log.write_lines(lines)
        self._show_status()

    def _show_status(self) -> None:
        found = self._found
        status = Text(self.container, style="bold")
        status.append(" · previous instance" if self.previous else " · current instance")
        status.append(f" · last {self.tail} lines" if self.tail else " · all lines")
        if self.following:
            status.append(" · following", style="bold green")
        if self._retry:
            status.append(f" · {self._retry}", style="bold yellow")
        if self.timestamps:
            status.append(" · times")
        if self.wrapped:
            status.append(" · wrapped")
        if not self.previous and (crashed := self._crashed()):
            status.append(f" · {crashed}: p shows the instance before", style="bold yellow")
        if self.search:
            status.append(f" · search '{self.search}': {found} line(s)", style="bold")
        elif not self._raw and self.following:
            status.append(" · waiting for lines…", style="dim")
        elif not self._raw:
            status.append(" · the log is empty", style="dim")
        self.query_one("#status", Static).update(status)

    def _crashed(self) -> str:
        """Why the current instance may not say it (it restarted, it is crash-looping): its
        last words are in the previous instance's log."""
        state = next((c for c in self.pod.containers if c.name == self.container), None)
        if state is None or not state.restarts:
            return ""
        why = f"{state.reason} · " if state.reason not in ("", "Completed") else ""
        return f"{why}restarted {state.restarts} time(s)"

    @on(Select.Changed, "#container")
    def _container_changed(self, event: Select.Changed) -> None:
        if str(event.value) != self.container:
            self.container = str(event.value)
            self.read()

    def action_previous(self) -> None:
        """The previous instance writes no more: following stops."""
        self.previous = not self.previous
        self.following = False
        self.fetch()

    def action_toggle_tail(self) -> None:
        self.tail = None if self.tail else TAIL
        self.read()

    def action_timestamps(self) -> None:
        if refused_offline(self, "times (a capture keeps the lines, not their times)"):
            return
        self.timestamps = not self.timestamps
        if self.timestamps and not self._stamped:
            self.fetch()  # asked again with timestamps=true
        else:
            self._show()

    def action_follow(self) -> None:
        if refused_offline(self, "follow (the log is the capture's tail)"):
            return
        self.following = not self.following
        if self.following:
            self.previous = False
            self.stream()
        else:
            self.workers.cancel_group(self, "follow")
            self._retry = ""
            self._show()

    def action_reload(self) -> None:
        self.read()

    def action_wrap(self) -> None:
        self.wrapped = not self.wrapped
        self._show()

    def on_resize(self) -> None:
        if self.wrapped:
            self.call_after_refresh(self._show)  # wrapped at the new width

    def action_search(self) -> None:
        box = self.query_one("#search", Input)
        box.display = True
        box.focus()

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        self.search = event.value
        self._show()

    @on(Input.Submitted, "#search")
    def _search_done(self) -> None:
        self.query_one("#log", Log).focus()

    def action_back(self) -> None:
        """escape leaves the search box first (keeping the search), then the screen."""
        box = self.query_one("#search", Input)
        if box.has_focus:
            box.display = bool(self.search)
            self.query_one("#log", Log).focus()
            return
        if self.search:
            self.search = ""
            box.value = ""
            box.display = False
            self._show()
            return
        self.app.pop_screen()
