"""The `:` command line, as in k9s: a one-line input at the bottom of the main screen.
`:isvc`, `:pods`, `:events` … open a tab (the same names and aliases `rhoai-doctor get` takes,
from checks.cluster.kinds), `:ns NAME` a project, `:ctx NAME` a context, `:q` quits. Tab completes."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from textual import on
from textual.binding import Binding
from textual.message import Message
from textual.suggester import Suggester
from textual.widgets import Input

from checks.cluster.kinds import ALIASES, VIEWS, normalise
from checks.text import one_line
from tui.focus import focus_now

QUIT = ("q", "q!", "quit", "qa", "exit")
PROJECT = ("ns", "project", "projects", "namespace")
CONTEXT = ("ctx", "context")
VERBS = (*(v.name for v in VIEWS), *ALIASES, *PROJECT, *CONTEXT, "q", "quit", "help")


@dataclass(frozen=True)
class Command:
    """What was typed: `verb` (a tab name, "projects", "context", "quit", "help"), `arg`."""

    verb: str
    arg: str = ""
    typed: str = ""


def parse(text: str) -> Command | None:
    """`:isvc iris` -> Command("deployments", "iris"); None when the word means nothing."""
    words = text.strip().removeprefix(":").split()
    if not words:
        return Command("", typed=text)
    word, arg = words[0].lower(), " ".join(words[1:])
    if word in QUIT:
        return Command("quit", typed=text)
    if word == "help":
        return Command("help", typed=text)
    if word in CONTEXT:
        return Command("context", arg, text)
    if word in PROJECT:
        return Command("projects", arg, text)
    name = normalise(word)
    if name in {v.name for v in VIEWS}:
        return Command(name, arg, text)
    return None


def accepted() -> str:
    """The toast for a word we do not know: what is accepted, with the kubectl-style aliases."""
    shown = []
    for v in VIEWS:
        aliases = sorted((a for a, n in ALIASES.items() if n == v.name), key=len)[:2]
        shown.append(f":{v.name}" + (f" ({', '.join(aliases)})" if aliases else ""))
    return ", ".join(shown) + ", :ns NAME, :ctx NAME, :q"


class Completions(Suggester):
    """Verbs first; after `ns ` the projects, after `ctx ` the contexts."""

    def __init__(
        self, projects: Callable[[], Iterable[str]], contexts: Callable[[], Iterable[str]]
    ):
        super().__init__(use_cache=False, case_sensitive=False)
        self.projects, self.contexts = projects, contexts

    async def get_suggestion(self, value: str) -> str | None:
        """The line starts with its `:` prompt; so does the suggestion."""
        prompt = ":" if value.startswith(":") else ""
        found = self._complete(value.removeprefix(":"))
        return f"{prompt}{found}" if found else None

    def _complete(self, value: str) -> str | None:
        verb, space, rest = value.partition(" ")
        if not space:
            return next((v for v in VERBS if v.startswith(verb) and v != verb), None)
        if verb in PROJECT:
            names: Iterable[str] = self.projects()
        elif verb in CONTEXT:
            names = self.contexts()
        else:
            return None
        # a name with control characters is never suggested: the field would draw it raw
        found = next((n for n in names if n.lower().startswith(rest) and one_line(n) == n), None)
        return f"{verb} {found}" if found else None


class CommandLine(Input):
    """Hidden until `:`; enter runs the command (the screen does), escape leaves."""

    DEFAULT_CSS = """
    CommandLine { height: 1; border: none; padding: 0 1; background: $boost; }
    CommandLine:focus { border: none; }
    """
    BINDINGS = [
        Binding("escape", "leave", "Leave", show=False),
        Binding("tab", "complete", "Complete", show=False),
    ]

    class Run(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def __init__(self, suggester: Suggester, **kwargs: object) -> None:
        super().__init__(
            placeholder=":isvc :pods :events :ns NAME :ctx NAME :q (tab completes)",
            suggester=suggester,
            select_on_focus=False,  # typing goes after the `:` prompt
            **kwargs,  # type: ignore[arg-type]
        )

    def open(self) -> None:
        self._return_to = self.screen.focused
        self.value = ":"  # the prompt, as in k9s and vi
        self.cursor_position = 1
        self.display = True
        focus_now(self)  # the keys typed after `:` (already queued) come here

    def _close(self) -> None:
        self.value = ""
        self.display = False
        back = getattr(self, "_return_to", None)
        if back is not None and back.is_mounted:
            focus_now(back)

    def action_leave(self) -> None:
        self._close()

    def action_complete(self) -> None:
        suggestion = getattr(self, "_suggestion", "")
        if suggestion:
            self.value = suggestion
            self.cursor_position = len(self.value)

    @on(Input.Submitted)
    def _run(self, event: Input.Submitted) -> None:
        event.stop()
        text = self.value
        self._close()
        self.post_message(self.Run(text))
