"""What vLLM's OpenAI-compatible server answers for one served model, with a tiny deterministic
generator in place of the weights.

Endpoints, field names, status codes and error wording follow vLLM (reference rhoai-3x §5): the
served model name is the InferenceService's name, another name is a 404 NotFoundError, a request
whose prompt plus max_tokens exceeds max_model_len is a 400 BadRequestError. A per-token delay
makes time to first token and tokens per second measurable.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import re
import time
from dataclasses import dataclass
from typing import Any

from aiohttp import web

VOCABULARY = [
    "the",
    "model",
    "answers",
    "from",
    "the",
    "lab",
    "and",
    "every",
    "word",
    "is",
    "chosen",
    "by",
    "a",
    "hash",
    "of",
    "the",
    "prompt",
    "so",
    "the",
    "same",
    "question",
    "always",
    "gets",
    "the",
    "same",
    "reply",
    "which",
    "makes",
    "the",
    "tests",
    "repeatable",
    "and",
    "the",
    "timings",
    "honest",
    "because",
    "each",
    "token",
    "waits",
    "for",
    "the",
    "configured",
    "delay",
    "before",
    "it",
    "is",
    "sent",
]
NATURAL_LENGTH = 24  # tokens of a reply when max_tokens does not cut it short
TOKEN = re.compile(r"\w+|[^\w\s]")
ROLES = ("system", "user", "assistant", "tool", "developer")


def count_tokens(text: str) -> int:
    return len(TOKEN.findall(text))


class RequestError(Exception):
    """A request vLLM refuses: status, error type and message as it words them."""

    def __init__(self, status: int, kind: str, message: str, param: str | None = None) -> None:
        super().__init__(message)
        self.status, self.kind, self.message, self.param = status, kind, message, param

    def body(self) -> dict:
        return {
            "error": {
                "message": self.message,
                "type": self.kind,
                "param": self.param,
                "code": self.status,
            }
        }


@dataclass(frozen=True)
class GenerativeModel:
    """One model as vLLM serves it: its served name, context length and token pace."""

    name: str
    max_model_len: int = 4096
    token_delay_s: float = 0.01
    root: str = "/mnt/models"
    created: int = 1767225600

    def card(self) -> dict:
        return {
            "object": "list",
            "data": [
                {
                    "id": self.name,
                    "object": "model",
                    "created": self.created,
                    "owned_by": "vllm",
                    "root": self.root,
                    "parent": None,
                    "max_model_len": self.max_model_len,
                }
            ],
        }

    def words(self, prompt: str, max_tokens: int) -> list[str]:
        """The reply, one token per item: first words greet, the rest follow the prompt's hash."""
        seed = hashlib.sha256(prompt.encode()).digest()
        words = ["Hello", "!", "I", "am", self.name, "."]
        index = 0
        while len(words) < NATURAL_LENGTH - 1:
            words.append(VOCABULARY[(seed[index % len(seed)] + index) % len(VOCABULARY)])
            index += 1
        words.append(".")
        return words[:max_tokens]

    # -- validation, in vLLM's order ---------------------------------------------------------
    def _check_model(self, body: dict) -> None:
        model = body.get("model")
        if model != self.name:
            raise RequestError(404, "NotFoundError", f"The model `{model}` does not exist.")

    def _max_tokens(self, body: dict, prompt_tokens: int) -> int:
        raw = body.get("max_completion_tokens", body.get("max_tokens"))
        if raw is None:
            return max(self.max_model_len - prompt_tokens, 0)
        if not isinstance(raw, int) or isinstance(raw, bool) or raw < 1:
            raise RequestError(
                400, "BadRequestError", f"max_tokens must be at least 1, got {raw}.", "max_tokens"
            )
        if raw + prompt_tokens > self.max_model_len:
            raise RequestError(
                400,
                "BadRequestError",
                f"This model's maximum context length is {self.max_model_len} tokens. However, "
                f"you requested {raw + prompt_tokens} tokens ({prompt_tokens} in the messages, "
                f"{raw} in the completion). Please reduce the length of the messages or "
                "completion.",
            )
        return raw

    @staticmethod
    def chat_prompt(body: dict) -> str:
        messages = body.get("messages")
        if not isinstance(messages, list) or not messages:
            raise RequestError(400, "BadRequestError", "messages: Field required", "messages")
        parts = []
        for message in messages:
            if not isinstance(message, dict) or message.get("role") not in ROLES:
                role = message.get("role") if isinstance(message, dict) else None
                raise RequestError(
                    400,
                    "BadRequestError",
                    f"messages: Input tag '{role}' found using 'role' does not match any of the "
                    f"expected tags: {', '.join(repr(r) for r in ROLES)}",
                    "messages",
                )
            content = message.get("content")
            if isinstance(content, list):
                content = " ".join(str(p.get("text", "")) for p in content if isinstance(p, dict))
            parts.append(f"<|{message['role']}|>{content or ''}")
        return "\n".join(parts) + "\n<|assistant|>"

    @staticmethod
    def completion_prompt(body: dict) -> str:
        prompt = body.get("prompt")
        if isinstance(prompt, list) and prompt and all(isinstance(p, str) for p in prompt):
            prompt = prompt[0]
        if not isinstance(prompt, str):
            raise RequestError(400, "BadRequestError", "prompt: Field required", "prompt")
        return prompt

    # -- HTTP ------------------------------------------------------------------------------
    async def handle(self, request: web.Request) -> web.StreamResponse:
        path, method = request.path.rstrip("/") or "/", request.method
        if path in ("/health", "/ping") and method == "GET":
            return web.Response(status=200)
        if path == "/version" and method == "GET":
            return web.json_response({"version": "0.10.1.1"})
        if path == "/metrics" and method == "GET":
            return web.Response(
                text=f'vllm:num_requests_running{{model_name="{self.name}"}} 0.0\n',
                content_type="text/plain",
            )
        if path == "/v1/models" and method == "GET":
            return web.json_response(self.card())
        if path in ("/v1/chat/completions", "/v1/completions") and method == "POST":
            try:
                return await self._generate(request, chat=path.endswith("chat/completions"))
            except RequestError as error:
                return web.json_response(error.body(), status=error.status)
        return web.json_response({"detail": "Not Found"}, status=404)

    async def _generate(self, request: web.Request, chat: bool) -> web.StreamResponse:
        try:
            body = json.loads(await request.read())
        except (ValueError, UnicodeDecodeError) as error:
            raise RequestError(400, "BadRequestError", f"Invalid JSON: {error}") from error
        if not isinstance(body, dict):
            raise RequestError(400, "BadRequestError", "Input should be a valid dictionary")
        self._check_model(body)
        prompt = self.chat_prompt(body) if chat else self.completion_prompt(body)
        prompt_tokens = count_tokens(prompt)
        max_tokens = self._max_tokens(body, prompt_tokens)
        words = self.words(prompt, max_tokens)
        finish = "length" if len(words) < NATURAL_LENGTH else "stop"
        ident = ("chatcmpl-" if chat else "cmpl-") + hashlib.sha256(
            f"{prompt}{time.monotonic_ns()}".encode()
        ).hexdigest()[:24]
        usage = {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": len(words),
            "total_tokens": prompt_tokens + len(words),
        }
        if body.get("stream"):
            options = body.get("stream_options") or {}
            include_usage = isinstance(options, dict) and bool(options.get("include_usage"))
            return await self._stream(request, chat, ident, words, finish, usage, include_usage)
        for _ in words:
            await asyncio.sleep(self.token_delay_s)
        text = _join(words)
        choice: dict[str, Any]
        if chat:
            choice = {
                "index": 0,
                "message": {"role": "assistant", "content": text, "tool_calls": []},
                "logprobs": None,
                "finish_reason": finish,
            }
        else:
            choice = {"index": 0, "text": text, "logprobs": None, "finish_reason": finish}
        return web.json_response(
            {
                "id": ident,
                "object": "chat.completion" if chat else "text_completion",
                "created": int(time.time()),
                "model": self.name,
                "choices": [choice],
                "usage": usage,
            }
        )

    async def _stream(
        self,
        request: web.Request,
        chat: bool,
        ident: str,
        words: list[str],
        finish: str,
        usage: dict,
        include_usage: bool,
    ) -> web.StreamResponse:
        response = web.StreamResponse(
            status=200, headers={"Content-Type": "text/event-stream; charset=utf-8"}
        )
        await response.prepare(request)
        created = int(time.time())
        kind = "chat.completion.chunk" if chat else "text_completion"

        async def chunk(choice: dict | None, extra: dict | None = None) -> None:
            data = {"id": ident, "object": kind, "created": created, "model": self.name}
            data["choices"] = [choice] if choice is not None else []
            data.update(extra or {})
            await response.write(f"data: {json.dumps(data)}\n\n".encode())

        if chat:
            await chunk({"index": 0, "delta": {"role": "assistant", "content": ""}})
        for i in range(len(words)):
            await asyncio.sleep(self.token_delay_s)
            piece = _join(words[: i + 1])[len(_join(words[:i])) :]
            last = i == len(words) - 1
            if chat:
                choice: dict = {"index": 0, "delta": {"content": piece}, "logprobs": None}
            else:
                choice = {"index": 0, "text": piece, "logprobs": None}
            choice["finish_reason"] = finish if last else None
            await chunk(choice)
        if include_usage:
            await chunk(None, {"usage": usage})
        await response.write(b"data: [DONE]\n\n")
        await response.write_eof()
        return response


def _join(words: list[str]) -> str:
    text = ""
    for word in words:
        text += (
            word if (not text or (TOKEN.fullmatch(word) and not word[0].isalnum())) else " " + word
        )
    return text
