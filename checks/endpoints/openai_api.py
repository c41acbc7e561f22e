"""The OpenAI-compatible API as vLLM serves it: request bodies, checks made before sending, one
line for each error body (current nested and older flat shapes), and a streamed send that
measures time to first token and tokens per second (reference rhoai-3x §5)."""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field

import httpx

from checks.transport import capped
from checks.transport.addressing import Override, address
from checks.transport.no_answer import unreachable

CHAT, COMPLETION = "/v1/chat/completions", "/v1/completions"
ROLES = ("system", "user", "assistant", "tool", "developer")
DEFAULT_MAX_TOKENS = 64
TOKEN = re.compile(r"\w+|[^\w\s]")

MEANINGS = (
    ("does not exist", "the model field must be the served model name"),
    (
        "maximum context length",
        "prompt plus max_tokens exceed the model's max_model_len: lower max_tokens or shorten "
        "the prompt (or raise --max-model-len if the GPU has room)",
    ),
    ("field required", "a required field is missing from the body"),
    ("does not match any of the expected tags", "a message role is not one vLLM accepts"),
    ("max_tokens must be at least", "max_tokens must be a whole number >= 1"),
    ("Invalid JSON", "the body is not valid JSON"),
)


def chat_body(model: str, message: str, max_tokens: int, stream: bool) -> dict:
    body: dict = {
        "model": model,
        "messages": [{"role": "user", "content": message}],
        "max_tokens": max_tokens,
        "stream": stream,
    }
    if stream:
        body["stream_options"] = {"include_usage": True}
    return body


def completion_body(model: str, prompt: str, max_tokens: int, stream: bool) -> dict:
    body = chat_body(model, "", max_tokens, stream)
    del body["messages"]
    return {"model": model, "prompt": prompt, **{k: v for k, v in body.items() if k != "model"}}


def rough_tokens(text: str) -> int:
    """A lower bound on the tokens of a text (words and punctuation); real tokenizers split more."""
    return len(TOKEN.findall(text))


def problems(body: object, path: str, served: str, max_model_len: int | None) -> list[str]:
    """What vLLM would refuse, said before anything is sent."""
    if not isinstance(body, dict):
        return ["the body must be a JSON object"]
    found = []
    model = body.get("model")
    if model != served:
        found.append(
            f'model "{model}" is not served here: the served model name is "{served}" '
            "(vLLM would answer 404 'The model ... does not exist.')"
        )
    prompt_text = ""
    if path == CHAT:
        messages = body.get("messages")
        if not isinstance(messages, list) or not messages:
            found.append('"messages" is missing or empty: give at least one {"role", "content"}')
            messages = []
        for i, message in enumerate(messages):
            role = message.get("role") if isinstance(message, dict) else None
            if role not in ROLES:
                found.append(f'messages[{i}].role "{role}" is not one of {", ".join(ROLES)}')
            elif isinstance(message.get("content"), str):
                prompt_text += message["content"] + " "
    else:
        prompt = body.get("prompt")
        if not isinstance(prompt, str | list) or not prompt:
            found.append('"prompt" is missing or empty')
        prompt_text = prompt if isinstance(prompt, str) else ""
    max_tokens = body.get("max_completion_tokens", body.get("max_tokens"))
    if max_tokens is not None:
        if not isinstance(max_tokens, int) or isinstance(max_tokens, bool) or max_tokens < 1:
            found.append(f"max_tokens must be a whole number >= 1, not {max_tokens!r}")
        elif max_model_len is not None:
            prompt_tokens = rough_tokens(prompt_text)
            if max_tokens + prompt_tokens > max_model_len:
                found.append(
                    f"max_tokens {max_tokens} plus at least {prompt_tokens} prompt token(s) "
                    f"exceed the model's context length {max_model_len} (max_model_len): vLLM "
                    "would answer 400 'This model's maximum context length is ...'"
                )
    return found


def explain_error(status: int, body: object, text: str = "") -> str:
    """One line for an error answer, whichever vLLM shape (or proxy) it comes in."""
    error = body.get("error") if isinstance(body, dict) else None
    if isinstance(error, dict):
        shape = "vLLM error"
        message, kind = str(error.get("message", "")), str(error.get("type", ""))
    elif isinstance(body, dict) and body.get("object") == "error":
        shape = "vLLM error (older flat shape)"
        message, kind = str(body.get("message", "")), str(body.get("type", ""))
    elif isinstance(body, dict) and "detail" in body:
        shape, message, kind = "the API server", str(body["detail"]), ""
    else:
        first = (text.strip().splitlines() or [""])[0][:160]
        if status == 401:
            return f"401 {first or 'Unauthorized'}: the token is missing, invalid or expired"
        if status == 403:
            return (
                f"403 {first or 'Forbidden'}: the token is valid but may not get this "
                "InferenceService (its role binding is missing)"
            )
        return f"{status} with a body that is not vLLM's JSON: {first or 'empty body'}"
    meaning = next((m for needle, m in MEANINGS if needle.lower() in message.lower()), "")
    label = f"{status} {kind}".strip()
    return f"{label} ({shape}): {message}" + (f" — {meaning}" if meaning else "")


@dataclass(frozen=True)
class Streamed:
    """One generation: what came back, and how fast."""

    status: int
    seconds: float
    ttft: float | None  # seconds to the first content token
    tokens: int
    text: str
    finish_reason: str = ""
    explanation: str = ""
    usage: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status == 200 and not self.explanation

    @property
    def tokens_per_second(self) -> float:
        return self.tokens / self.seconds if self.seconds > 0 else 0.0

    def summary(self) -> str:
        ttft = f"TTFT {self.ttft * 1000:.0f} ms · " if self.ttft is not None else ""
        return f"{ttft}{self.tokens} tokens · {self.tokens_per_second:.0f} tokens/s"


def _piece(chunk: dict) -> tuple[str, str]:
    """(text, finish_reason) of one chunk, chat (`delta.content`) or completion (`text`)."""
    choices = chunk.get("choices")
    if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
        return "", ""
    choice = choices[0]
    delta = choice.get("delta")
    text = delta.get("content") if isinstance(delta, dict) else choice.get("text")
    message = choice.get("message")
    if text is None and isinstance(message, dict):
        text = message.get("content")
    return (text if isinstance(text, str) else ""), str(choice.get("finish_reason") or "")


async def generate(
    http: httpx.AsyncClient,
    url: str,
    body: bytes,
    token: str | None,
    rules: list[Override],
    deadline: float,
    on_piece: Callable[[str], object] | None = None,
) -> Streamed:
    """POST and read the answer as it arrives (SSE when the body asks to stream)."""
    addressed = address(url, rules)
    headers = {**addressed.headers, "Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    started = time.perf_counter()
    ttft: float | None = None
    pieces: list[str] = []
    finish, usage = "", {}
    try:
        async with asyncio.timeout(deadline):
            async with http.stream(
                "POST",
                addressed.url,
                content=body,
                headers=headers,
                extensions=addressed.extensions,
            ) as response:
                status = response.status_code
                streaming = "event-stream" in response.headers.get("content-type", "")
                if status != 200 or not streaming:
                    raw = await _read_capped(response, url)
                    return _whole(status, raw, time.perf_counter() - started)
                async for line in _lines_capped(response, url):
                    data = line.removeprefix("data:").strip() if line.startswith("data:") else ""
                    if not data or data == "[DONE]":
                        continue
                    try:
                        chunk = json.loads(data)
                    except ValueError:
                        continue
                    if not isinstance(chunk, dict):
                        continue
                    if isinstance(chunk.get("usage"), dict):
                        usage = chunk["usage"]
                    if "error" in chunk:
                        return Streamed(
                            status,
                            time.perf_counter() - started,
                            ttft,
                            len(pieces),
                            "".join(pieces),
                            explanation=explain_error(status, chunk),
                        )
                    text, reason = _piece(chunk)
                    finish = reason or finish
                    if text:
                        ttft = ttft if ttft is not None else time.perf_counter() - started
                        pieces.append(text)
                        if on_piece is not None:
                            on_piece(text)
    except TimeoutError as error:
        raise unreachable(url, error, deadline) from error
    except httpx.HTTPError as error:
        raise unreachable(url, error, deadline) from error
    tokens = (
        usage.get("completion_tokens") if isinstance(usage.get("completion_tokens"), int) else None
    )
    return Streamed(
        200,
        time.perf_counter() - started,
        ttft,
        tokens if tokens is not None else len(pieces),
        "".join(pieces),
        finish,
        usage=usage,
    )


async def _lines_capped(response: httpx.Response, url: str) -> AsyncIterator[str]:
    """The stream's lines as they arrive, counting raw bytes: an endless line stops at the cap."""
    buffer, size = b"", 0
    async for chunk in response.aiter_bytes():
        size += len(chunk)
        if size > capped.MODEL_ANSWER_LIMIT:
            raise capped.TooLarge(f"the model route ({url})", capped.MODEL_ANSWER_LIMIT)
        buffer += chunk
        *lines, buffer = buffer.split(b"\n")
        for line in lines:
            yield line.rstrip(b"\r").decode(errors="replace")
    if buffer:
        yield buffer.decode(errors="replace")


async def _read_capped(response: httpx.Response, url: str) -> bytes:
    chunks, size = [], 0
    async for chunk in response.aiter_bytes():
        size += len(chunk)
        if size > capped.MODEL_ANSWER_LIMIT:
            raise capped.TooLarge(f"the model route ({url})", capped.MODEL_ANSWER_LIMIT)
        chunks.append(chunk)
    return b"".join(chunks)


def _whole(status: int, raw: bytes, seconds: float) -> Streamed:
    """A non-streamed answer, or an error: one body read whole."""
    text = raw.decode(errors="replace")
    try:
        body: object = json.loads(text)
    except (ValueError, RecursionError):
        body = None
    if status != 200 or not isinstance(body, dict) or "error" in body:
        return Streamed(status, seconds, None, 0, "", explanation=explain_error(status, body, text))
    content, finish = _piece(body)
    found = body.get("usage")
    usage: dict = found if isinstance(found, dict) else {}
    tokens = (
        usage.get("completion_tokens", rough_tokens(content)) if usage else rough_tokens(content)
    )
    return Streamed(status, seconds, None, int(tokens), content, finish, usage=usage)


def curl_stream_flag(command: str, body: dict) -> str:
    """`curl -N` (no buffering) when the body streams: the answer shows as it arrives."""
    if body.get("stream") is True:
        return command.replace("curl -sS ", "curl -sS -N ", 1)
    return command
