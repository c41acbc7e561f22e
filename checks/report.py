"""Renderings of a diagnosis: a `flutter doctor`-like table, JSON, Markdown for a ticket, JUnit.

Every rendering passes through a Redactor that blanks the secret values and tokens the run saw,
so no format can leak them even if a message quoted one.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from xml.sax.saxutils import escape

from checks.engine import Report, Result, Status

MARKS = {Status.PASS: "✓", Status.WARN: "!", Status.FAIL: "✗", Status.SKIP: "-", Status.ERROR: "?"}
ASCII_MARKS = {
    Status.PASS: "[ok]",
    Status.WARN: "[!!]",
    Status.FAIL: "[XX]",
    Status.SKIP: "[--]",
    Status.ERROR: "[??]",
}
JWT = re.compile(r"eyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]{8,}")
OPENSHIFT_TOKEN = re.compile(r"sha256~[\w-]{20,}")


class Redactor:
    """Replaces known secret values, JWTs and OpenShift tokens with a mask."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self._secrets = sorted({s for s in secrets if s and len(s) >= 4}, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for value in self._secrets:
            text = text.replace(value, "••••••••")
        text = JWT.sub("<token redacted>", text)
        return OPENSHIFT_TOKEN.sub("<token redacted>", text)


def render_table(report: Report, redact: Redactor, ascii_only: bool = False) -> str:
    marks = ASCII_MARKS if ascii_only else MARKS
    target = report.target
    lines = [f"Diagnosis of {target['namespace']}/{target['name']} ({target['platform']})", ""]
    for result in report.results:
        lines.append(
            f"[{marks[result.status]}] {result.title} ({result.id}): {result.summary}"
            if not ascii_only
            else f"{marks[result.status]} {result.title} ({result.id}): {result.summary}"
        )
        if result.status in (Status.FAIL, Status.WARN, Status.ERROR):
            lines += [f"    • {line}" for line in result.evidence]
            if result.remediation:
                lines.append(f"    → fix: {result.remediation}")
    lines += ["", verdict_line(report)]
    return redact("\n".join(lines))


def verdict_line(report: Report) -> str:
    counts = {s: sum(r.status == s for r in report.results) for s in Status}
    roots = report.root_causes
    summary = ", ".join(f"{n} {s}" for s, n in counts.items() if n)
    if roots:
        return (
            f"Verdict: {report.verdict} — root cause: {roots[0].id}: {roots[0].summary} ({summary})"
        )
    return f"Verdict: {report.verdict} ({summary})"


def render_json(report: Report, redact: Redactor) -> str:
    body = {
        "target": report.target,
        "checks": [r.as_dict() for r in report.results],
        "verdict": str(report.verdict),
    }
    return redact(json.dumps(body, indent=2, ensure_ascii=False))


def render_markdown(report: Report, redact: Redactor) -> str:
    target = report.target
    lines = [
        f"## rhoai-doctor: `{target['namespace']}/{target['name']}` ({target['platform']})",
        "",
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
    return redact("\n".join(lines) + "\n")


def render_junit(report: Report, redact: Redactor) -> str:
    target = report.target
    suite = f"{target['namespace']}/{target['name']}"
    failures = sum(r.status == Status.FAIL for r in report.results)
    errors = sum(r.status == Status.ERROR for r in report.results)
    skipped = sum(r.status == Status.SKIP for r in report.results)
    cases = [_junit_case(suite, r) for r in report.results]
    return redact(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<testsuite name="{escape(suite)}" tests="{len(report.results)}" '
        f'failures="{failures}" errors="{errors}" skipped="{skipped}">\n'
        + "".join(cases)
        + "</testsuite>\n"
    )


def _junit_case(suite: str, result: Result) -> str:
    seconds = result.duration_ms / 1000
    head = (
        f'  <testcase classname="{escape(suite)}" name="{escape(result.id)}" time="{seconds:.3f}">'
    )
    body = escape("\n".join([*result.evidence, result.remediation]).strip())
    summary = escape(result.summary, {'"': "&quot;"})
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
