"""The footer of keys, rebuilt only when the keys it shows change.

Textual's Footer rebuilds itself (a dozen widgets, then the whole screen's layout) on every
"bindings may have changed" signal, and that signal comes with every move of the focus: a
table filling, a tab switched, a pane clicked. Most moves leave the same keys on the line."""

from __future__ import annotations

from typing import Any

from textual.screen import Screen
from textual.widgets import Footer


class KeysFooter(Footer):
    """A Footer that skips a rebuild when the keys, their words and their states are the same."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._keys_shown: tuple[Any, ...] | None = None

    def _keys_now(self, screen: Screen) -> tuple[Any, ...]:
        return (
            screen.app.app_focus,
            self.compact,
            tuple(
                (binding.key, binding.action, binding.description, binding.show, enabled, tooltip)
                for _node, binding, enabled, tooltip in screen.active_bindings.values()
            ),
        )

    def bindings_changed(self, screen: Screen) -> None:
        if self.is_attached and screen is self.screen:
            keys = self._keys_now(screen)
            if keys == self._keys_shown:
                return
            self._keys_shown = keys
        super().bindings_changed(screen)
