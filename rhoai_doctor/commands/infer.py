"""`rhoai-doctor infer DEPLOYMENT`: build a correct v2 request from the model, check it, send it,
explain the answer, and compare with a local onnxruntime run."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from checks.errors import DoctorError, ErrorKind, ExitCode
from checks.text import visible
from rhoai_doctor import exit_codes
from rhoai_doctor.commands.infer_chat import add_chat_flags
from rhoai_doctor.flags import (
    add_connection_flags,
    add_login_token_flags,
    add_model_token_flags,
    open_session,
)

if TYPE_CHECKING:  # the request builders load when a request is built, not to parse the flags
    from checks.request.chat_request import ChatRequest
    from checks.request.model_request import ModelRequest

EXAMPLES = """examples:
  rhoai-doctor infer -n iris-project iris-model
  rhoai-doctor infer -n iris-project iris-model --data '[5.1, 3.5, 1.4, 0.2]' --compare-local
  rhoai-doctor infer -n iris-project iris-model --data '[[5.1,3.5,1.4,0.2],[6.2,3.4,5.4,2.3]]'
  rhoai-doctor infer -n iris-project iris-model --example > body.json
  rhoai-doctor infer -n iris-project iris-model --request body.json --curl
  rhoai-doctor infer -n iris-project iris-model --repeat 200 --concurrency 8
  rhoai-doctor infer -n llm-project granite --chat "Hello"
  rhoai-doctor infer -n llm-project granite --completion "Once upon a time" --no-stream
  rhoai-doctor infer -n llm-project granite --repeat 50 --concurrency 4
"""


def add_parser(sub: argparse._SubParsersAction) -> None:
    infer = sub.add_parser(
        "infer",
        help="send a test inference built from the model itself",
        epilog=f"{EXAMPLES}\n{exit_codes.SHORT}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    infer.add_argument("deployment", help="the InferenceService name")
    body = infer.add_mutually_exclusive_group()
    body.add_argument(
        "--data",
        metavar="JSON",
        help="values for a one-input model, e.g. '[3,4,3,2]'; nested rows set the batch: "
        "'[[3,4,3,2],[5,1,4,2]]' is a batch of 2",
    )
    body.add_argument("--request", metavar="FILE.json", help="send this v2 request")
    body.add_argument("--example", action="store_true", help="print the prefilled request")
    add_chat_flags(infer, body)
    add_model_token_flags(infer)
    add_login_token_flags(infer)
    infer.add_argument(
        "--compare-local",
        action="store_true",
        help="run the same input through onnxruntime and compare",
    )
    infer.add_argument("--curl", action="store_true", help="print the request as a curl command")
    infer.add_argument(
        "--show-token",
        action="store_true",
        help="with --curl: write the token itself instead of $TOKEN",
    )
    infer.add_argument("--force", action="store_true", help="send even if validation fails")
    infer.add_argument("--repeat", type=int, default=1, metavar="N", help="send N requests")
    infer.add_argument(
        "--concurrency",
        type=int,
        default=1,
        metavar="C",
        help="with --repeat: C requests at a time",
    )
    infer.add_argument("-o", "--output", choices=["table", "json"], default="table")
    add_connection_flags(infer, api_token_flag="--api-token")
    infer.set_defaults(run=run)


def _data(args: argparse.Namespace) -> list | None:
    if args.data is None:
        return None
    try:
        data = json.loads(args.data)
    except ValueError as error:
        raise DoctorError(ErrorKind.USAGE, f"--data is not JSON: {error}") from error
    if not isinstance(data, list):
        raise DoctorError(ErrorKind.USAGE, "--data must be a JSON list of values, e.g. '[3,4,3,2]'")
    return data


def _payload(args: argparse.Namespace, request: ModelRequest) -> tuple[str, dict | None, list[str]]:
    """The text to send, its parsed body and what does not match the model."""
    if args.request:
        try:
            text = Path(args.request).read_text()
        except OSError as error:
            raise DoctorError(
                ErrorKind.USAGE, f"cannot read {args.request}: {error.strerror}"
            ) from error
    elif request.body is not None:
        text = json.dumps(request.body)
    else:
        raise DoctorError(
            ErrorKind.NO_MODEL,
            f"cannot build a request: {request.unreadable}; pass --request FILE.json",
            finding=request.unreadable_finding,
        )
    body, problems = request.problems(text)
    return text, body, problems


def _say_withheld(args: argparse.Namespace, request: object, chat: bool) -> bool:
    """Say on stderr that no token goes with the request, where no note says it (infer's table
    prints its notes; --example and --curl say it their own way)."""
    source = getattr(request, "token_source", "")
    if getattr(request, "token", None) is not None or not source.startswith("no token sent"):
        return False
    return not (args.example or args.curl) and (chat or args.output == "json")


async def _run(args: argparse.Namespace) -> int:
    from rhoai_doctor.nested_data import flat
    from rhoai_doctor.redacted_output import redacted_output

    async with open_session(args) as session:
        data = _data(args)
        request = await session.request(
            session.namespace, args.deployment, data=flat(data) if data else data
        )
        # the model's token and yours never printed, in any form (--curl --show-token asks)
        shown = args.curl and args.show_token
        with redacted_output(None if shown else request.redact):
            return await _use(args, request, data)


async def _use(
    args: argparse.Namespace, request: ModelRequest | ChatRequest, data: list | None
) -> int:
    """Print, check, send: what infer does with the request once it is built."""
    from checks.request.chat_request import ChatRequest
    from rhoai_doctor.commands.infer_chat import run_chat
    from rhoai_doctor.nested_data import apply_nesting
    from rhoai_doctor.printing import print_burst, print_sent

    if _say_withheld(args, request, isinstance(request, ChatRequest)):
        print(visible(request.token_source), file=sys.stderr)
    if isinstance(request, ChatRequest):
        return await run_chat(args, request)
    if args.chat is not None or args.completion is not None:
        raise DoctorError(
            ErrorKind.USAGE,
            f"{args.deployment} is not a generative (vLLM) deployment: --chat and "
            "--completion need the OpenAI API; use --data or --request",
        )
    apply_nesting(request, data)
    if args.example:
        if request.body is None:
            raise DoctorError(
                ErrorKind.NO_MODEL,
                f"no example: {request.unreadable}",
                finding=request.unreadable_finding,
            )
        print(request.pretty())
        for note in request.notes:
            print(f"# {visible(note)}", file=sys.stderr)
        return ExitCode.OK
    text, body, problems = _payload(args, request)
    if args.curl:
        print(visible(request.as_curl(body or {}, show_token=args.show_token)))
        if request.token and not args.show_token:
            print(f"# $TOKEN: {request.token_hint}", file=sys.stderr)
        return ExitCode.OK
    if problems and not args.force:
        print(
            "the request was not sent: it does not match the model (--force sends it anyway):",
            file=sys.stderr,
        )
        for problem in problems:
            print(f"  - {visible(problem)}", file=sys.stderr)
        return ExitCode.FAILED
    if args.repeat > 1:
        result = await request.burst(text.encode(), args.repeat, args.concurrency)
        return print_burst(result, args.output)
    sent = await request.send(text.encode())
    comparison = None
    if args.compare_local and sent.status == 200 and body is not None:
        comparison = await request.compare_locally(
            body, sent.body if isinstance(sent.body, dict) else {}
        )
    return print_sent(request, sent, comparison, problems, args.output)


def run(args: argparse.Namespace) -> int:
    if args.repeat < 1 or args.concurrency < 1:
        raise DoctorError(ErrorKind.USAGE, "--repeat and --concurrency take a number >= 1")
    return asyncio.run(_run(args))
