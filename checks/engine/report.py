"""Renderings of a diagnosis: a `flutter doctor`-like table, JSON, Markdown for a ticket, JUnit.

Renderers receive a Report the session already redacted (checks.engine.redaction), so no format can
leak a secret even if a message quoted one.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from checks.engine.runner import Report, Result, Status
from checks.resources import AnyDeployment, LLMService

if TYPE_CHECKING:
    from checks.cluster.snapshot import Snapshot

MARKS = {Status.PASS: "✓", Status.WARN: "!", Status.FAIL: "✗", Status.SKIP: "-", Status.ERROR: "?"}
ASCII_MARKS = {
    Status.PASS: "[ok]",
    Status.WARN: "[!!]",
    Status.FAIL: "[XX]",
    Status.SKIP: "[--]",
    Status.ERROR: "[??]",
}


# SGR colours for a terminal (never when piped, never with NO_COLOR: the caller decides)
COLOURS = {
    Status.PASS: "\x1b[32m",
    Status.WARN: "\x1b[33m",
    Status.FAIL: "\x1b[1;31m",
    Status.ERROR: "\x1b[1;35m",
}
RESET = "\x1b[0m"


def _paint(text: str, status: Status, colour: bool) -> str:
    tint = COLOURS.get(status) if colour else None
    return f"{tint}{text}{RESET}" if tint else text


def render_table(report: Report, ascii_only: bool = False, colour: bool = False) -> str:
    """The verdict and root cause first (what a person reads), then one line per check with
    the evidence and fix under each failure; `colour` tints the marks and the verdict."""
    marks = ASCII_MARKS if ascii_only else MARKS
    target = report.target
    platform = target["platform"]
    if target.get("mode") and target.get("mode") != "ModelMesh":
        platform += f", {target['mode']}"
    head = f"Diagnosis of {target['namespace']}/{target['name']} ({platform})"
    if target.get("state"):
        head += f" — state: {target['state']}"
    if target.get("tls"):
        head += f" — TLS {target['tls']}"
    lines = [head]
    if report.source:
        lines.append(f"({report.source})")
    lines += [verdict_line(report, colour), ""]
    for result in report.results:
        mark = marks[result.status] if ascii_only else f"[{marks[result.status]}]"
        lines.append(
            f"{_paint(mark, result.status, colour)} {result.title} ({result.id}): {result.summary}"
        )
        if result.status in (Status.FAIL, Status.WARN, Status.ERROR):
            lines += [f"    • {line}" for line in result.evidence]
            if result.remediation:
                lines.append(f"    → fix: {result.remediation}")
        elif result.remediation:  # a state that is no fault but has a way out (Stopped)
            lines.append(f"    → {result.remediation}")
    return "\n".join(lines)


def verdict_line(report: Report, colour: bool = False) -> str:
    counts = {s: sum(r.status == s for r in report.results) for s in Status}
    roots = report.root_causes
    summary = ", ".join(f"{n} {s}" for s, n in counts.items() if n)
    verdict = _paint(str(report.verdict), report.verdict, colour)
    if roots:
        return f"Verdict: {verdict} — root cause: {roots[0].id}: {roots[0].summary} ({summary})"
    return f"Verdict: {verdict} ({summary})"


def report_document(report: Report) -> dict:
    """The report as `-o json` writes it: a sweep puts a thousand of them in one document
    (dumped once, not each dumped and parsed back)."""
    body: dict = {
        "target": report.target,
        "checks": [r.as_dict() for r in report.results],
        "verdict": str(report.verdict),
    }
    if report.source:
        body["source"] = report.source
    return body


def render_json(report: Report) -> str:
    return json.dumps(report_document(report), indent=2, ensure_ascii=False)


def render_markdown(report: Report) -> str:
    target = report.target
    lines = [
        f"## rhoai-doctor: `{target['namespace']}/{target['name']}` ({target['platform']})",
        "",
        *([f"> {report.source}", ""] if report.source else []),
        f"**{verdict_line(report)}**",
        "",
        "| | check | result |",
        "|---|---|---|",
    ]
    for result in report.results:
        summary = result.summary.replace("|", "\\|").replace("\n", " ")
        lines.append(f"| {MARKS[result.status]} | `{result.id}` | {summary} |")
    for result in report.results:
        if result.status not in (Status.FAIL, Status.WARN, Status.ERROR):
            continue
        lines += [
            "",
            f"### {MARKS[result.status]} {result.title} (`{result.id}`)",
            "",
            result.summary,
            "",
        ]
        if result.evidence:
            lines += ["```", *result.evidence, "```"]
        if result.remediation:
            lines += ["", f"**Fix:** {result.remediation}"]
    return "\n".join(lines) + "\n"


def render_junit(report: Report) -> str:
    """One deployment as a JUnit document (a `<testsuite>` root)."""
    return XML_HEAD + _junit_suite(report)


def render_junit_all(reports: list[Report]) -> str:
    """Every deployment of a sweep as ONE JUnit document: a `<testsuites>` root with a
    `<testsuite>` per deployment (CI tools read one document per file, never several)."""
    totals = {
        "tests": sum(len(r.results) for r in reports),
        "failures": sum(r.status == Status.FAIL for rep in reports for r in rep.results),
        "errors": sum(r.status == Status.ERROR for rep in reports for r in rep.results),
        "skipped": sum(r.status == Status.SKIP for rep in reports for r in rep.results),
    }
    counts = " ".join(f'{key}="{value}"' for key, value in totals.items())
    suites = "".join(_junit_suite(report) for report in reports)
    return f'{XML_HEAD}<testsuites name="rhoai-doctor" {counts}>\n{suites}</testsuites>\n'


XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'
# characters XML 1.0 forbids even escaped: a name or message carrying one would make the whole
# document unreadable to a JUnit parser
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml(text: str) -> str:
    """Text for an XML attribute or element: escaped, quotes too, no forbidden character."""
    return escape(_NOT_XML.sub("\ufffd", text), {'"': "&quot;"})


def _junit_suite(report: Report) -> str:
    target = report.target
    suite = f"{target['namespace']}/{target['name']}"
    failures = sum(r.status == Status.FAIL for r in report.results)
    errors = sum(r.status == Status.ERROR for r in report.results)
    skipped = sum(r.status == Status.SKIP for r in report.results)
    cases = [_junit_case(suite, r) for r in report.results]
    properties = (
        f'  <properties><property name="source" value="{_xml(report.source)}"/></properties>\n'
        if report.source
        else ""
    )
    return (
        f'<testsuite name="{_xml(suite)}" tests="{len(report.results)}" '
        f'failures="{failures}" errors="{errors}" skipped="{skipped}">\n'
        + properties
        + "".join(cases)
        + "</testsuite>\n"
    )


def _junit_case(suite: str, result: Result) -> str:
    seconds = result.duration_ms / 1000
    head = f'  <testcase classname="{_xml(suite)}" name="{_xml(result.id)}" time="{seconds:.3f}">'
    body = _xml("\n".join([*result.evidence, result.remediation]).strip())
    summary = _xml(result.summary)
    inner = {
        Status.FAIL: f'<failure message="{summary}">{body}</failure>',
        Status.ERROR: f'<error message="{summary}">{body}</error>',
        Status.SKIP: f'<skipped message="{summary}"/>',
    }.get(result.status, "")
    return f"{head}{inner}</testcase>\n"


RENDERERS = {
    "table": render_table,
    "json": render_json,
    "markdown": render_markdown,
    "junit": render_junit,
}


def report_target(dep: AnyDeployment, snapshot: Snapshot, tls_unverified: bool) -> dict:
    """The report's header, the same for a live run and a replay of its capture."""
    target = {
        "namespace": dep.namespace,
        "name": dep.name,
        "platform": dep.platform,
        "state": snapshot.state_of(dep).text,
        "mode": dep.mode_label,
        "dashboard": snapshot.state_of(dep).dashboard,
    }
    if isinstance(dep, LLMService):
        target["platform"] = f"{dep.platform}: LLMInferenceService {dep.api_version or '?'}"
    if tls_unverified:
        target["tls"] = "NOT VERIFIED"
    return target
