"""The diagnosis of one deployment, shown live as each check finishes; root cause first."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from checks.catalog import CATALOG
from checks.engine import Report, Result, Status
from checks.errors import DoctorError
from checks.report import MARKS, Redactor, render_markdown, verdict_line
from checks.resources import Deployment
from checks.snapshot import Snapshot

STYLES = {
    Status.PASS: "green",
    Status.WARN: "yellow",
    Status.FAIL: "bold red",
    Status.SKIP: "dim",
    Status.ERROR: "magenta",
}
ORDER = [c.id for c in CATALOG]


class DiagnosisScreen(Screen):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("r", "rerun", "Re-run"),
        Binding("e", "export", "Export markdown"),
    ]

    def __init__(self, snapshot: Snapshot, deployment: Deployment) -> None:
        super().__init__()
        self.snapshot, self.deployment = snapshot, deployment
        self.results: dict[str, Result] = {}
        self.report: Report | None = None
        self.redactor = Redactor()

    def compose(self) -> ComposeResult:
        dep = self.deployment
        yield Static(f"Diagnosis of {dep.namespace}/{dep.name} ({dep.platform})", id="identity")
        with Vertical(id="diagnosis"):
            yield DataTable(id="checks", cursor_type="row")
            with VerticalScroll(id="details-box"):
                yield Static("", id="check-details")
        yield Static("running…", id="status")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#checks", DataTable)
        table.add_columns("", "CHECK", "RESULT")
        self.run_checks()

    @work(exclusive=True, group="diagnosis")
    async def run_checks(self) -> None:
        self.results.clear()
        self.report = None
        self._refresh_table()
        self.query_one("#status", Static).update("running…")
        try:
            report, redactor = await self.app.backend.diagnose(  # type: ignore[attr-defined]
                self.snapshot, self.deployment.namespace, self.deployment.name, self._arrived
            )
        except DoctorError as error:
            self.query_one("#status", Static).update(f"cannot diagnose: {error}")
            return
        self.report, self.redactor = report, redactor
        self._refresh_table()
        self.query_one("#status", Static).update(verdict_line(report))

    def _arrived(self, result: Result) -> None:
        self.results[result.id] = result
        self._refresh_table()

    def _ordered(self) -> list[Result]:
        """Root causes first, then the rest in dependency order."""
        known = sorted(self.results.values(), key=lambda r: ORDER.index(r.id))
        return [r for r in known if r.status == Status.FAIL] + [
            r for r in known if r.status != Status.FAIL
        ]

    def _refresh_table(self) -> None:
        table = self.query_one("#checks", DataTable)
        selected = table.cursor_row
        table.clear()
        for result in self._ordered():
            style = STYLES[result.status]
            table.add_row(
                Text(MARKS[result.status], style=style),
                Text(result.title, style=style),
                Text(self.redactor(result.summary)),
                key=result.id,
            )
        pending = [c.title for c in CATALOG if c.id not in self.results]
        for title in pending:
            table.add_row(
                Text("…", style="dim"), Text(title, style="dim"), Text("waiting", style="dim")
            )
        if table.row_count:
            table.move_cursor(row=min(selected, table.row_count - 1))
        self._show_selected()

    @on(DataTable.RowHighlighted)
    def _show_selected(self) -> None:
        table = self.query_one("#checks", DataTable)
        ordered = self._ordered()
        details = self.query_one("#check-details", Static)
        if not ordered or table.cursor_row >= len(ordered):
            details.update("")
            return
        result = ordered[table.cursor_row]
        lines = [
            f"{MARKS[result.status]} {result.title} ({result.id}) — {result.status}",
            result.summary,
        ]
        lines += [f"  • {line}" for line in result.evidence]
        if result.remediation:
            lines.append(f"→ fix: {result.remediation}")
        details.update(self.redactor("\n".join(lines)))

    def action_rerun(self) -> None:
        self.run_checks()

    def action_export(self) -> None:
        if self.report is None:
            self.notify("The diagnosis is still running.", severity="warning")
            return
        dep = self.deployment
        path = Path.cwd() / f"rhoai-doctor-{dep.namespace}-{dep.name}.md"
        path.write_text(render_markdown(self.report, self.redactor))
        self.notify(f"Report written to {path}")
        self.query_one("#status", Static).update(f"report written to {path}")
