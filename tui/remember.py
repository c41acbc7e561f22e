"""The app's memory between runs: the theme, the last context and project (restored when the
command line does not name them) and the project pane layout, kept in tui.prefs' file."""

from __future__ import annotations

from dataclasses import replace

from textual.app import App
from textual.theme import Theme

from checks.session import Identity, Session
from tui import prefs
from tui.first_reads import first_namespace
from tui.xdg import Places


class Remembering(App):
    """Mixed into the app. Everything here is local: no request waits for it."""

    places: Places
    session: Session

    def load_prefs(self) -> None:
        """Before connecting: a remembered context replaces the kubeconfig's current one when
        no --context/--server was given and the kubeconfig still has it."""
        loaded = prefs.load(self.places.prefs_file)
        self.prefs = loaded.prefs
        self._problems = [loaded.problem] if loaded.problem else []
        self._save_failed = False
        self._announced = False
        self.chosen_context: str | None = None  # set by a context switch in the console
        self._restored_context = ""
        connection = self.session.options.connection
        wanted = self.prefs.context
        unnamed = connection.context is None and connection.server is None
        if self._offline:
            return
        if wanted and unnamed and wanted in self.session.contexts():
            options = self.session.options
            self.session.options = replace(options, connection=replace(connection, context=wanted))
            self._restored_context = wanted

    def apply_prefs(self) -> None:
        theme = self.prefs.theme
        if theme and theme in self.available_themes:
            self.theme = theme
        elif theme:
            self._problems.append(f'theme "{theme}" is not known here; the default is used')
        self.theme_changed_signal.subscribe(self, self._theme_changed)

    def announce_prefs(self) -> None:
        """Once, on the first screen that stays (toasts on the bottom screen would be hidden)."""
        if self._announced:
            return
        self._announced = True
        if self._problems:  # one toast for everything wrong with the file
            self.notify(
                "Preferences ignored: " + "; ".join(self._problems),
                severity="warning",
                timeout=10,
                markup=False,
            )
        if self._restored_context:
            self.notify(
                f"context {self._restored_context}, remembered from last time "
                "(--context chooses another)",
                markup=False,
            )

    def _theme_changed(self, theme: Theme) -> None:
        self.remember(theme=theme.name)

    def start_identity(self, identity: Identity) -> Identity:
        """Start in the remembered project of this context unless -n/--namespace said one."""
        remembered = self.prefs.project
        same_context = self.prefs.context == identity.context
        if self._offline:  # a capture's names are its own: never the next live console's
            return identity
        if identity.context != "-":  # "-": no kubeconfig context (--server, in a pod)
            self.remember(context=identity.context)
        named = self.session.options.connection.namespace is not None
        namespace = first_namespace(remembered, same_context, named, identity.namespace)
        return (
            replace(identity, namespace=namespace) if namespace != identity.namespace else identity
        )

    def follow_project(self, main: object) -> None:
        """Remember each project the user moves to (the main screen's `project` reactive)."""

        def moved(name: str | None) -> None:
            if name and not self._offline:
                self.remember(project=name)

        self.watch(main, "project", moved, init=False)  # type: ignore[arg-type]

    @property
    def _offline(self) -> bool:
        """A capture (--from): its context and projects are the capture's, not this user's, and
        written into console.toml they would choose where the next live console opens."""
        return bool(self.session.options.capture)

    def remember(self, **changes: str | None) -> None:
        """Change preferences and write the file; a write that fails says so once."""
        changed = self.prefs.with_changes(**changes)
        if changed == self.prefs:
            return
        self.prefs = changed
        self.save_prefs()

    def save_prefs(self) -> None:
        problem = prefs.save(self.places.prefs_file, self.prefs)
        if problem and not self._save_failed:
            self._save_failed = True
            self.notify(problem, severity="warning", timeout=10, markup=False)
