"""`rhoai-doctor infer` for a generative (vLLM) deployment: an OpenAI chat or completion request,
checked before sending, streamed to stdout as it arrives, ending with TTFT and tokens/s."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from checks.errors import DoctorError, ErrorKind, ExitCode
from checks.text import one_line, visible

if TYPE_CHECKING:  # `infer`'s flags are built on every start; the OpenAI client is not
    from checks.request.chat_request import ChatRequest, StreamBurst


def add_chat_flags(infer: argparse.ArgumentParser, body: argparse._MutuallyExclusiveGroup) -> None:
    body.add_argument("--chat", metavar="TEXT", help="LLM: send this chat message")
    body.add_argument(
        "--completion", metavar="TEXT", help="LLM: send this prompt to /v1/completions"
    )
    infer.add_argument("--no-stream", action="store_true", help="LLM: wait for the whole answer")
    infer.add_argument("--max-tokens", type=int, default=None, metavar="N", help="LLM: max_tokens")
    infer.add_argument("--model", default=None, help="LLM: the model field (default: served name)")


def _body(args: argparse.Namespace, request: ChatRequest) -> str:
    from checks.endpoints import openai_api
    from checks.request.chat_request import PREFILL_MESSAGE

    if args.request:
        try:
            return Path(args.request).read_text()
        except OSError as error:
            raise DoctorError(
                ErrorKind.USAGE, f"cannot read {args.request}: {error.strerror}"
            ) from error
    model = args.model or request.served_name
    max_tokens = args.max_tokens or openai_api.DEFAULT_MAX_TOKENS
    stream = not args.no_stream
    if args.completion is not None:
        body = openai_api.completion_body(model, args.completion, max_tokens, stream)
    else:
        body = openai_api.chat_body(model, args.chat or PREFILL_MESSAGE, max_tokens, stream)
    return json.dumps(body)


def print_stream_burst(result: StreamBurst, output: str) -> int:
    if output == "json":
        doc = {
            "count": result.count,
            "concurrency": result.concurrency,
            "seconds": round(result.seconds, 3),
            "ttft_ms": {
                f"p{q}": round(percentile * 1000, 1) for q, percentile in _ps(result.ttfts)
            },
            "tokens_per_second": {f"p{q}": round(v, 1) for q, v in _ps(result.rates)},
            "errors": result.errors,
            "errors_by_reason": result.reasons,
            "stopped": result.stopped,
        }
        print(json.dumps(doc, indent=2))
    else:
        if result.stopped:
            print(one_line(result.stopped))
        print(
            f"{result.count} requests, {result.concurrency} at a time, in {result.seconds:.2f} s; "
            f"{result.errors} error(s)"
        )
        if result.ttfts:
            print(result.line("TTFT", result.ttfts, 1000, "ms"))
        if result.rates:
            print(result.line("tokens/s", result.rates, 1, ""))
        if result.reasons:
            print(f"errors by reason: {one_line(result.reasons_text)}")
    return ExitCode.OK if result.errors == 0 else ExitCode.FAILED


def _ps(values: tuple[float, ...]) -> list[tuple[int, float]]:
    from checks.request.chat_request import percentile

    return [(q, percentile(list(values), q)) for q in (50, 90, 99)]


async def run_chat(args: argparse.Namespace, request: ChatRequest) -> int:
    text = _body(args, request)
    body, problems = request.problems(text)
    if args.example:
        print(request.pretty(body))
        for note in request.notes:
            print(f"# {visible(note)}", file=sys.stderr)
        return ExitCode.OK
    if args.curl:
        print(visible(request.as_curl(body or {}, show_token=args.show_token)))
        if request.token and not args.show_token:
            print(f"# $TOKEN: {request.token_hint}", file=sys.stderr)
        return ExitCode.OK
    if problems and not args.force:
        for problem in problems:
            print(f"the request was not sent: {one_line(problem)}", file=sys.stderr)
        return ExitCode.CANNOT_JUDGE
    if args.repeat > 1:
        bursted = await request.burst(text.encode(), args.repeat, args.concurrency)
        return print_stream_burst(bursted, args.output)
    streaming = isinstance(body, dict) and body.get("stream") is True
    table = args.output != "json"
    if table:
        print(f"POST {visible(request.url)}", file=sys.stderr)

    def show(piece: str) -> None:
        if table and streaming:
            sys.stdout.write(visible(piece))
            sys.stdout.flush()

    result = await request.generate(text.encode(), show)
    if args.output == "json":
        print(
            json.dumps(
                {
                    "url": request.url,
                    "status": result.status,
                    "seconds": round(result.seconds, 4),
                    "ttft_ms": None if result.ttft is None else round(result.ttft * 1000, 1),
                    "tokens": result.tokens,
                    "tokens_per_second": round(result.tokens_per_second, 1),
                    "text": result.text,
                    "finish_reason": result.finish_reason,
                    "explanation": result.explanation,
                },
                indent=2,
            )
        )
        return ExitCode.OK if result.ok else ExitCode.FAILED
    if not result.ok:
        print(one_line(result.explanation), file=sys.stderr)
        return ExitCode.FAILED
    if not streaming:
        sys.stdout.write(visible(result.text))
    print()
    finish = f" · finish {one_line(result.finish_reason)}" if result.finish_reason else ""
    print(result.summary() + finish)
    return ExitCode.OK
