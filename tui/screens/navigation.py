"""Jumps the palette and drill-ins make: to a project, a tab, a row, and acting on a deployment
once its project is loaded. A layer of the main screen, kept apart so the screen stays small."""

from __future__ import annotations

import time
from collections.abc import Callable

from checks.resources import Deployment
from tui.screens.actions import Actions

LOAD_WAIT_S = 30.0


class Navigation(Actions):
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
            table = self.tabs.table(tab_id)
            if key in table.rows:
                table.move_cursor(row=table.get_row_index(key))

        self.when_project_loaded(namespace, place)
