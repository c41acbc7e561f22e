"""What the main screen's keys open: diagnosis, composer, logs, a secret's values. A mixin of the
main screen, kept apart so the screen stays small."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import work

from checks.errors import DoctorError
from checks.resources import DataConnection, Deployment, LLMService, Pod, SecretInfo
from tui.access import session_of
from tui.screens.parts import MainParts


class Actions(MainParts):
    def project_names(self) -> list[str]:
        return self.projects.names()

    def action_filter(self) -> None:
        """Filter the list that has (or is about to get) focus; the box remembers which."""
        bar = self.filter_bar
        target = bar.target if bar.has_focus and bar.target else None
        if target is None:
            target = self.projects if self._projects_in_use else self.tabs.current_table()
        what = "projects" if target is self.projects else self.tabs.current_view().title.lower()
        bar.open_for(target, what)

    def action_clear_filter(self) -> None:
        """escape: leave the filter box / clear the filter; else undo the last jump (as -)."""
        bar = self.filter_bar
        if bar.has_focus or not self.jump_undone_by_escape():
            if bar.target is None:
                bar.target = self.tabs.current_table()
            if bar.has_focus or bar.target.filter_text:
                bar.clear()
                return
        if not self.go_back():
            self.notify("Nothing to clear or go back to (q quits).", severity="warning")

    def jump_undone_by_escape(self) -> bool:
        return False  # navigation.py knows the jumps

    def go_back(self) -> bool:
        return False

    def selected_deployment(self) -> Deployment | LLMService | None:
        """The deployment under the cursor; from another tab, the deployments tab's row, or the
        project's only deployment."""
        selected = self.tabs.selected()
        if isinstance(selected, Deployment | LLMService):
            return selected
        row = self.tabs.table("deployments").selected_object()
        if isinstance(row, Deployment | LLMService):
            return row
        if self.snapshot is not None and len(self.snapshot.all_deployments) == 1:
            return self.snapshot.all_deployments[0]
        return None

    def action_diagnose(self) -> None:
        dep = self.selected_deployment()
        if dep is None or self.snapshot is None:
            self.notify("Select a deployment first (1).", severity="warning")
            return
        self.diagnose(dep)

    def diagnose(
        self, dep: Deployment | LLMService, back_to: Callable[[], None] | None = None
    ) -> None:
        """`back_to`: where escape from the diagnosis leaves for (the `0` view it came from)."""
        from tui.screens.diagnosis import DiagnosisScreen

        if self.snapshot is not None:
            self.app.push_screen(DiagnosisScreen(self.snapshot, dep, back_to=back_to))

    def action_compose(self) -> None:
        dep = self.selected_deployment()
        if dep is None or self.snapshot is None:
            self.notify("Select a deployment first (1).", severity="warning")
            return
        self.compose_request(dep)

    def compose_request(self, dep: Deployment | LLMService) -> None:
        from tui.screens.composer import ComposerScreen

        if isinstance(dep, LLMService):
            self.notify(
                "LLMInferenceService: the composer speaks KServe v2; call its OpenAI API "
                "(/v1/chat/completions) through the gateway.",
                severity="warning",
            )
            return
        if self.snapshot is not None:
            self.app.push_screen(ComposerScreen(self.snapshot, dep))

    def action_logs(self) -> None:
        if self.snapshot is None:
            what = f"{self.project} is still loading" if self.project else "no project is open"
            self.notify(f"No logs yet: {what}.", severity="warning")
            return
        selected = self.tabs.selected()
        pods: list[Pod] = []
        if isinstance(selected, Pod):
            pods = [selected]
        elif (dep := self.selected_deployment()) is not None:
            pods = self.snapshot.pods_for(dep)
        if not pods:
            self.notify("Select a pod, or a deployment that has pods.", severity="warning")
            return
        from tui.screens.logs import LogsScreen

        self.app.push_screen(LogsScreen(pods[0]))

    def action_reveal(self) -> None:
        selected = self.tabs.selected()
        if not isinstance(selected, SecretInfo | DataConnection):
            self.notify("Select a secret or a data connection (3 or 5).", severity="warning")
            return
        from tui.screens.confirm import ConfirmScreen

        def answered(yes: bool | None) -> None:
            if yes:
                self.reveal(selected.namespace, selected.name)

        self.app.push_screen(
            ConfirmScreen(
                f"Show the values of secret {selected.namespace}/{selected.name} on screen?\n\n"
                "Anyone who can see your screen will see them. They are not logged or saved, "
                "and they disappear when you move the cursor."
            ),
            answered,
        )

    @work(group="reveal", description="read a secret's values")
    async def reveal(self, namespace: str, name: str) -> None:
        try:
            values = await session_of(self).secret_values(namespace, name)
        except DoctorError as error:
            self.details.say(Text(f"cannot read secret {name}: {error}", style="red"))
            return
        shown = Text(f"secret {namespace}/{name}: revealed, move the cursor to hide", style="bold")
        for key, value in sorted(values.items()):
            shown.append(f"\n{key} = ", style="dim")
            shown.append(value)
        self.details.say(shown)
