"""Keys that work on every screen: j/k/g/G move in whatever list or text has focus, q goes back
(only the main screen quits), F1 opens help even while an editor has focus, ctrl+c quits (an
editor's own ctrl+c copies), and `:` opens the command line on any screen (its command runs
on the main screen, as k9s runs it wherever you are). A layer of the App, kept apart so the App
stays small."""

from __future__ import annotations

from textual import on
from textual.app import App
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Input, TextArea

from tui.screens.command_line import CommandLine, Completions, parse, unknown

# What j/k/g/G call on the focused widget, first one it has: tables and option lists move their
# cursor; logs, help and the details box scroll.
MOVES = {
    "down": ("cursor_down", "scroll_down"),
    "up": ("cursor_up", "scroll_up"),
    "top": ("scroll_top", "first", "scroll_home"),
    "bottom": ("scroll_bottom", "last", "scroll_end"),
}
QUITS_HERE = ("MainScreen", "ErrorScreen")  # the first screens: q leaves the app from them


class AppKeys(App):
    BINDINGS = [
        Binding("j", "move('down')", "Down", show=False, tooltip="the cursor down (as ↓)"),
        Binding("k", "move('up')", "Up", show=False, tooltip="the cursor up (as ↑)"),
        Binding("g", "move('top')", "Top", show=False, tooltip="the first row"),
        Binding("G", "move('bottom')", "Bottom", show=False, tooltip="the last row"),
        Binding("f1", "help", "Help", show=False, priority=True, tooltip="also while typing"),
        Binding(
            "colon",
            "command_line",
            "Command",
            key_display=":",
            show=False,
            priority=True,  # opens before the keys typed after it (tui/focus.py)
            tooltip=":isvc :pods :events … (as `get`), :ns NAME, :ns all, :ctx NAME, :q; "
            "from any screen, run on the main screen",
        ),
    ]

    def _main_screen(self) -> Screen | None:
        return next((s for s in self.screen_stack if type(s).__name__ == "MainScreen"), None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "command_line":
            screen = self.screen
            if self._main_screen() is None:
                return False  # no main screen yet: nothing to run a command on
            if isinstance(screen.focused, Input | TextArea):
                return False  # `:` typed in a box is text
        return super().check_action(action, parameters)

    async def action_command_line(self) -> None:
        """The main screen's line; on another screen the same line, at its bottom."""
        screen, main = self.screen, self._main_screen()
        if screen is main:
            await main.action_command_line()  # type: ignore[attr-defined]
            return
        lines = screen.query(CommandLine)
        if lines:
            line = lines.first()
        else:
            line = CommandLine(
                Completions(main.project_names, main._contexts),  # type: ignore[union-attr]
                id="command-line",
            )
            footers = screen.query(Footer)
            await screen.mount(line, before=footers.first() if footers else None)
        line.open()

    @on(CommandLine.Run)
    def _run_command(self, event: CommandLine.Run) -> None:
        """A `:` line from any screen: back to the main screen, and run it there."""
        main = self._main_screen()
        if main is None:
            return
        command = parse(event.text)
        if command is None:
            self.notify(unknown(event.text), severity="warning", markup=False, timeout=8)
            return
        while self.screen is not main and len(self.screen_stack) > 1:
            self.pop_screen()
        main.run_command(command)  # type: ignore[attr-defined]

    def action_help_quit(self) -> None:
        """ctrl+c quits, as in k9s (Textual would only say how to quit)."""
        self.exit()

    def action_move(self, where: str) -> None:
        focused = self.focused
        for name in MOVES[where]:
            action = getattr(focused, f"action_{name}", None)
            if action is not None:
                action()
                return
        self.notify(f"Nothing here has a cursor to move {where}.", severity="warning")

    def action_back_or_quit(self) -> None:
        """q: back on a sub-screen (as escape), quit on the main screen."""
        if type(self.screen).__name__ in QUITS_HERE or len(self.screen_stack) <= 2:
            self.exit()
            return
        self.pop_screen()
