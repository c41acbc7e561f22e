"""The composer's generative (vLLM) side: a streamed answer arriving in pieces, and the words
for its timings and bursts. The request itself is checks.request.chat_request.ChatRequest."""

from __future__ import annotations

from textual.message import Message

from checks.endpoints.openai_api import Streamed
from checks.request.chat_request import ChatRequest, StreamBurst


class Piece(Message):
    """One streamed chunk of the answer, posted by the send worker as it arrives."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


def valid_text(request: ChatRequest) -> str:
    limit = f", max_model_len {request.max_model_len}" if request.max_model_len else ""
    return f'✓ a valid OpenAI request for "{request.served_name}"{limit}'


def streamed_text(result: Streamed, text: str) -> str:
    if not result.ok:
        return result.explanation
    finish = f" · finish {result.finish_reason}" if result.finish_reason else ""
    return f"{text}\n\n{result.summary()}{finish}"


def stream_burst_text(result: StreamBurst) -> str:
    lines = [
        f"burst: {result.count} requests at concurrency {result.concurrency} in "
        f"{result.seconds:.2f} s; {result.errors} error(s)"
    ]
    if result.ttfts:
        lines.append(result.line("TTFT", result.ttfts, 1000, "ms"))
    if result.rates:
        lines.append(result.line("tokens/s", result.rates, 1, ""))
    if result.reasons:
        lines.append(f"errors by reason: {result.reasons_text}")
    if result.stopped:
        lines.append(result.stopped)
    return "\n".join(lines)
