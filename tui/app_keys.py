"""Keys that work on every screen: j/k/g/G move in whatever list or text has focus, q goes back
(only the main screen quits), F1 opens help even while an editor has focus. A layer of the App,
kept apart so the App stays small."""

from __future__ import annotations

from textual.app import App
from textual.binding import Binding

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
    ]

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
