"""The composer's JSON editor. Two keys leave it instead of being swallowed: escape (tab moves
focus, it does not indent) goes to the screen, so one escape leaves the composer; and `?` typed
outside a JSON string, where it can never be valid JSON, opens the help (inside a string, as in
a chat prompt, it is just a question mark). F1 opens the help from anywhere."""

from __future__ import annotations

from typing import Any

from textual import events
from textual.widgets import TextArea


def inside_string(before: str) -> bool:
    """Is the cursor, after `before`, inside a JSON string literal?"""
    inside = escaped = False
    for char in before:
        if escaped:
            escaped = False
        elif inside and char == "\\":
            escaped = True
        elif char == '"':
            inside = not inside
        elif char == "\n":
            inside = False  # a JSON string never spans lines
    return inside


class BodyEditor(TextArea):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            "",
            language="json",
            soft_wrap=False,
            tab_behavior="focus",
            show_line_numbers=True,
            **kwargs,
        )

    async def _on_key(self, event: events.Key) -> None:
        if event.character == "?" and not self.read_only:
            start = min(self.selection)
            if not inside_string(self.get_text_range((0, 0), start)):
                event.stop()
                event.prevent_default()
                await self.run_action("app.help")
                return
        await super()._on_key(event)

    @property
    def json_width(self) -> int:
        """Columns a line of the body may take without scrolling sideways."""
        return max(30, self.scrollable_content_region.width - self.gutter_width - 1)
