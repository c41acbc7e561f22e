"""Focus that moves before the next key is handled.

Textual's `Widget.focus()` moves focus later (`call_later`), behind the keys already read from the
terminal: `:isvc⏎` arriving as one chunk (a paste, k9s speed, a laggy SSH link) would send `i` to
the main screen's compose key instead of the command line. The boxes that open on a key
(`:` and `/`) are opened by priority bindings, which run before the next key is dispatched, and
take focus with this, so every key after them is dispatched to the box."""

from __future__ import annotations

from textual.widget import Widget


def focus_now(widget: Widget) -> None:
    """Give `widget` focus at once (and scroll it into view), not after queued keys."""
    try:
        widget.screen.set_focus(widget)
    except Exception:  # not on a screen (any more): nothing to focus
        return


BOX_ACTIONS = ("command_line", "filter", "search")  # the priority keys that open a box: `:`, `/`


def key_belongs_to_a_box(screen: Widget, action: str) -> bool:
    """`:` or `/` typed while a box (the filter, the command line) has focus is text for it,
    not the priority binding that opens a box."""
    return action in BOX_ACTIONS and a_box_has_focus(screen)


def a_box_has_focus(screen: Widget) -> bool:
    """A one-line box (the filter, the command line `:` opens on any screen) has focus: a
    screen's priority keys (enter) are the box's."""
    from textual.widgets import Input

    return isinstance(screen.screen.focused, Input)
