"""The command palette (ctrl+p): jump to a project or a deployment, diagnose, compose, logs,
switch context. What needs no I/O (projects listed, the open project's deployments, the
kubeconfig's contexts) is there at once; every project's deployments come from one LIST started
when the palette opens, and join the list when it lands, with a loading mark until then. Names come from the cluster or a capture: every entry is drawn
as literal text (tui.safe), never parsed as markup."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from textual.command import CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.widgets import Input

from checks.errors import DoctorError, ErrorKind
from checks.resources import AnyDeployment
from tui import safe
from tui.access import holder, session_of

if TYPE_CHECKING:
    from tui.screens.main import MainScreen

ALL_DEPLOYMENTS_TIMEOUT_S = 20.0  # bounded, but nothing waits for it any more
LOADING = "… deployments of every project: loading"


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
        self.seen: set[tuple[str, str]] = set()
        self.others: asyncio.Task | None = None
        self.unavailable = ""  # why the other projects' deployments are missing
        main = self._main()
        if main is None:
            return
        self.main = main
        for name in main.project_names():
            self.commands.append(
                Command(f"Project {name}", "jump to this project", partial(main.jump_project, name))
            )
        if main.snapshot is not None:
            self._add_deployments(main.snapshot.deployments)
        for context in await asyncio.to_thread(session_of(self.app).contexts):  # local file
            self.commands.append(
                Command(
                    f"Context {context}",
                    "reconnect with this context",
                    partial(holder(self.app).switch_context, context),
                )
            )
        self.others = asyncio.create_task(self._all_deployments())

    async def shutdown(self) -> None:
        if self.others is not None and not self.others.done():
            self.others.cancel()

    def _add_deployments(self, deployments: Iterable[AnyDeployment]) -> None:
        main = self.main
        for dep in sorted(deployments, key=lambda d: (d.namespace, d.name)):
            namespace, name = dep.namespace, dep.name
            if (namespace, name) in self.seen:
                continue
            self.seen.add((namespace, name))
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

    def _main(self) -> MainScreen | None:
        from tui.screens.main import MainScreen

        return next((s for s in self.app.screen_stack if isinstance(s, MainScreen)), None)

    async def _all_deployments(self) -> None:
        """All projects' deployments when the user may list them (a 403 is no error: the
        projects' own are there); then the open palette searches again to show them."""
        try:
            found = await asyncio.wait_for(
                session_of(self.app).all_deployments(), ALL_DEPLOYMENTS_TIMEOUT_S
            )
        except TimeoutError:
            self.unavailable = f"no answer in {ALL_DEPLOYMENTS_TIMEOUT_S:.0f} s"
        except DoctorError as error:
            if error.kind != ErrorKind.FORBIDDEN:
                self.unavailable = str(error)
        else:
            self._add_deployments(found)
        self._search_again()

    def _search_again(self) -> None:
        palette = self.app.screen
        if not isinstance(palette, CommandPalette):
            return
        with contextlib.suppress(Exception):  # the palette may be closing
            field = palette.query_one(Input)
            field.post_message(Input.Changed(field, field.value))

    @property
    def loading(self) -> bool:
        return self.others is not None and not self.others.done()

    def _waiting(self) -> None:
        self.app.notify("Still listing the deployments of every project…", timeout=3)

    def _extra(self) -> tuple[str, str] | None:
        """The loading mark, or why the other projects' deployments are not there."""
        if self.loading:
            return LOADING, "they join this list when the cluster answers"
        if self.unavailable:
            return "deployments of other projects: unavailable", self.unavailable
        return None

    async def discover(self) -> Hits:
        for command in self.commands:
            if command.discover:
                yield DiscoveryHit(
                    safe.line(command.text),
                    command.run,
                    text=command.text,
                    help=safe.markup(command.help),
                )
        extra = self._extra()
        if extra:
            yield DiscoveryHit(extra[0], self._waiting, help=safe.markup(extra[1]))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in self.commands:
            score = matcher.match(command.text)
            if score > 0:
                yield Hit(
                    score,
                    safe.highlight(matcher, command.text),
                    command.run,
                    text=command.text,
                    help=safe.markup(command.help),
                )
        extra = self._extra()
        if extra:  # last, whatever was typed: the user should know more may come
            yield Hit(0.001, extra[0], self._waiting, help=safe.markup(extra[1]))
