"""The diagnosis of one deployment, shown live as each check finishes; root cause first.

Results arrive already redacted from the session: nothing here redacts by hand."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from checks.cluster.concerns import subject
from checks.cluster.deployment_watch import DeploymentWatch
from checks.cluster.snapshot import Snapshot
from checks.cluster.watch import Change
from checks.engine.report import render_markdown, verdict_line
from checks.engine.runner import Report, Result, Status
from checks.errors import DoctorError
from checks.resources import AnyDeployment
from checks.text import visible
from checks.watching import Moment, watch_until_healthy
from tui.access import holder, session_of
from tui.exports import ExportError, write_export
from tui.focus import a_box_has_focus
from tui.offline import refused_offline
from tui.safe import SafeStatic
from tui.widgets.check_list import ORDER, STYLES, CheckList, check_details, ordered
from tui.widgets.header import HeaderBar
from tui.widgets.keys_footer import KeysFooter

WATCH_TIMEOUT_S = 600.0  # as `check --watch`'s default
TIMELINE_KEPT = 50
TIMELINE_SHOWN = 4  # the newest; at 24 rows the report keeps its room


class DiagnosisScreen(Screen):
    HELP_TITLE = "diagnosis"
    VERTICAL_BREAKPOINTS = [(0, "-short"), (30, "-tall")]  # 24 rows: fewer checks, more fix
    BINDINGS = [
        Binding("escape,q", "back", "Back"),
        Binding("enter", "expand", "Expand", priority=True, tooltip="more room for the details"),
        Binding("r", "rerun", "Re-run", tooltip="read the project again and re-run the checks"),
        Binding("e", "export", "Export .md", tooltip="write the report as markdown (redacted)"),
        Binding("l", "logs", "Logs", tooltip="logs of the deployment's pod"),
        Binding(
            "w",
            "watch",
            "Watch",
            tooltip="re-run on each change to its objects until it passes; a timeline below",
        ),
        Binding("z", "expand", "Zoom", show=False, tooltip="more room for the details"),
    ]

    def __init__(
        self,
        snapshot: Snapshot,
        deployment: AnyDeployment,
        back_to: Callable[[], None] | None = None,
    ) -> None:
        super().__init__()
        self.snapshot, self.deployment = snapshot, deployment
        self.back_to = back_to  # escape returns there (the `0` view it was opened from)
        self.results: dict[str, Result] = {}
        self.report: Report | None = None
        self.error = ""
        self.exported: Path | None = None
        self.changed = ""  # the last change to the deployment's objects since this run began
        self.following = False  # w: re-run on each change until it passes
        self.timeline: list[str] = []
        self._watch: DeploymentWatch | None = None

    def compose(self) -> ComposeResult:
        dep = self.deployment
        yield HeaderBar(
            f"diagnosis of {dep.namespace}/{dep.name} · {dep.platform} · "
            f"{dep.model_format or '?'} on {dep.runtime or '?'}"
        )
        yield SafeStatic("", id="verdict")
        yield CheckList(id="checks")
        with VerticalScroll(id="check-box"):
            yield SafeStatic("", id="check-details")
        yield SafeStatic("", id="timeline")
        yield SafeStatic("", id="status")
        yield KeysFooter(compact=True)

    def action_back(self) -> None:
        back_to, self.back_to = self.back_to, None
        self.app.pop_screen()
        if back_to is not None:
            back_to()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "expand" and a_box_has_focus(self):
            return False  # enter runs the `:` line
        return super().check_action(action, parameters)

    def on_mount(self) -> None:
        self.run_checks(fresh=False)
        self.query_one(CheckList).focus()
        if not session_of(self).offline:  # a capture does not change
            informers = session_of(self).informers()
            self._watch = DeploymentWatch(informers, self.deployment, self._object_changed)

    def on_unmount(self) -> None:
        if self._watch is not None:
            self._watch.close()
            self._watch = None

    def _object_changed(self, _line: str, change: Change) -> None:
        """One of the deployment's objects changed: offer a re-run (r), say which (w re-runs
        by itself)."""
        if self.following:
            return
        self.changed = f"{subject(change.kind, change.obj)} changed"
        if self._whole():
            self._refresh_verdict()

    @work(exclusive=True, group="diagnosis", description="run the checks")
    async def run_checks(self, fresh: bool) -> None:
        """`fresh`: re-read the project first (a re-run after a fix must see the fix)."""
        dep = self.deployment
        self.results.clear()
        self.report, self.error, self.exported, self.changed = None, "", None, ""
        self._refresh()
        session = session_of(self)
        try:
            if fresh:
                self._status("reading the project again…")
                self.snapshot = await session.snapshot(dep.namespace)
            self._status("running the checks…")
            self.report = await session.diagnose(
                dep.namespace, dep.name, snapshot=self.snapshot, on_result=self._arrived
            )
        except DoctorError as error:
            self.error = str(error)
        self._refresh()

    def _arrived(self, result: Result) -> None:
        self.results[result.id] = result
        self._refresh()

    def _status(self, text: str | Text) -> None:
        shown = Text(text) if isinstance(text, str) else text
        if self.changed:  # first: at 80 columns the offer must show
            shown = Text.assemble((f"{self.changed} — r re-runs", "bold"), " · ", shown)
        for status in self.query("#status").results(Static):  # none once q/escape left
            status.update(shown)

    def _whole(self) -> bool:
        """False once q/escape left while the checks ran: the screen's parts go one at a time,
        and a check landing or a watch event may come between two of them."""
        return all(self.query(part) for part in (CheckList, "#verdict", "#check-details"))

    def _refresh(self) -> None:
        if not self._whole():
            return
        self.query_one(CheckList).show_results(self.results.values(), stopped=bool(self.error))
        self._refresh_verdict()
        self._show_selected()

    def _refresh_verdict(self) -> None:
        verdict = self.query_one("#verdict", Static)
        if self.error:
            verdict.update(Text(f"✗ cannot diagnose: {visible(self.error)}", style="bold red"))
            self._status("press r to try again")
            return
        roots = [r for r in ordered(self.results.values()) if r.status == Status.FAIL]
        if roots:
            text = Text("✗ root cause: ", style="bold red")
            text.append(roots[0].title, style="bold")
            text.append(f" — {roots[0].summary}")
            if len(roots) > 1:
                text.append(f"  (+{len(roots) - 1} more failed)", style="bold red")
            verdict.update(self._fitted(text))
        elif self.report is not None:
            verdict.update(self._fitted(self._no_failure_line()))
        else:
            verdict.update(Text("… running; failures will show here first", style="dim"))
        if self.report is not None:
            line = verdict_line(self.report)
            if self.exported:
                line += f" · report written to {self.exported}"
            self._status(line)
        else:
            self._status(f"running: {len(self.results)} of {len(ORDER)} checks done…")

    def _fitted(self, text: Text) -> Text:
        """At most the verdict's three lines, cut with `…` (the whole summary is below)."""
        width = self.query_one("#verdict").size.width - 2
        if width > 20:
            room = 3 * width - 3 * 12  # word wrapping leaves up to a word's room per line
            if text.cell_len > room:
                text.truncate(room - 1)
                text.append("…")
        return text

    def _no_failure_line(self) -> Text:
        """Nothing failed: say so, naming what could not be checked or what warned."""
        for status, opening in (
            (Status.ERROR, "? nothing failed, but a check could not run: "),
            (Status.WARN, "! nothing failed; a warning: "),
        ):
            found = [r for r in ordered(self.results.values()) if r.status == status]
            if found:
                text = Text(opening, style=STYLES[status])
                text.append(found[0].title, style="bold")
                text.append(f" — {found[0].summary}")
                return text
        return Text("✓ nothing failed: every check passed", style="green")

    @on(CheckList.Highlighted)
    def _show_selected(self) -> None:
        details = self.query_one("#check-details", Static)
        result = self.query_one(CheckList).selected_result()
        if result is None:
            details.update(Text("waiting for this check…", style="dim") if self.results else "")
            return
        details.update(check_details(result))

    # -- actions -----------------------------------------------------------------------
    def action_expand(self) -> None:
        self.toggle_class("-expanded")

    def action_rerun(self) -> None:
        self.run_checks(fresh=True)

    def action_export(self) -> None:
        if self.report is None:
            self.notify("The diagnosis is still running.", severity="warning")
            return
        dep = self.deployment
        try:
            path = write_export(
                holder(self).places,
                f"rhoai-doctor-{dep.namespace}-{dep.name}.md",
                render_markdown(self.report),
            )
        except ExportError as error:
            self.notify(str(error), severity="error", markup=False)
            return
        self.exported = path
        self.app.copy_to_clipboard(str(path))  # OSC 52: works over SSH
        self.notify(f"Report written to {path} (path copied)", markup=False)
        self._refresh_verdict()

    def action_watch(self) -> None:
        """w: follow the deployment until it passes (w again stops); the timeline shows below."""
        if refused_offline(self, "watch"):
            return
        if self.following:
            self.following = False
            self.workers.cancel_group(self, "watch")
            self._moment(Moment("stopped watching"))
            return
        self.following = True
        self.add_class("-watching")
        self.follow_until_healthy()

    @work(exclusive=True, group="watch", description="re-diagnose on each change")
    async def follow_until_healthy(self) -> None:
        dep = self.deployment
        self.workers.cancel_group(self, "diagnosis")
        try:
            report = await watch_until_healthy(
                session_of(self),
                dep.namespace,
                dep.name,
                timeout_s=WATCH_TIMEOUT_S,
                on_report=self._watched_report,
                on_moment=self._moment,
            )
            self._watched_report(report)
        except DoctorError as error:
            self._moment(Moment(f"the watch stopped: {error}"))
        self.following = False

    def _watched_report(self, report: Report) -> None:
        self.report, self.error, self.changed = report, "", ""
        self.results = {r.id: r for r in report.results}
        self._refresh()

    def _moment(self, moment: Moment) -> None:
        self.timeline = [*self.timeline, moment.line()][-TIMELINE_KEPT:]
        for timeline in self.query("#timeline").results(Static):
            timeline.update(Text("\n".join(self.timeline[-TIMELINE_SHOWN:])))

    def action_logs(self) -> None:
        pods = self.snapshot.pods_for(self.deployment)
        if not pods:
            self.notify("This deployment has no pods.", severity="warning")
            return
        from tui.screens.logs import LogsScreen

        self.app.push_screen(LogsScreen(pods[0]))
