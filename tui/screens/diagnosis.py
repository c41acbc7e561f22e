"""The diagnosis of one deployment, shown live as each check finishes; root cause first."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from checks.catalog import CATALOG
from checks.engine import Report, Result, Status, order
from checks.errors import DoctorError
from checks.report import MARKS, Redactor, render_markdown, verdict_line
from checks.resources import Deployment
from checks.snapshot import Snapshot
from tui.widgets.header import HeaderBar

if TYPE_CHECKING:
    from tui.backend import Backend

STYLES = {
    Status.PASS: "green",
    Status.WARN: "yellow",
    Status.FAIL: "bold red",
    Status.SKIP: "dim",
    Status.ERROR: "magenta",
}
ORDER = [c.id for c in order(CATALOG)]
TITLES = {c.id: c.title for c in CATALOG}


def ordered(results: dict[str, Result]) -> list[Result]:
    """Root causes (failed checks) first, then the rest in dependency order."""
    known = sorted(results.values(), key=lambda r: ORDER.index(r.id))
    return [r for r in known if r.status == Status.FAIL] + [
        r for r in known if r.status != Status.FAIL
    ]


def check_details(result: Result, redact: Redactor) -> Text:
    """Summary, the evidence seen, and the fix: what an SRE would paste into a ticket."""
    text = Text()
    text.append(f"{MARKS[result.status]} {result.title}", style=STYLES[result.status])
    text.append(f"  ({result.id}, {result.status})\n", style="dim")
    text.append(redact(result.summary) + "\n")
    if result.evidence:
        text.append("evidence\n", style="bold")
        for line in result.evidence:
            text.append(f"  • {redact(line)}\n")
    if result.remediation:
        text.append("fix\n", style="bold green")
        text.append(f"  {redact(result.remediation)}\n")
    if result.blocked_by:
        text.append(f"not run: blocked by {result.blocked_by}\n", style="dim")
    return text


class DiagnosisScreen(Screen):
    HELP_TITLE = "diagnosis"
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("enter", "expand", "Expand", priority=True, tooltip="more room for the details"),
        Binding("r", "rerun", "Re-run", tooltip="read the project again and re-run the checks"),
        Binding("e", "export", "Export .md", tooltip="write the report as markdown (redacted)"),
        Binding("l", "logs", "Logs", tooltip="logs of the deployment's pod"),
    ]

    def __init__(self, snapshot: Snapshot, deployment: Deployment) -> None:
        super().__init__()
        self.snapshot, self.deployment = snapshot, deployment
        self.results: dict[str, Result] = {}
        self.report: Report | None = None
        self.redactor = Redactor()
        self.error = ""
        self.exported: Path | None = None

    @property
    def backend(self) -> Backend:
        return self.app.backend  # type: ignore[attr-defined,no-any-return]

    def compose(self) -> ComposeResult:
        dep = self.deployment
        yield HeaderBar(
            f"diagnosis of {dep.namespace}/{dep.name} · {dep.platform} · "
            f"{dep.model_format or '?'} on {dep.runtime or '?'}"
        )
        yield Static("", id="verdict")
        yield DataTable(id="checks", cursor_type="row", zebra_stripes=True)
        with VerticalScroll(id="check-box"):
            yield Static("", id="check-details")
        yield Static("", id="status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#checks", DataTable).add_columns("", "CHECK", "RESULT")
        self.run_checks(fresh=False)
        self.query_one("#checks", DataTable).focus()

    @work(exclusive=True, group="diagnosis")
    async def run_checks(self, fresh: bool) -> None:
        """`fresh`: re-read the project first (a re-run after a fix must see the fix)."""
        dep = self.deployment
        self.results.clear()
        self.report, self.error, self.exported = None, "", None
        self._refresh()
        try:
            if fresh:
                self._status("reading the project again…")
                self.snapshot = await self.backend.snapshot(dep.namespace)
            self.redactor = self.backend.redactor(self.snapshot)
            self._status("running the checks…")
            report, redactor = await self.backend.diagnose(
                self.snapshot, dep.namespace, dep.name, self._arrived
            )
        except DoctorError as error:
            self.error = str(error)
            self._refresh()
            return
        self.report, self.redactor = report, redactor
        self._refresh()

    def _arrived(self, result: Result) -> None:
        self.results[result.id] = result
        self._refresh()

    def _status(self, text: str | Text) -> None:
        self.query_one("#status", Static).update(text)

    def _refresh(self) -> None:
        self._refresh_table()
        self._refresh_verdict()
        self._show_selected()

    def _refresh_verdict(self) -> None:
        verdict = self.query_one("#verdict", Static)
        if self.error:
            verdict.update(Text(f"✗ cannot diagnose: {self.error}", style="bold red"))
            self._status("press r to try again")
            return
        roots = [r for r in ordered(self.results) if r.status == Status.FAIL]
        if roots:
            root = roots[0]
            text = Text("✗ root cause: ", style="bold red")
            text.append(root.title, style="bold")
            text.append(f" — {self.redactor(root.summary)}")
            if len(roots) > 1:
                text.append(f"  (+{len(roots) - 1} more failed)", style="bold red")
            verdict.update(text)
        elif self.report is not None:
            verdict.update(self._no_failure_line())
        else:
            verdict.update(Text("… running; failures will show here first", style="dim"))
        if self.report is not None:
            line = verdict_line(self.report)
            if self.exported:
                line += f" · report written to {self.exported}"
            self._status(Text(self.redactor(line)))
        else:
            self._status(f"running: {len(self.results)} of {len(ORDER)} checks done…")

    def _no_failure_line(self) -> Text:
        """Nothing failed: say so, naming what could not be checked or what warned."""
        for status, opening in (
            (Status.ERROR, "? nothing failed, but a check could not run: "),
            (Status.WARN, "! nothing failed; a warning: "),
        ):
            found = [r for r in ordered(self.results) if r.status == status]
            if found:
                text = Text(opening, style=STYLES[status])
                text.append(found[0].title, style="bold")
                text.append(f" — {self.redactor(found[0].summary)}")
                return text
        return Text("✓ nothing failed: every check passed", style="green")

    def _refresh_table(self) -> None:
        table = self.query_one("#checks", DataTable)
        selected = table.cursor_row
        table.clear()
        for result in ordered(self.results):
            style = STYLES[result.status]
            table.add_row(
                Text(MARKS[result.status], style=style),
                Text(result.title, style=style),
                Text(self.redactor(result.summary)),
                key=result.id,
            )
        for check_id in ORDER:
            if check_id not in self.results:
                table.add_row(
                    Text("…", style="dim"),
                    Text(TITLES[check_id], style="dim"),
                    Text("waiting" if not self.error else "not run", style="dim"),
                    key=check_id,
                )
        if table.row_count:
            table.move_cursor(row=min(max(selected, 0), table.row_count - 1))

    @on(DataTable.RowHighlighted)
    def _show_selected(self) -> None:
        table = self.query_one("#checks", DataTable)
        details = self.query_one("#check-details", Static)
        shown = ordered(self.results)
        if not 0 <= table.cursor_row < len(shown):
            details.update(Text("waiting for this check…", style="dim") if shown else "")
            return
        details.update(check_details(shown[table.cursor_row], self.redactor))

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
        path = Path.cwd() / f"rhoai-doctor-{dep.namespace}-{dep.name}.md"
        try:
            path.write_text(render_markdown(self.report, self.redactor))
        except OSError as error:
            self.notify(f"Cannot write {path}: {error.strerror}", severity="error")
            return
        self.exported = path
        self.notify(f"Report written to {path}")
        self._refresh_verdict()

    def action_logs(self) -> None:
        pods = self.snapshot.pods_for(self.deployment)
        if not pods:
            self.notify("This deployment has no pods.", severity="warning")
            return
        from tui.screens.logs import LogsScreen

        self.app.push_screen(LogsScreen(pods[0]))
