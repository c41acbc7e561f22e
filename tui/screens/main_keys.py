"""The main screen's k9s keys: the `:` command line, copy a name or URL (OSC 52), sort by a
column, jump to related objects and back, events of the selected object; and every key that
cannot act says why. A layer of the main screen, kept apart so the screen stays small."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.binding import Binding
from textual.events import Mount
from textual.widgets import Tabs

from checks import resources
from checks.cluster.kinds import view
from checks.text import one_line
from tui.access import holder, session_of
from tui.focus import key_belongs_to_a_box
from tui.related import Place, events_filter, places
from tui.screens.command_line import Command, CommandLine, Completions
from tui.screens.navigation import Navigation
from tui.sorting import NO_SORT_YET, sort_next, sort_reversed
from tui.widgets.resource_table import ResourceTable


class MainKeys(Navigation):
    # tab stops on the details box (to scroll it): app.tcss shows that it has focus
    BINDINGS = [
        Binding(
            "enter",
            "drill_in",
            "Open",
            show=False,
            tooltip="a project opens its panes, a deployment its diagnosis, a pod its logs",
        ),
        Binding(
            "o",
            "related",
            "Related",
            show=False,
            tooltip="jump to the row's runtime, route, "
            "connection, pods, events; a pod's deployment",
        ),
        Binding("e", "events_of", "Events of", show=False, tooltip="the events about the row"),
        Binding(
            "minus",
            "back",
            "Back",
            key_display="-",
            show=False,
            tooltip="back to where the last jump started",
        ),
        Binding(
            "c",
            "copy_name",
            "Copy name",
            show=False,
            tooltip="the row's name, to the clipboard (OSC 52)",
        ),
        Binding("C", "copy_url", "Copy URL", show=False, tooltip="a deployment's or route's URL"),
        Binding("S", "sort", "Sort", show=False, tooltip="by the next column (▲ in its header)"),
        Binding("R", "reverse_sort", "Reverse", show=False, tooltip="the sort order (▲/▼)"),
    ]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if key_belongs_to_a_box(self, action):
            return False  # the key goes on to the box as text
        return super().check_action(action, parameters)

    @on(Mount)
    def _skip_unfocusable(self) -> None:
        """tab stops only where focus shows: the tab strip is reached with 1…7 (and the mouse)."""
        for strip in self.query(Tabs):
            strip.can_focus = False

    # -- what the keys act on -----------------------------------------------------------
    def focused_table(self) -> ResourceTable:
        focused = self.focused
        if isinstance(focused, ResourceTable):
            return focused
        return self.projects if self._projects_in_use else self.tabs.current_table()

    def selected_row(self) -> Any:
        return self.focused_table().selected_object()

    def _nothing(self, why: str) -> None:
        self.notify(why, severity="warning", markup=False)

    # -- : (the app's binding opens it: tui/app_keys.py) ------------------------------------
    async def action_command_line(self) -> None:
        lines = self.query(CommandLine)
        if lines:
            line = lines.first()
        else:
            line = CommandLine(Completions(self.project_names, self._contexts), id="command-line")
            await self.mount(line, before=self.status)  # one line above the status line
        line.open()

    def _contexts(self) -> list[str]:
        try:
            return session_of(self).contexts()
        except Exception:  # a kubeconfig gone since we connected: nothing to complete
            return []

    def run_command(self, command: Command) -> None:
        """A `:` line's command (the app parses every screen's line, this one's too)."""
        if command.verb == "":
            return
        if command.verb == "quit":
            self.app.exit()
        elif command.verb == "help":
            self.app.action_help()  # type: ignore[attr-defined]
        elif command.verb == "context":
            self._switch_context(command.arg)
        elif command.verb == "projects":
            self._open_project(command.arg)
        elif command.verb == "all-projects":
            self.action_all_projects()  # type: ignore[attr-defined]
        else:
            self._open_kind(command.verb, command.arg)

    def _switch_context(self, name: str) -> None:
        contexts = self._contexts()
        if name not in contexts:
            said = f"No context {name!r}" if name else ":ctx needs a name"
            self._nothing(f"{said}. Contexts: {', '.join(contexts) or 'none in the kubeconfig'}")
            return
        holder(self).switch_context(name)

    def _open_project(self, name: str) -> None:
        if not name:
            self._projects_in_use = True
            self.projects.focus()
            return
        names = self.project_names()
        if name not in names:
            shown = ", ".join(names[:8]) + (" …" if len(names) > 8 else "")
            self._nothing(f"No project {name!r} visible to you. Projects: {shown}")
            return
        self.history.append(self.here())
        self.select_project(name)
        self.action_show_tab(self.tabs.current_view().name)

    def _open_kind(self, tab: str, name: str) -> None:
        if not name:
            self.history.append(self.here())
            self.action_show_tab(tab)
            return
        found = [o for o in view(tab).objects(self.snapshot)] if self.snapshot else []
        match = next((o for o in found if o.name == name), None)
        if match is None:
            where = f"in {self.project}" if self.project else "(no project loaded)"
            self._nothing(f"No {view(tab).title.lower()} named {name!r} {where}.")
            return
        self.go(Place("", name, tab, view(tab).key(match)))

    # -- enter, o, e, - ---------------------------------------------------------------------
    def action_drill_in(self) -> None:
        table = self.focused_table()
        if table is self.projects:
            if self.project:
                self.tabs.current_table().focus()
            return
        chosen = table.selected_object()
        if isinstance(chosen, resources.Deployment | resources.LLMService):
            self.action_diagnose()
        elif isinstance(chosen, resources.Pod):
            self.action_logs()
        else:
            self._nothing("enter opens a deployment's diagnosis or a pod's logs.")

    def action_related(self) -> None:
        obj = self.selected_row()
        if obj is None or self.snapshot is None or isinstance(obj, resources.Project):
            self._nothing("Select a row of a project's tab first (o jumps from it).")
            return
        found = places(obj, self.snapshot)
        if not found:
            self._nothing(f"{obj.name}: nothing related to jump to in this project.")
            return
        from tui.screens.related_chooser import RelatedChooser

        def chosen(place: Place | None) -> None:
            if place is not None:
                self.go(place)

        self.app.push_screen(RelatedChooser(obj.name, found), chosen)

    def action_events_of(self) -> None:
        obj = self.selected_row()
        if isinstance(obj, resources.Project):
            self.action_show_tab("events")
            return
        name = events_filter(obj) if obj is not None else ""
        if not name:
            what = "an event has no events" if obj is not None else "nothing is selected"
            self._nothing(f"e shows the events about the selected row; {what}.")
            return
        self.go(Place("e", f"events about {name}", "events", filter=name))

    def action_back(self) -> None:
        if not self.go_back():
            self._nothing("Nothing to go back to: - returns after a jump (o, e, :).")

    # -- copy --------------------------------------------------------------------------------
    def _copy(self, text: str, what: str) -> None:
        """A name with control characters is not copied: pasted into a shell, an escape
        sequence or a newline would act; the toast shows it as the console does."""
        if one_line(text) != text:
            self._nothing(f"Not copied: the {what} holds control characters: {one_line(text)}")
            return
        self.app.copy_to_clipboard(text)
        self.notify(f"Copied {what}: {text}", markup=False)

    def action_copy_name(self) -> None:
        obj = self.selected_row()
        if obj is None:
            self._nothing("Nothing selected to copy.")
        elif isinstance(obj, resources.Event):
            self._copy(f"{obj.involved_kind.lower()}/{obj.involved_name}", "the event's object")
        else:
            self._copy(obj.name, "name")

    def action_copy_url(self) -> None:
        obj = self.selected_row()
        if isinstance(obj, resources.Route):
            scheme = "https" if obj.termination else "http"
            self._copy(f"{scheme}://{obj.host}{obj.path}", "URL")
            return
        dep = obj if isinstance(obj, resources.Deployment | resources.LLMService) else None
        if dep is None:
            self._nothing("C copies a URL: select a deployment or a route.")
        elif not dep.url:
            self._nothing(f"{dep.name} has no URL yet (its status.url is empty).")
        else:
            self._copy(dep.url, "URL")

    # -- S, R ----------------------------------------------------------------------------------
    def action_sort(self) -> None:
        self.notify(sort_next(self.focused_table()))

    def action_reverse_sort(self) -> None:
        said = sort_reversed(self.focused_table())
        if said is None:
            self._nothing(NO_SORT_YET)
            return
        self.notify(said)
