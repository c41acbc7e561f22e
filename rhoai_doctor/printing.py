"""How `infer` prints an answer and a burst: a table for people, JSON for scripts."""

from __future__ import annotations

import json
from typing import Any

from checks.endpoints.send import Burst, Sent
from checks.errors import ExitCode
from checks.request.model_request import ModelRequest
from checks.resources.tables import table
from checks.text import visible


def outputs_table(body: Any) -> str:
    outputs = body.get("outputs") if isinstance(body, dict) else None
    if not outputs or not isinstance(outputs, list):
        return ""
    rows = []
    for out in outputs:
        if not isinstance(out, dict):
            continue
        data = out.get("data") or []
        data = data if isinstance(data, list) else [data]
        shown = ", ".join(str(v) for v in data[:6]) + (" …" if len(data) > 6 else "")
        rows.append((out.get("name"), out.get("datatype"), out.get("shape"), shown))
    return table(("OUTPUT", "DATATYPE", "SHAPE", "DATA"), rows) if rows else ""


def print_sent(
    request: ModelRequest, sent: Sent, comparison: list | None, problems: list[str], output: str
) -> int:
    agrees = comparison is None or all(c.agrees for c in comparison)
    if output == "json":
        print(
            json.dumps(
                {
                    "url": request.url,
                    "status": sent.status,
                    "seconds": round(sent.seconds, 4),
                    "answered_by": sent.answer.who,
                    "explanation": sent.explanation,
                    "response": sent.body,
                    "problems": problems,
                    "comparison": None
                    if comparison is None
                    else [
                        {"output": c.output, "agrees": c.agrees, "detail": c.detail}
                        for c in comparison
                    ],
                },
                indent=2,
            )
        )
    else:
        print(f"POST {visible(request.url)}")
        print(f"{sent.status} in {sent.seconds * 1000:.0f} ms — {visible(sent.explanation)}")
        for note in request.notes:
            print(f"  ({visible(note)})")
        if outputs := outputs_table(sent.body):
            print(outputs)
        for c in comparison or []:
            mark = "agrees" if c.agrees else "DIFFERS"
            print(f"local onnxruntime: {visible(c.output)} {mark} ({visible(c.detail)})")
    return ExitCode.OK if sent.ok and agrees else ExitCode.FAILED


def print_burst(result: Burst, output: str) -> int:
    if output == "json":
        print(
            json.dumps(
                {
                    "count": result.count,
                    "concurrency": result.concurrency,
                    "seconds": result.seconds,
                    "p50_ms": result.p50 * 1000,
                    "p95_ms": result.percentile(95) * 1000,
                    "p99_ms": result.percentile(99) * 1000,
                    "errors": result.errors,
                    "statuses": result.statuses,
                    "first_error": result.first_error,
                    "errors_by_reason": result.reasons,
                    "stopped": result.stopped,
                },
                indent=2,
            )
        )
        return ExitCode.OK if result.errors == 0 else ExitCode.FAILED
    if result.stopped:
        print(visible(result.stopped))
    if result.all_failed:
        print(
            f"all {result.count} requests failed ({result.seconds:.2f} s); "
            f"the first: {visible(result.first_error)}"
        )
        return ExitCode.FAILED
    headers = ("REQUESTS", "CONCURRENCY", "SECONDS", "P50 MS", "P95 MS", "P99 MS", "ERRORS")
    row = (
        result.count,
        result.concurrency,
        f"{result.seconds:.2f}",
        f"{result.p50 * 1000:.1f}",
        f"{result.percentile(95) * 1000:.1f}",
        f"{result.percentile(99) * 1000:.1f}",
        result.errors,
    )
    print(table((*headers, "STATUSES"), [(*row, result.statuses_text)]))
    if result.reasons:
        print(f"errors by reason: {visible(result.reasons_text)}")
    return ExitCode.OK if result.errors == 0 else ExitCode.FAILED
