"""Logs of a runtime pod: every container (init ones too), the previous instance after a crash,
tail or everything, follow, search, and `w` to wrap long lines at the pane's width (vLLM's
KV-cache error is longer than any terminal)."""

from __future__ import annotations

from rich.cells import chop_cells
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Input, Log, Select, Static

from checks.errors import DoctorError
from checks.resources import ContainerState, Pod
from checks.text import visible
from tui import safe
from tui.access import session_of
from tui.offline import refused_offline
from tui.safe import SafeStatic
from tui.widgets.header import HeaderBar

TAIL = 500
FOLLOW_SECONDS = 2.0
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
        Binding("t", "toggle_tail", "Tail/all", tooltip="the last 500 lines, or all of them"),
        Binding("f", "follow", "Follow", tooltip="read again every 2 s"),
        Binding("slash", "search", "Search", key_display="/", tooltip="only lines containing…"),
        Binding("w", "wrap", "Wrap", tooltip="long lines wrapped at the pane's width, or cut"),
        Binding("r", "reload", "Reload"),
    ]

    def __init__(self, pod: Pod) -> None:
        super().__init__()
        self.pod = pod
        self.previous = False
        self.tail: int | None = TAIL
        self.following = False
        self.search = ""
        self.wrapped = False
        self.container = most_telling(pod)
        self._text = ""
        self._lines: list[str] | None = None

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
        self.set_interval(FOLLOW_SECONDS, self._poll)

    @work(exclusive=True, group="log")
    async def fetch(self) -> None:
        try:
            text = await session_of(self).log(
                self.pod.namespace,
                self.pod.name,
                self.container,
                tail=self.tail,
                previous=self.previous,
            )
        except DoctorError as error:
            which = "previous instance of " if self.previous else ""
            text = f"[rhoai-doctor] cannot read the log of {which}{self.container}: {error}\n"
        self._text = text
        self._show()

    def _show(self) -> None:
        log = self.query_one("#log", Log)
        lines = [visible(line) for line in self._text.splitlines()]
        if self.search:
            needle = self.search.lower()
            lines = [line for line in lines if needle in line.lower()]
        found = len(lines)
        if self.wrapped:
            width = max(log.scrollable_content_region.width, 20)
            lines = [piece for line in lines for piece in (chop_cells(line, width) or [""])]
        if lines != self._lines:  # unchanged while following: keep the reader's scroll
            self._lines = lines
            log.clear()
            log.write_lines(lines)
        status = Text(self.container, style="bold")
        status.append(" · previous instance" if self.previous else " · current instance")
        status.append(f" · last {self.tail} lines" if self.tail else " · all lines")
        if self.following:
            status.append(" · following", style="bold green")
        if self.wrapped:
            status.append(" · wrapped")
        if not self.previous and (crashed := self._crashed()):
            status.append(f" · {crashed}: p shows the instance before", style="bold yellow")
        if self.search:
            status.append(f" · search '{self.search}': {found} line(s)", style="bold")
        elif not lines:
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

    def _poll(self) -> None:
        if self.following and self.is_current:
            self.fetch()

    @on(Select.Changed, "#container")
    def _container_changed(self, event: Select.Changed) -> None:
        if str(event.value) != self.container:
            self.container = str(event.value)
            self.fetch()

    def action_previous(self) -> None:
        self.previous = not self.previous
        self.fetch()

    def action_toggle_tail(self) -> None:
        self.tail = None if self.tail else TAIL
        self.fetch()

    def action_follow(self) -> None:
        if refused_offline(self, "follow (the log is the capture's tail)"):
            return
        self.following = not self.following
        self._show()
        if self.following:
            self.fetch()

    def action_reload(self) -> None:
        self.fetch()

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
