"""What the composer says about results: a burst (or that every request of it failed, with the
first error, instead of percentiles of failures) and a local onnxruntime run."""

from __future__ import annotations

from typing import Any

from checks.endpoints.send import Burst
from checks.request.chat_request import StreamBurst
from checks.request.local_run import Comparison
from tui import compact_json

LOCAL_VALUES = 12  # values shown per output of a local run


def every_one_failed(result: Burst) -> bool:
    """No answer at all, or only error statuses: percentiles of failures would read like a
    result, so the first error is what to say."""
    return result.all_failed or (result.count > 0 and result.errors >= result.count)


def burst_text(result: Burst) -> str:
    if every_one_failed(result):
        return (
            f"burst: all {result.count} requests failed in {result.seconds:.2f} s; "
            f"the first: {result.first_error}"
            + (f"\nerrors by reason: {result.reasons_text}" if len(result.reasons) > 1 else "")
            + (f"\n{result.stopped}" if result.stopped else "")
        )
    return (
        f"burst: {result.count} requests at concurrency {result.concurrency} in "
        f"{result.seconds:.2f} s\np50 {result.p50 * 1000:.1f} ms · p95 "
        f"{result.percentile(95) * 1000:.1f} ms · p99 {result.percentile(99) * 1000:.1f} ms\n"
        f"errors {result.errors} · statuses {result.statuses_text}"
        + (f"\nerrors by reason: {result.reasons_text}" if result.reasons else "")
        + (f"\n{result.stopped}" if result.stopped else "")
    )


def stream_burst_failed(result: StreamBurst) -> str | None:
    """The words when every generation of the burst failed; None when some worked."""
    if not result.all_failed:
        return None
    return (
        f"burst: all {result.count} requests failed in {result.seconds:.2f} s; "
        f"the first: {result.first_error}" + (f"\n{result.stopped}" if result.stopped else "")
    )


def local_text(outputs: dict[str, Any], width: int) -> str:
    """A local run without a send: each output's shape and its first values."""
    lines = ["local onnxruntime run (nothing sent):"]
    for name, array in outputs.items():
        shape = list(getattr(array, "shape", []))
        flat = array.reshape(-1).tolist() if hasattr(array, "reshape") else array
        values = [_rounded(v) for v in list(flat)[:LOCAL_VALUES]]
        more = f" … ({len(flat)} values)" if len(flat) > LOCAL_VALUES else ""
        lines.append(f"{name} shape {shape}: {compact_json.dumps(values, width)}{more}")
    lines.append("send it (ctrl+s), then ctrl+t compares the server's answer with this")
    return "\n".join(lines)


def compare_text(comparison: list[Comparison]) -> str:
    lines = [
        f"{'✓' if c.agrees else '✗'} {c.output}: {'agrees' if c.agrees else 'DIFFERS'} ({c.detail})"
        for c in comparison
    ]
    return "local onnxruntime vs the deployed model:\n" + "\n".join(lines)


def _rounded(value: Any) -> Any:
    return round(value, 6) if isinstance(value, float) else value
