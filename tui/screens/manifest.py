"""The selected object's manifest as the API server returned it (`y`): the one place a person
checks the real annotations and requests. Secret values masked, keys kept; scrollable both ways;
`/` finds a word (n and N: the next and previous line with it), as in k9s and less; `q`,
escape or `y` again closes it."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Log

from checks.cluster.snapshot import Snapshot
from checks.engine.manifests import manifest_for, to_yaml
from checks.text import one_line
from tui.focus import key_belongs_to_a_box
from tui.safe import SafeStatic
from tui.widgets.header import HeaderBar
from tui.widgets.search_box import SearchBox


class ManifestScreen(Screen[None]):
    HELP_TITLE = "manifest"
    DEFAULT_CSS = """
    ManifestScreen #manifest { height: 1fr; }
    """
    BINDINGS = [
        Binding("escape,q,y", "app.pop_screen", "Back", tooltip="back to the list"),
        Binding("g", "top", "Top", show=False, tooltip="the first line"),
        Binding("G", "bottom", "Bottom", show=False, tooltip="the last line"),
        Binding(
            "slash",
            "search",
            "Search",
            key_display="/",
            priority=True,  # opens before the keys typed after it (tui/focus.py)
            tooltip="find a word; n and N: the next and previous line with it",
        ),
        Binding("n", "next(1)", "Next", show=False, tooltip="the next line with the word"),
        Binding("N", "next(-1)", "Previous", show=False, tooltip="the line before with it"),
    ]

    def __init__(self, manifest: dict[str, Any]) -> None:
        super().__init__()
        self.manifest = manifest
        self.text = to_yaml(manifest)
        self.found: list[int] = []  # the lines holding the word searched for
        self.at = -1
        self.word = ""

    @property
    def title_line(self) -> str:
        meta = self.manifest.get("metadata") or {}
        where = f"{meta.get('namespace', '')}/{meta.get('name', '?')}".lstrip("/")
        said = "values masked" if self.manifest.get("kind") == "Secret" else "as served"
        return one_line(f"{self.manifest.get('kind', '')} {where} · {said}")

    def compose(self) -> ComposeResult:
        yield HeaderBar(self.title_line)
        yield Log(id="manifest", highlight=False, auto_scroll=False)
        yield SearchBox(id="search")
        yield SafeStatic("", id="found")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        log = self.query_one("#manifest", Log)
        log.write_lines(self.text.splitlines(), scroll_end=False)
        log.focus()

    def visible_lines(self) -> list[str]:
        """The lines on screen now, cut at the pane's width as a person sees them."""
        log = self.query_one("#manifest", Log)
        top, left = log.scroll_offset.y, log.scroll_offset.x
        width = log.scrollable_content_region.width
        return [
            line[left : left + width]
            for line in log.lines[top : top + log.scrollable_content_region.height]
        ]

    def action_top(self) -> None:
        self.query_one("#manifest", Log).scroll_home(animate=False)

    def action_bottom(self) -> None:
        self.query_one("#manifest", Log).scroll_end(animate=False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if key_belongs_to_a_box(self, action):
            return False  # `/` typed in the box is text
        return super().check_action(action, parameters)

    def action_search(self) -> None:
        self.query_one(SearchBox).open()

    @on(SearchBox.Find)
    def _find(self, event: SearchBox.Find) -> None:
        self.word = event.text.strip()
        needle = self.word.lower()
        lines = self.query_one("#manifest", Log).lines
        self.found = [i for i, line in enumerate(lines) if needle and needle in line.lower()]
        self.at = -1
        self.action_next(1)

    def action_next(self, step: int) -> None:
        said = self.query_one("#found", SafeStatic)
        if not self.word:
            said.update(Text("press / to search first", style="bold yellow"))
            return
        if not self.found:
            said.update(Text(f"'{one_line(self.word)}' is not in the manifest", style="bold red"))
            return
        self.at = (self.at + step) % len(self.found)
        line = self.found[self.at]
        self.query_one("#manifest", Log).scroll_to(y=line, animate=False)
        said.update(
            Text(
                f"'{one_line(self.word)}': line {line + 1}, match {self.at + 1} of "
                f"{len(self.found)} (n next, N previous)"
            )
        )


def show_manifest(main: Any) -> None:
    """`y` on the main screen: the selected row's manifest, or a toast saying why there is none."""
    snapshot: Snapshot | None = main.snapshot
    selected = main.tabs.selected()
    if snapshot is None or selected is None:
        main.notify("Select a row first: y shows its manifest.", severity="warning")
        return
    manifest = manifest_for(snapshot, selected)
    if manifest is None:
        main.notify("No manifest for this row (it was not listed).", severity="warning")
        return
    main.app.push_screen(ManifestScreen(manifest))
