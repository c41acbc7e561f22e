"""The rhoai-doctor console: a thin App that connects, then hands over to the screens."""

from __future__ import annotations

from collections.abc import Iterable

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from checks.connect import ConnectionOptions
from checks.context import CheckOptions
from checks.errors import DoctorError
from tui.backend import Backend, Identity


def identity_line(identity: Identity) -> str:
    return (
        f"context {identity.context} · server {identity.server} · user {identity.user} · "
        f"namespace {identity.namespace} · read-only"
    )


class RhoaiDoctorApp(App):
    CSS_PATH = "app.tcss"
    TITLE = "rhoai-doctor"
    BINDINGS = [Binding("q", "quit", "Quit"), Binding("ctrl+q", "quit", "Quit", show=False)]

    def __init__(
        self,
        options: ConnectionOptions,
        check_options: CheckOptions | None = None,
        *,
        show_clock: bool = True,
    ) -> None:
        super().__init__()
        self.backend = Backend(options, check_options)
        self.show_clock = show_clock
        self.identity: Identity | None = None

    def on_mount(self) -> None:
        self.connect()

    @work(exclusive=True, group="connect")
    async def connect(self) -> None:
        from tui.screens.error import ErrorScreen
        from tui.screens.main import MainScreen

        try:
            self.identity = await self.backend.connect()
        except DoctorError as error:
            await self._replace(ErrorScreen(str(error)))
            return
        await self._replace(MainScreen(identity_line(self.identity), self.show_clock))

    async def _replace(self, screen: Screen) -> None:
        while len(self.screen_stack) > 1:
            self.pop_screen()
        await self.push_screen(screen)

    async def on_unmount(self) -> None:
        await self.backend.close()

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        from tui.screens.main import MainScreen

        if not isinstance(screen, MainScreen):
            return
        for row in screen.query_one("#projects").objects():  # type: ignore[attr-defined]
            yield SystemCommand(
                f"Project: {row.name}",
                "jump to this project",
                lambda name=row.name: screen.select_project(name),
            )
        if screen.snapshot is not None:
            for dep in screen.snapshot.deployments:
                yield SystemCommand(
                    f"Diagnose: {dep.namespace}/{dep.name}",
                    "run the checks on this deployment",
                    lambda dep=dep: self._diagnose(screen, dep),
                )
                yield SystemCommand(
                    f"Compose: {dep.namespace}/{dep.name}",
                    "open the inference request composer",
                    lambda dep=dep: self._compose(screen, dep),
                )
        for context in _contexts(self.backend.options):
            yield SystemCommand(
                f"Context: {context}",
                "switch kubeconfig context",
                lambda context=context: self._switch(context),
            )

    def _diagnose(self, screen: Screen, dep: object) -> None:
        from tui.screens.diagnosis import DiagnosisScreen

        self.push_screen(DiagnosisScreen(screen.snapshot, dep))  # type: ignore[attr-defined]

    def _compose(self, screen: Screen, dep: object) -> None:
        from tui.screens.composer import ComposerScreen

        self.push_screen(ComposerScreen(screen.snapshot, dep))  # type: ignore[attr-defined]

    def _switch(self, context: str) -> None:
        from dataclasses import replace

        self.backend.options = replace(self.backend.options, context=context, namespace=None)
        self.connect()


def _contexts(options: ConnectionOptions) -> list[str]:
    from checks.connect import _kubeconfig_paths

    paths = _kubeconfig_paths(options.kubeconfig)
    if not paths:
        return []
    try:
        from kubernetes import config

        contexts, _ = config.list_kube_config_contexts(config_file=paths)
    except Exception:  # an unreadable kubeconfig just offers no contexts to switch to
        return []
    return [c["name"] for c in contexts]
