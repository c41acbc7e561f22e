"""Logs of a runtime pod: every container (init ones too), the previous instance after a crash,
tail or everything, follow, and search."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Input, Log, Select, Static

from checks.errors import DoctorError
from checks.resources import Pod

TAIL = 500
FOLLOW_SECONDS = 2.0


class LogsScreen(Screen):
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("p", "previous", "Previous instance"),
        Binding("t", "toggle_tail", "Tail/all"),
        Binding("f", "follow", "Follow"),
        Binding("slash", "search", "Search", key_display="/"),
    ]

    def __init__(self, pod: Pod) -> None:
        super().__init__()
        self.pod = pod
        self.previous = False
        self.tail: int | None = TAIL
        self.following = False
        self.search = ""
        self._text = ""
        names = [*pod.init_container_names, *pod.container_names]
        self.container = next(
            (c.name for c in pod.containers if c.restarts or c.state == "waiting"),
            names[0] if names else "",
        )

    @staticmethod
    def _most_telling(pod: Pod) -> str:
        """Open on the container most likely to say what is wrong."""
        troubled = [c.name for c in pod.containers if c.restarts or c.state == "waiting"]
        if troubled:
            return troubled[0]
        names = [*pod.init_container_names, *pod.container_names]
        for preferred in ("kserve-container", "ovms-adapter", "ovms"):
            if preferred in names:
                return preferred
        return names[0] if names else ""

    def compose(self) -> ComposeResult:
        names = [*self.pod.init_container_names, *self.pod.container_names]
        yield Static(f"Logs of {self.pod.namespace}/{self.pod.name}", id="identity")
        yield Select(
            [(("init: " if n in self.pod.init_container_names else "") + n, n) for n in names],
            value=self.container,
            allow_blank=False,
            id="container",
        )
        yield Log(id="log", highlight=False)
        yield Input(placeholder="search (escape to leave)", id="search")
        yield Static("", id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#search", Input).display = False
        self.fetch()
        self.set_interval(FOLLOW_SECONDS, self._poll)

    @work(exclusive=True, group="log")
    async def fetch(self) -> None:
        try:
            text = await self.app.backend.log(  # type: ignore[attr-defined]
                self.pod.namespace,
                self.pod.name,
                self.container,
                tail=self.tail,
                previous=self.previous,
            )
        except DoctorError as error:
            text = f"[rhoai-doctor] {error}\n"
        self._text = text
        self._show()

    def _show(self) -> None:
        log = self.query_one("#log", Log)
        log.clear()
        lines = self._text.splitlines()
        if self.search:
            lines = [line for line in lines if self.search.lower() in line.lower()]
        log.write_lines(lines)
        which = "previous instance" if self.previous else "current"
        span = f"last {self.tail} lines" if self.tail else "all lines"
        extra = f" · search '{self.search}': {len(lines)} lines" if self.search else ""
        follow = " · following" if self.following else ""
        self.query_one("#status", Static).update(
            f"{self.container} ({which}, {span}){follow}{extra}"
        )

    def _poll(self) -> None:
        if self.following:
            self.fetch()

    @on(Select.Changed, "#container")
    def _container_changed(self, event: Select.Changed) -> None:
        self.container = str(event.value)
        self.fetch()

    def action_previous(self) -> None:
        self.previous = not self.previous
        self.fetch()

    def action_toggle_tail(self) -> None:
        self.tail = None if self.tail else TAIL
        self.fetch()

    def action_follow(self) -> None:
        self.following = not self.following
        self._show()

    def action_search(self) -> None:
        box = self.query_one("#search", Input)
        box.display = True
        box.focus()

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        self.search = event.value
        self._show()

    def action_back(self) -> None:
        box = self.query_one("#search", Input)
        if box.display:
            box.display = False
            self.query_one("#log", Log).focus()
            return
        self.app.pop_screen()
