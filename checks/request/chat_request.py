"""The request to a generative (vLLM) deployment, built and used like `ModelRequest` by `infer`
and the composer: OpenAI-compatible URL from the route, token from the token secret, model =
the served model name, a short chat message; validated before sending, streamed, bursted, or
printed as curl."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field

from checks import resources
from checks.endpoints import openai_api
from checks.endpoints.burst_pool import run_pool
from checks.endpoints.openai_api import CHAT, COMPLETION, Streamed
from checks.engine import facts
from checks.engine.context import CheckContext
from checks.engine.login_token import LoginTokenOffer
from checks.engine.redaction import Redactor
from checks.errors import DoctorError, ErrorKind
from checks.knowledge import generative
from checks.request.token_use import TokenUse, token_note

PREFILL_MESSAGE = "Hello! In one sentence, what are you?"
STREAM_DEADLINE_FACTOR = 6  # a generation may take several read timeouts in all


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


@dataclass(frozen=True)
class StreamBurst:
    """N generations, C at a time: TTFT and tokens/s percentiles, errors by reason."""

    count: int
    concurrency: int
    seconds: float
    ttfts: tuple[float, ...]
    rates: tuple[float, ...]
    errors: int
    reasons: dict[str, int] = field(default_factory=dict)
    stopped: str = ""  # why fewer requests than asked were sent

    def line(self, name: str, values: tuple[float, ...], scale: float, unit: str) -> str:
        ps = [percentile(list(values), q) * scale for q in (50, 90, 99)]
        unit = f" {unit}" if unit else ""
        return f"{name} p50 {ps[0]:.0f}{unit} · p90 {ps[1]:.0f}{unit} · p99 {ps[2]:.0f}{unit}"

    @property
    def reasons_text(self) -> str:
        ordered = sorted(self.reasons.items(), key=lambda item: -item[1])
        return "; ".join(f"{count}x {reason}" for reason, count in ordered)

    @property
    def all_failed(self) -> bool:
        return self.count > 0 and self.errors >= self.count

    @property
    def first_error(self) -> str:
        """The reasons keep the order they were first seen in."""
        return next(iter(self.reasons), "")


@dataclass
class ChatRequest(TokenUse):
    """The prefilled OpenAI request to one vLLM deployment (`body`, sent to `base + path`)."""

    ctx: CheckContext
    base: str  # https://<route host>
    token: str | None = field(repr=False)
    token_source: str
    served_name: str
    max_model_len: int | None
    body: dict
    path: str = CHAT
    notes: tuple[str, ...] = ()
    unreadable: str = ""
    signature: None = None  # no tensor signature: the v2 composer paths stay off
    login_offer: LoginTokenOffer | None = None  # the composer may ask to send your login's token
    _redactor: tuple[str | None, Redactor] | None = field(default=None, init=False, repr=False)

    @property
    def deployment(self) -> resources.Deployment:
        return self.ctx.isvc

    @property
    def url(self) -> str:
        return self.base + self.path

    def problems(self, text: str) -> tuple[dict | None, list[str]]:
        try:
            body = json.loads(text)
        except ValueError as error:
            return None, [f"the body is not JSON: {error}"]
        path = COMPLETION if isinstance(body, dict) and "prompt" in body else CHAT
        self.path = path
        found = openai_api.problems(body, path, self.served_name, self.max_model_len)
        return (body if isinstance(body, dict) else None), found

    def _deadline(self) -> float:
        return self.ctx.routes.timeout * STREAM_DEADLINE_FACTOR

    async def generate(
        self, payload: bytes, on_piece: Callable[[str], object] | None = None
    ) -> Streamed:
        routes = self.ctx.routes
        return await openai_api.generate(
            routes.client(), self.url, payload, self.token, routes.rules, self._deadline(), on_piece
        )

    async def burst(self, payload: bytes, count: int, concurrency: int) -> StreamBurst:
        ttfts: list[float] = []
        rates: list[float] = []
        reasons: dict[str, int] = {}

        async def attempt() -> None:
            result = await self.generate(payload)
            if not result.ok:
                reason = result.explanation or f"{result.status}"
                reasons[reason] = reasons.get(reason, 0) + 1
                return
            if result.ttft is not None:
                ttfts.append(result.ttft)
            rates.append(result.tokens_per_second)

        def no_answer(error: DoctorError) -> None:
            reasons[str(error)] = reasons.get(str(error), 0) + 1

        run = await run_pool(count, concurrency, attempt, no_answer, lambda: bool(rates))
        return StreamBurst(
            run.attempted,
            concurrency,
            run.elapsed,
            tuple(ttfts),
            tuple(rates),
            sum(reasons.values()),
            reasons,
            run.stopped,
        )

    def as_curl(self, body: dict, show_token: bool = False) -> str:
        command = self.ctx.routes.as_curl(self.url, body, self.token, show_token)
        return openai_api.curl_stream_flag(command, body)

    def pretty(self, body: dict | None = None) -> str:
        return json.dumps(self.body if body is None else body, indent=2)


async def prepare_chat(ctx: CheckContext) -> ChatRequest:
    """Served model name from the args (or the name), max_model_len from /v1/models or args."""
    dep, server = ctx.isvc, ctx.server
    url, why = facts.expected_url(ctx)
    if url is None:
        raise DoctorError(
            ErrorKind.NO_ROUTE,
            f"{dep.name} has no external URL ({why}): label the InferenceService "
            "networking.kserve.io/visibility=exposed, or call it from inside the cluster at "
            f"{dep.internal_url or 'its internal address'}",
        )
    base = url.removesuffix("/v1/models")
    notes = [f"URL from {why}; OpenAI-compatible API (vLLM)"]
    token, source, offer = await facts.request_token(ctx, base)
    notes.append(token_note(token, source))
    served = generative.served_model_name(dep, server)
    notes.append(f'model "{served}": the served model name (--served-model-name, else the name)')
    max_len = None
    card = await ctx.routes.get_json(f"{base}/v1/models", token)
    data = card.get("data") if isinstance(card, dict) else None
    entry = next(
        (m for m in data or [] if isinstance(m, dict) and m.get("id") == served),
        None,
    )
    if entry is not None and isinstance(entry.get("max_model_len"), int):
        max_len = entry["max_model_len"]
        notes.append(f"max_model_len {max_len} from /v1/models")
    elif (from_args := generative.max_model_len_arg(dep, server)) is not None:
        max_len = from_args
        notes.append(f"max_model_len {max_len} from --max-model-len")
    if isinstance(data, list) and data and entry is None:
        names = ", ".join(str(m.get("id")) for m in data if isinstance(m, dict))
        notes.append(f"/v1/models lists {names}, not {served}")
        served = str(data[0].get("id", served)) if isinstance(data[0], dict) else served
    body = openai_api.chat_body(served, PREFILL_MESSAGE, openai_api.DEFAULT_MAX_TOKENS, True)
    return ChatRequest(
        ctx=ctx,
        base=base,
        token=token,
        token_source=source,
        served_name=served,
        max_model_len=max_len,
        body=body,
        notes=tuple(notes),
        login_offer=offer,
    )
