"""The command palette (ctrl+p): jump to a project or a deployment, diagnose, compose, logs,
switch context. Deployments of every project come from one LIST when the palette opens."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

from checks.errors import DoctorError
from tui.access import holder, session_of

if TYPE_CHECKING:
    from tui.screens.main import MainScreen

ALL_DEPLOYMENTS_TIMEOUT_S = 2.0


@dataclass(frozen=True)
class Command:
    text: str
    help: str
    run: Callable[[], object]
    discover: bool = False


class ConsoleCommands(Provider):
    """Commands built once per palette opening, from what the main screen holds."""

    async def startup(self) -> None:
        self.commands: list[Command] = []
        main = self._main()
        if main is None:
            return
        app = self.app
        for name in main.project_names():
            self.commands.append(
                Command(f"Project {name}", "jump to this project", partial(main.jump_project, name))
            )
        deployments = {(d.namespace, d.name): d for d in await self._all_deployments()}
        if main.snapshot is not None:
            deployments.update({(d.namespace, d.name): d for d in main.snapshot.deployments})
        for (namespace, name), _ in sorted(deployments.items()):
            where = f"{namespace}/{name}"
            here = main.project == namespace
            self.commands += [
                Command(
                    f"Deployment {where}",
                    "jump to this deployment",
                    partial(main.jump_to, namespace, "deployments", name),
                ),
                Command(
                    f"Diagnose {where}",
                    "run the checks on this deployment; root cause first",
                    partial(main.diagnose_named, namespace, name),
                    discover=here,
                ),
                Command(
                    f"Compose {where}",
                    "open the inference request composer",
                    partial(main.compose_named, namespace, name),
                    discover=here,
                ),
            ]
        for context in await asyncio.to_thread(session_of(app).contexts):
            self.commands.append(
                Command(
                    f"Context {context}",
                    "reconnect with this context",
                    partial(holder(app).switch_context, context),
                )
            )

    def _main(self) -> MainScreen | None:
        from tui.screens.main import MainScreen

        return next((s for s in self.app.screen_stack if isinstance(s, MainScreen)), None)

    async def _all_deployments(self) -> list:
        """All projects' deployments when the user may list them; else none (not an error)."""
        try:
            return await asyncio.wait_for(
                session_of(self.app).all_deployments(), ALL_DEPLOYMENTS_TIMEOUT_S
            )
        except (DoctorError, TimeoutError):
            return []

    async def discover(self) -> Hits:
        for command in self.commands:
            if command.discover:
                yield DiscoveryHit(command.text, command.run, help=command.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in self.commands:
            score = matcher.match(command.text)
            if score > 0:
                yield Hit(score, matcher.highlight(command.text), command.run, help=command.help)
