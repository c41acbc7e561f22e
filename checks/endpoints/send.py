"""Send a v2 request: httpx with connection reuse, route addressing, token, and one retry when a
server drops a kept-alive connection (MLServer and KServe's server do after a 500)."""

from __future__ import annotations

import asyncio
import json
import shlex
import ssl
import statistics
import time
from dataclasses import dataclass, field

import httpx

from checks.endpoints.burst_pool import run_pool
from checks.endpoints.explain import explain
from checks.endpoints.probe import HttpAnswer, who_answered
from checks.errors import DoctorError
from checks.transport import capped
from checks.transport.addressing import Override, address
from checks.transport.no_answer import unreachable


@dataclass(frozen=True)
class Sent:
    status: int
    seconds: float
    answer: HttpAnswer
    explanation: str
    body: object = field(default=None)

    @property
    def ok(self) -> bool:
        """The model answered: a 2xx with a JSON object (not a login page, not a cut body)."""
        return 200 <= self.status < 300 and isinstance(self.body, dict)


def http_client(
    ca_file: str | None, verify: bool, timeout: float, connections: int = 64
) -> httpx.AsyncClient:
    context: ssl.SSLContext | bool
    if not verify:
        context = False
    else:
        context = (
            ssl.create_default_context(cafile=ca_file) if ca_file else ssl.create_default_context()
        )
    return httpx.AsyncClient(
        verify=context,
        timeout=timeout,
        limits=httpx.Limits(max_connections=connections, max_keepalive_connections=connections),
    )


async def send(
    http: httpx.AsyncClient,
    url: str,
    body: bytes,
    token: str | None,
    rules: list[Override],
    model: str = "",
    deadline: float | None = None,
) -> Sent:
    addressed = address(url, rules)
    headers = {**addressed.headers, "Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    started = time.perf_counter()
    first: BaseException | None = None
    for attempt in (1, 2):
        try:
            # The whole request, body included, within the deadline: a server that drips its
            # answer a byte at a time stops here.
            async with asyncio.timeout(deadline):
                response = await capped.request(
                    http,
                    "POST",
                    addressed.url,
                    capped.MODEL_ANSWER_LIMIT,
                    f"the model route ({url})",
                    content=body,
                    headers=headers,
                    extensions=addressed.extensions,
                )
            break
        except TimeoutError as error:
            raise unreachable(url, error, deadline) from error
        except (httpx.RemoteProtocolError, httpx.ReadError) as error:
            first = first or error  # the first break says more than the retry's
            if attempt == 2:
                raise unreachable(url, first, deadline) from error
        except httpx.HTTPError as error:
            raise unreachable(url, error, deadline) from error
    seconds = time.perf_counter() - started
    answer = who_answered(response)
    try:
        parsed: object = response.json()
    except (ValueError, RecursionError):  # `[[[[…` from a server
        parsed = response.text
    return Sent(response.status_code, seconds, answer, explain(answer, model), parsed)


@dataclass(frozen=True)
class Burst:
    count: int
    concurrency: int
    seconds: float
    latencies: tuple[float, ...]
    statuses: dict[int, int]
    errors: int
    first_error: str = ""
    stopped: str = ""  # why fewer requests than asked were sent
    reasons: dict[str, int] = field(default_factory=dict)  # each error's words, and how often

    @property
    def reasons_text(self) -> str:
        """'7x b.example did not answer …; 3x 503 …', most frequent first."""
        ordered = sorted(self.reasons.items(), key=lambda item: -item[1])
        return "; ".join(f"{count}x {reason}" for reason, count in ordered)

    @property
    def all_failed(self) -> bool:
        """No request got an HTTP answer at all: percentiles would be meaningless."""
        return not self.latencies

    @property
    def statuses_text(self) -> str:
        return ", ".join(f"{k}x{v}" for k, v in sorted(self.statuses.items()))

    def percentile(self, q: float) -> float:
        if not self.latencies:
            return 0.0
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies) if self.latencies else 0.0


async def burst(
    http: httpx.AsyncClient,
    url: str,
    body: bytes,
    token: str | None,
    rules: list[Override],
    count: int,
    concurrency: int,
    deadline: float | None = None,
) -> Burst:
    """N requests, C at a time, over one pool of kept-alive connections.

    C workers take the next request as they finish one, so memory does not grow with N; a route
    that gives no answer at all stops the burst early; ctrl+c ends it with the statistics so far.
    """
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    errors = 0
    first_error = ""
    reasons: dict[str, int] = {}

    async def attempt() -> None:
        nonlocal errors, first_error
        sent = await send(http, url, body, token, rules, deadline=deadline)
        latencies.append(sent.seconds)
        statuses[sent.status] = statuses.get(sent.status, 0) + 1
        if not sent.ok:
            errors += 1
            first_error = first_error or sent.explanation
            reason = f"{sent.status}: {sent.explanation}"
            reasons[reason] = reasons.get(reason, 0) + 1

    def no_answer(error: DoctorError) -> None:
        nonlocal errors, first_error
        errors += 1
        first_error = first_error or str(error)
        reasons[str(error)] = reasons.get(str(error), 0) + 1

    run = await run_pool(count, concurrency, attempt, no_answer, lambda: bool(latencies))
    return Burst(
        run.attempted,
        concurrency,
        run.elapsed,
        tuple(latencies),
        statuses,
        errors,
        first_error,
        run.stopped,
        reasons,
    )


def as_curl(
    url: str,
    body: dict,
    *,
    token: str | None,
    show_token: bool,
    ca_file: str | None,
    insecure: bool,
    rules: list[Override],
) -> str:
    """A curl command giving the same request; the token stays $TOKEN unless asked otherwise."""
    parts = ["curl", "-sS", "-X", "POST", shlex.quote(url)]
    if token:
        value = token if show_token else "$TOKEN"
        parts += [
            "-H",
            f'"Authorization: Bearer {value}"'
            if not show_token
            else shlex.quote(f"Authorization: Bearer {value}"),
        ]
    parts += ["-H", shlex.quote("Content-Type: application/json")]
    addressed = address(url, rules)
    if addressed.via:
        host = url.split("://", 1)[1].split("/", 1)[0]
        port = "443" if url.startswith("https") else "80"
        host_only = host.rsplit(":", 1)[0] if ":" in host else host
        port = host.rsplit(":", 1)[1] if ":" in host else port
        parts += ["--connect-to", shlex.quote(f"{host_only}:{port}:{addressed.via}")]
    if insecure:
        parts.append("-k")
    elif ca_file:
        parts += ["--cacert", shlex.quote(ca_file)]
    parts += ["--data", shlex.quote(json.dumps(body, separators=(",", ":")))]
    return " ".join(parts)
