"""The rhoai-doctor console: a thin App that connects, then hands over to the screens."""

from __future__ import annotations

from dataclasses import replace

from textual import work
from textual.app import App
from textual.binding import Binding
from textual.screen import Screen

from checks.connect import ConnectionOptions
from checks.context import CheckOptions
from checks.errors import DoctorError
from tui.backend import Backend, Identity
from tui.commands import ConsoleCommands


class RhoaiDoctorApp(App):
    CSS_PATH = "app.tcss"
    TITLE = "rhoai-doctor"
    COMMANDS = App.COMMANDS | {ConsoleCommands}
    BINDINGS = [
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding("q", "quit", "Quit", show=False),
        Binding("ctrl+q", "quit", "Quit", show=False),
    ]

    def __init__(
        self,
        options: ConnectionOptions,
        check_options: CheckOptions | None = None,
        *,
        show_clock: bool = True,
    ) -> None:
        super().__init__()
        self.backend = Backend(options, check_options)
        self.show_clock = show_clock
        self.identity: Identity | None = None

    def on_mount(self) -> None:
        self.connect()

    @work(exclusive=True, group="connect")
    async def connect(self) -> None:
        """Resolve the kubeconfig and ask who we are; a failure is a screen, not a traceback."""
        from tui.screens.error import ErrorScreen
        from tui.screens.main import MainScreen

        try:
            self.identity = await self.backend.connect()
        except DoctorError as error:
            if isinstance(self.screen, ErrorScreen):
                self.screen.failed_again(str(error))
            else:
                await self._replace(ErrorScreen(str(error), self._where()))
            return
        await self._replace(MainScreen(self.identity, self.show_clock))

    def _where(self) -> str:
        options = self.backend.options
        if options.server:
            return f"server {options.server}"
        parts = [f"kubeconfig {options.kubeconfig or '$KUBECONFIG or ~/.kube/config'}"]
        if options.context:
            parts.append(f"context {options.context}")
        return ", ".join(parts)

    async def _replace(self, screen: Screen) -> None:
        while len(self.screen_stack) > 1:
            self.pop_screen()
        await self.push_screen(screen)

    async def on_unmount(self) -> None:
        await self.backend.close()

    def switch_context(self, context: str) -> None:
        self.backend.options = replace(self.backend.options, context=context, namespace=None)
        self.notify(f"switching to context {context}…")
        self.connect()

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.pop_screen()
            return
        self.push_screen(HelpScreen(self.screen))
