"""Jumps the palette and drill-ins make: to a project, a tab, a row, and acting on a deployment
once its project is loaded; jumps to related objects remembered, so `-` comes back. A layer of
the main screen, kept apart so the screen stays small."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from checks.resources import Deployment
from tui.related import Place
from tui.screens.actions import Actions

LOAD_WAIT_S = 30.0
HISTORY = 50  # jumps remembered for `-`


@dataclass(frozen=True)
class Spot:
    """Where a jump started: project, tab, row; and the filter the jump put on a tab."""

    project: str | None
    tab: str
    key: str
    filtered: str = ""  # the tab whose filter the jump set ("" none)
    old_filter: str = ""
    new_filter: str = ""


class Navigation(Actions):
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.history: list[Spot] = []

    def _to_front(self) -> None:
        while len(self.app.screen_stack) > 1 and self.app.screen_stack[-1] is not self:
            self.app.pop_screen()

    def jump_project(self, name: str) -> None:
        self._to_front()
        self.select_project(name)
        self.tabs.current_table().focus()

    def diagnose_named(self, namespace: str, name: str) -> None:
        self._when_loaded(namespace, name, self.diagnose)

    def compose_named(self, namespace: str, name: str) -> None:
        self._when_loaded(namespace, name, self.compose_request)

    def _when_loaded(self, namespace: str, name: str, then: Callable[[Deployment], None]) -> None:
        """Jump to the deployment, and once its project is loaded, act on it."""

        def act() -> None:
            dep = self.snapshot.deployment(name, namespace) if self.snapshot else None
            if dep is None:
                self.notify(f"{namespace}/{name} is gone.", severity="warning", markup=False)
                return
            then(dep)

        self.jump_to(namespace, "deployments", name)
        self.when_project_loaded(namespace, act)

    def when_project_loaded(self, namespace: str, then: Callable[[], None]) -> None:
        """Run `then` once `namespace` is the loaded project; give up after LOAD_WAIT_S."""
        deadline = time.monotonic() + LOAD_WAIT_S

        def check() -> None:
            if self.snapshot is not None and self.snapshot.namespace == namespace:
                then()
            elif self.project == namespace and time.monotonic() < deadline:
                self.set_timer(0.05, check)

        check()

    def jump_to(self, namespace: str, tab_id: str, key: str) -> None:
        """Open the project and the tab, and put the cursor on the row once it is there."""
        self._to_front()
        self.action_show_tab(tab_id)
        if namespace != self.project:
            self.select_project(namespace)

        def place() -> None:
            self.tabs.table(tab_id).point_at(key)  # a row drawn after the first frame: then

        self.when_project_loaded(namespace, place)

    # -- jumps you can come back from (`-`, escape) ---------------------------------------
    def here(self, filtered: str = "", new_filter: str = "") -> Spot:
        table = self.tabs.current_table()
        old = self.tabs.table(filtered).filter_text if filtered else ""
        return Spot(
            project=self.project,
            tab=self.tabs.current_view().name,
            key=table.selected_key() or "",
            filtered=filtered,
            old_filter=old,
            new_filter=new_filter,
        )

    def go(self, place: Place) -> None:
        """Jump to a related row (or to a tab filtered to an object), remembering where we were."""
        self.history.append(self.here(place.tab if place.filter else "", place.filter))
        del self.history[:-HISTORY]
        if place.filter:
            table = self.tabs.table(place.tab)
            table.apply_filter(place.filter)
            self.filter_bar.follow(table)
        if self.project is not None:
            self.jump_to(self.project, place.tab, place.key)

    def go_back(self) -> bool:
        """Back to where the last jump started; False when there is nowhere to go back to."""
        if not self.history:
            return False
        spot = self.history.pop()
        if spot.filtered:
            table = self.tabs.table(spot.filtered)
            table.apply_filter(spot.old_filter)
            self.filter_bar.follow(table)
        if spot.project is not None:
            self.jump_to(spot.project, spot.tab, spot.key)
        return True

    def jump_undone_by_escape(self) -> bool:
        """The last jump filtered this tab and the filter is still its own: escape undoes it."""
        if not self.history:
            return False
        spot = self.history[-1]
        table = self.tabs.current_table()
        return (
            spot.filtered == self.tabs.current_view().name and table.filter_text == spot.new_filter
        )
