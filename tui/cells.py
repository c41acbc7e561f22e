"""How the console draws cells: marks and styles that carry meaning on their own (NO_COLOR
terminals lose nothing), tab labels, and the rows of a kind's table from checks.cluster.kinds."""

from __future__ import annotations

from typing import Any

from rich.text import Text

from checks import resources
from checks.cluster.kinds import Column, KindView
from checks.cluster.snapshot import Snapshot
from checks.text import one_line

SEVERITY_STYLES = {
    resources.Severity.OK: "green",
    resources.Severity.PROGRESSING: "yellow",
    resources.Severity.FAILED: "bold red",
    resources.Severity.UNKNOWN: "yellow",
    resources.Severity.STOPPED: "dim",
}

# The diagnosis verdict's mark (checks.resources.fleet.MARKS), styled as the states are.
VERDICT_STYLES = {
    "fail": "bold red",
    "error": "yellow",
    "pending": "",
    "warn": "yellow",
    "stopped": "dim",
    "pass": "green",
}


def state_text(state: resources.DeploymentState) -> Text:
    """`✗ Pending · CrashLoopBackOff (OOMKilled)`: the one state word every face shows."""
    return Text(f"{state.mark} {one_line(state.text)}", style=SEVERITY_STYLES[state.severity])


def platform_tag(project: resources.Project) -> Text:
    if project.platform is None:
        return Text("--", style="dim")
    return Text("MM" if project.platform == resources.MODELMESH else "KS")


def pod_status(p: resources.Pod) -> Text:
    return Text(one_line(p.display_status), style="" if p.ready else "bold yellow")


def container_line(c: resources.ContainerState) -> str:
    """`init storage-initializer  terminated Error (exit 1)  restarts 0`, for lists and pickers."""
    state = f"{c.state} {c.reason}".strip()
    last = f"; last {c.last_reason} (exit {c.last_exit_code})" if c.last_reason else ""
    return f"{'init ' if c.init else ''}{c.name}  {state}  restarts {c.restarts}{last}"


def cell(view: KindView, header: str, obj: Any, value: Any) -> Text | str:
    """A value from checks.cluster.kinds, styled where the style tells something."""
    if isinstance(value, resources.DeploymentState):
        return state_text(value)
    if view.name == "pods" and header == "STATUS":
        return pod_status(obj)
    if view.name == "events" and header == "TYPE":
        return (
            Text("⚠ Warning", style="bold red")
            if obj.is_warning
            else Text(one_line(value), style="dim")
        )
    if view.name == "events" and header == "REASON":
        return Text(one_line(value), style="bold" if obj.is_warning else "")
    if value == "<empty>":
        return Text(value, style="red")
    return Text(one_line(str(value)))


STATE_HEADERS = ("STATE", "STATUS")


def console_columns(view: KindView) -> tuple[Column, ...]:
    """The view's console columns with its state or status right after the name: at 80
    columns the word that says what is wrong is the one that must not scroll away."""
    columns = view.console_columns()
    state = next((c for c in columns if c.header in STATE_HEADERS), None)
    if state is None or not columns or columns[0].header != "NAME":
        return columns
    rest = tuple(c for c in columns[1:] if c is not state)
    return (columns[0], state, *rest)


def row(view: KindView, obj: Any, snapshot: Snapshot) -> tuple:
    return tuple(cell(view, c.header, obj, c.value(obj, snapshot)) for c in console_columns(view))


def tab_label(view: KindView, snapshot: Snapshot | None, narrow: bool) -> str:
    """The tab's name, with ✗ when its kind could not be read and ⚠N for warning events."""
    label = view.short if narrow else view.title
    if snapshot is None:
        return label
    if snapshot.error_line(view.error_kind):
        return f"{label} ✗"
    if view.name == "events":
        warnings = sum(e.is_warning for e in snapshot.events)
        if warnings:
            return f"{label} ⚠{warnings}"
    return label
