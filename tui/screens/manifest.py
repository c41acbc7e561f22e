"""The selected object's manifest as the API server returned it (`y`): the one place a person
checks the real annotations and requests. Secret values masked, keys kept; scrollable both ways;
`q`, escape or `y` again closes it."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Log

from checks.cluster.snapshot import Snapshot
from checks.engine.manifests import manifest_for, to_yaml
from checks.text import one_line
from tui.widgets.header import HeaderBar


class ManifestScreen(Screen[None]):
    HELP_TITLE = "manifest"
    DEFAULT_CSS = """
    ManifestScreen #manifest { height: 1fr; }
    """
    BINDINGS = [
        Binding("escape,q,y", "app.pop_screen", "Back", tooltip="back to the list"),
        Binding("g", "top", "Top", show=False, tooltip="the first line"),
        Binding("G", "bottom", "Bottom", show=False, tooltip="the last line"),
    ]

    def __init__(self, manifest: dict[str, Any]) -> None:
        super().__init__()
        self.manifest = manifest
        self.text = to_yaml(manifest)

    @property
    def title_line(self) -> str:
        meta = self.manifest.get("metadata") or {}
        where = f"{meta.get('namespace', '')}/{meta.get('name', '?')}".lstrip("/")
        said = "values masked" if self.manifest.get("kind") == "Secret" else "as served"
        return one_line(f"{self.manifest.get('kind', '')} {where} · {said}")

    def compose(self) -> ComposeResult:
        yield HeaderBar(self.title_line)
        yield Log(id="manifest", highlight=False, auto_scroll=False)
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
