"""The rhoai-doctor console: a thin App that holds the one Session, connects, then hands over to
the screens."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import replace

from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.reactive import Reactive
from textual.screen import Screen

from checks.cluster.connect import ClusterConfig
from checks.errors import DoctorError, ExitCode
from checks.options import SessionOptions
from checks.session import Identity, Session
from checks.text import one_line, visible
from tui.app_keys import AppKeys
from tui.commands import ConsoleCommands
from tui.first_reads import FirstReads, first_namespace
from tui.hangup import EVERY_S, terminal_gone
from tui.palette import DARK, LIGHT
from tui.remember import Remembering
from tui.xdg import Places


def _session_for(options: SessionOptions) -> Session:
    """The live session; the capture machinery loads only for --from."""
    if not options.capture:
        return Session(options)
    from checks.capture.session import session_for

    return session_for(options)


START_UP_LATEST_S = 3.0  # start-up is over by then, whatever the cluster has answered


class RhoaiDoctorApp(Remembering, AppKeys):
    CSS_PATH = "app.tcss"
    TITLE = "rhoai-doctor"
    # red/yellow/green readable (4.5:1) on the panes, in colour and with NO_COLOR (tui.palette)
    ansi_theme_dark = Reactive(DARK, init=False)
    ansi_theme_light = Reactive(LIGHT, init=False)
    COMMANDS = App.COMMANDS | {ConsoleCommands}
    BINDINGS = [
        Binding("question_mark", "help", "Help", key_display="?"),
        Binding(
            "q", "back_or_quit", "Back/Quit", show=False, tooltip="back; quits on the main screen"
        ),
        Binding("ctrl+q", "quit", "Quit", show=False, tooltip="always, from any screen"),
    ]

    def __init__(self, options: SessionOptions, places: Places | None = None) -> None:
        super().__init__()
        self.places = places or Places.from_environ()
        self.session: Session = _session_for(options)
        self.identity: Identity | None = None
        self.show_clock = True  # "updated Ns ago"; snapshot pictures turn it off
        self.first_reads: FirstReads | None = None  # the main screen's first reads, in flight
        # Called once the first frame with data is out (rhoai_doctor: the collector back on).
        self.after_start_up: Callable[[], None] | None = None
        self.load_prefs()

    def compose(self) -> ComposeResult:
        """The first paint, before any answer from the cluster: where we are going."""
        from tui.screens.connecting import connecting_widgets

        yield from connecting_widgets(self._where())

    def on_mount(self) -> None:
        self.apply_prefs()
        self.connect()
        self.set_timer(START_UP_LATEST_S, self.start_up_over)
        if not self.is_headless:
            self.set_interval(EVERY_S, self._end_if_terminal_gone)

    def _end_if_terminal_gone(self) -> None:
        if terminal_gone():
            self.exit(return_code=ExitCode.INTERRUPTED)  # as if it had the SIGHUP it missed

    def start_up_over(self) -> None:
        """The first frame with data is drawn (or an error screen, or START_UP_LATEST_S went
        by): what start-up had to load is loaded; `after_start_up` runs once."""
        done, self.after_start_up = self.after_start_up, None
        if done is not None:
            done()

    @work(exclusive=True, group="connect", description="connect to the cluster")
    async def connect(self) -> None:
        """Resolve the kubeconfig and ask who we are; a failure is a screen, not a traceback."""
        try:
            self.identity = await self.session.connect(on_resolved=self._resolved)
        except DoctorError as error:
            from tui.screens.error import ErrorScreen

            self._drop_first_reads()
            self.call_after_refresh(self.start_up_over)
            if isinstance(self.screen, ErrorScreen):
                self.screen.failed_again(str(error))
            else:
                await self._replace(ErrorScreen(str(error), self._where()))
            self.announce_prefs()
            return
        if self.first_reads is not None:
            self.first_reads.ask_projects()
            await asyncio.sleep(0)  # the LIST goes out before the main screen's code loads
        from tui.screens.main import MainScreen

        main = MainScreen(self.start_identity(self.identity))
        # Before the screen mounts: its first reads may already be in, and land while it
        # mounts (the first project is remembered; the toasts show on it when it resumes).
        self.follow_project(main)
        self.announce_prefs()
        # Not awaited: the main screen's mount waits a moment for the first reads (so that its
        # first frame has them), and the connection is made; this worker is done.
        self._replace(main)

    def _resolved(self, cluster: ClusterConfig) -> None:
        from tui.screens.connecting import show_resolved

        if not self.screen_stack:  # closing (a retry's kubeconfig read came back late)
            return
        show_resolved(self, cluster)
        self._drop_first_reads()
        namespace = first_namespace(
            self.prefs.project,
            self.prefs.context == (cluster.context or "-"),
            self.session.options.connection.namespace is not None,
            cluster.namespace,
        )
        self.first_reads = FirstReads(self.session, namespace)

    def _drop_first_reads(self) -> None:
        if self.first_reads is not None:
            self.first_reads.cancel()
            self.first_reads = None

    def _where(self) -> str:
        options = self.session.options.connection
        if options.server:
            return f"server {options.server}"
        parts = [f"kubeconfig {options.kubeconfig or '$KUBECONFIG or ~/.kube/config'}"]
        if options.context:
            parts.append(f"context {options.context}")
        return ", ".join(parts)

    def _replace(self, screen: Screen) -> Awaitable[object]:
        while len(self.screen_stack) > 1:
            self.pop_screen()
        return self.push_screen(screen)

    async def on_unmount(self) -> None:
        await self.session.close()

    def switch_context(self, context: str) -> None:
        options = self.session.options
        connection = replace(options.connection, context=context, namespace=None)
        self.session.options = replace(options, connection=connection)
        self.notify(f"switching to context {context}…")
        self.chosen_context = context
        self.connect()

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every toast of the console (screens and widgets end here): shown, never obeyed. A
        toast names projects, contexts and errors others wrote, so none is read as markup."""
        super().notify(
            visible(str(message)),
            title=one_line(title),
            severity=severity,
            timeout=timeout,
            markup=False,
        )

    def _fatal_error(self) -> None:
        """Textual's default prints the traceback with its locals (the snapshot, secret values
        included): print one line instead and keep a redacted report."""
        import sys

        from rich.text import Text

        from checks.engine.redaction import Redactor
        from tui import crash

        error = self._exception or sys.exc_info()[1] or RuntimeError("unknown error")
        options, cluster = self.session.options, self.session.cluster
        known = [options.model_token or "", options.connection.token or ""]
        known.append(cluster.token or "" if cluster else "")
        report = crash.write_report(error, Redactor(known))
        self.panic(Text(crash.one_line(error, report)))

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.pop_screen()
            return
        self.push_screen(HelpScreen(self.screen))
