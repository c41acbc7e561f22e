"""Reach a route step by step — DNS, TCP, TLS, HTTP — and say which step failed and who answered."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import socket
import ssl
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import httpx

from checks.errors import DoctorError
from checks.knowledge import auth_proxy
from checks.transport import capped
from checks.transport.addressing import Override, address
from checks.transport.no_answer import unreachable
from checks.transport.redirects import is_redirect, redirect_target


@dataclass(frozen=True)
class HttpAnswer:
    status: int
    who: str  # "OpenShift router", "oauth-proxy", "kube-rbac-proxy", "Authorino", "model server", ...
    detail: str
    headers: dict[str, str] = field(default_factory=dict)
    body: str = ""
    document: Any = None  # the JSON object a 200 answered (a model's metadata), else None


@dataclass(frozen=True)
class Reach:
    """How far DNS, TCP and TLS got to a host: the steps in words, and the one that failed."""

    steps: tuple[str, ...]
    failed_step: str | None = None  # dns, tcp, tls
    message: str = ""
    error: DoctorError | None = None


@dataclass(frozen=True)
class ProbeResult:
    url: str
    failed_step: str | None  # dns, tcp, tls, http (None: answered)
    message: str
    steps: tuple[str, ...]
    answer: HttpAnswer | None = None
    error: DoctorError | None = None  # why no answer came, when it did not


def who_answered(response: httpx.Response) -> HttpAnswer:
    """Recognise the component from what it sent back (docs/domain.md §4.2-4.4)."""
    text = response.text[:4000]
    headers = {k.lower(): v for k, v in response.headers.items()}
    status = response.status_code
    content_type = headers.get("content-type", "")
    login = auth_proxy.oauth_login(status, headers)
    if login is not None:  # 2.x oauth-proxy (KServe Raw): a refusal is a redirect to the login
        return HttpAnswer(
            status,
            auth_proxy.OAUTH_PROXY,
            f"a redirect to the OpenShift login ({login}): the token is missing, invalid, or "
            "not allowed",
            headers,
            text,
        )
    if is_redirect(status):  # whatever its body says, it is not the model's answer
        return HttpAnswer(
            status, "a redirect", f"a redirect to {redirect_target(headers)}", headers, text
        )
    if "Application is not available" in text:
        return HttpAnswer(
            status,
            "OpenShift router",
            "'Application is not available' page: the "
            "route has no ready endpoints or the path is outside the route",
            headers,
            text,
        )
    if status in (401, 403) and "x-ext-auth-reason" in headers:
        return HttpAnswer(
            status, "Authorino", f"x-ext-auth-reason: {headers['x-ext-auth-reason']}", headers, text
        )
    if status == 403 and "<title>Log In</title>" in text:
        return HttpAnswer(
            status,
            auth_proxy.OAUTH_PROXY,
            "its 'Log In' page: the token is missing, invalid, or not allowed",
            headers,
            text,
        )
    refusal = auth_proxy.parse(status, content_type, text)
    if refusal is not None:
        return HttpAnswer(status, auth_proxy.WHO, refusal.line, headers, text)
    if "json" in content_type:
        try:
            body = response.json()
        except (ValueError, RecursionError):
            return HttpAnswer(
                status, "unknown", "a body labelled JSON that does not parse", headers, text
            )
        if isinstance(body, dict) and "code" in body and "message" in body:
            return HttpAnswer(status, "ModelMesh REST proxy", str(body["message"]), headers, text)
        if isinstance(body, dict) and "error" in body:
            return HttpAnswer(status, "model server", str(body["error"]), headers, text)
        return HttpAnswer(status, "model server", "JSON answer", headers, text)
    if "html" in content_type:
        return HttpAnswer(status, "a web page", "an HTML page", headers, text)
    return HttpAnswer(
        status,
        "unknown",
        text.strip().splitlines()[0][:120] if text.strip() else "empty body",
        headers,
        text,
    )


def _json_object(response: httpx.Response) -> dict | None:
    """The answer as a JSON object, as RouteAccess.get_json reads one; None when it is not."""
    try:
        body = response.json()
    except (ValueError, RecursionError):
        return None
    return body if isinstance(body, dict) else None


@functools.lru_cache(maxsize=8)
def _verify_context(ca_file: str | None, verify: bool) -> ssl.SSLContext:
    """One context per (CA, verify) for the process: loading a CA bundle costs milliseconds of
    CPU, paid once, not per probe of a fleet sweep."""
    context = (
        ssl.create_default_context(cafile=ca_file) if ca_file else ssl.create_default_context()
    )
    if not verify:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


def _describe_cert(cert: dict) -> str:
    subject = dict(x[0] for x in cert.get("subject", ()))
    issuer = dict(x[0] for x in cert.get("issuer", ()))
    expires = cert.get("notAfter", "")
    return (
        f"certificate for {subject.get('commonName', '?')} issued by "
        f"{issuer.get('organizationName') or issuer.get('commonName', '?')}, expires {expires}"
    )


async def reach(url: str, *, rules: list[Override], timeout: float = 8.0) -> Reach:
    """DNS and TCP to the URL's host, each step said in words; the first that fails. TLS is
    the HTTP request's own handshake (probe): one connection and one handshake per host, not
    a second one made only to look at the certificate."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    addressed = address(url, rules)
    dial = urlsplit(addressed.url)
    dial_host, dial_port = dial.hostname or host, dial.port or port
    steps: list[str] = []
    if addressed.via:
        steps.append(f"{host}:{port} is reached at {addressed.via} (--resolve/--connect-to)")
    loop = asyncio.get_running_loop()
    try:
        infos = await asyncio.wait_for(
            loop.getaddrinfo(dial_host, dial_port, type=socket.SOCK_STREAM), timeout
        )
    except (OSError, TimeoutError) as error:
        return Reach(tuple(steps), "dns", f"cannot resolve {dial_host}: {error}")
    address_text = str(infos[0][4][0])
    steps.append(f"DNS: {dial_host} -> {address_text}")
    try:
        _, writer = await asyncio.wait_for(
            asyncio.open_connection(address_text, dial_port), timeout
        )
        writer.close()
    except (OSError, TimeoutError) as error:
        refused = isinstance(error, ConnectionRefusedError)
        reason = "connection refused" if refused else "timed out"
        if isinstance(error, OSError) and error.strerror and not refused:
            reason = error.strerror
        message = f"cannot connect to {address_text}:{dial_port}: {reason}"
        kind = "refused" if refused else "timeout"
        return Reach(tuple(steps), "tcp", message, DoctorError(kind, message))
    steps.append(f"TCP: connected to {address_text}:{dial_port}")
    return Reach(tuple(steps))


WAITING = (ssl.SSLWantReadError, ssl.SSLWantWriteError)  # a handshake cut by its timeout


def _tls_told(host: str, cert: dict) -> tuple[str, str]:
    """(the TLS step's line, why it fails or ""), from the certificate the server showed."""
    if not cert:
        return "TLS: handshake done (certificate not verified)", ""
    expires = cert.get("notAfter")
    when = datetime.fromtimestamp(ssl.cert_time_to_seconds(expires), UTC) if expires else None
    if when is not None and when < datetime.now(UTC):
        return "", f"the certificate of {host} expired on {expires}"
    return "TLS: " + _describe_cert(cert), ""


def _handshake_failed(host: str, error: BaseException) -> str | None:
    """The TLS step's words (a check puts "TLS: " before them) when the request never got past
    the handshake (TCP connected a moment before); None when it failed otherwise (an HTTP
    failure, said as one)."""
    if not isinstance(error, (httpx.ConnectError, httpx.ConnectTimeout)):
        return None  # connected: the handshake was done, what failed came after it
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, ssl.SSLCertVerificationError):
            return f"the certificate of {host} is not trusted ({seen.verify_message})"
        if isinstance(seen, ssl.SSLError) and not isinstance(seen, WAITING):
            return f"handshake with {host} failed: {seen}"
        seen = seen.__cause__ or seen.__context__
    if isinstance(error, httpx.ConnectTimeout):
        return f"handshake with {host} failed: no answer within the timeout"
    return None


async def probe(
    url: str,
    *,
    rules: list[Override],
    ca_file: str | None,
    verify: bool,
    token: str | None,
    timeout: float = 8.0,
    method: str = "GET",
    http: httpx.AsyncClient | None = None,
    reached: Reach | None = None,
) -> ProbeResult:
    """DNS and TCP (`reached`: already done for this host, e.g. by another probe of it), then
    the HTTP request, whose own handshake is the TLS step (the certificate it showed, or why it
    failed): through `http` (a session's pooled client) when given, else a client of its own."""
    if reached is None:
        reached = await reach(url, rules=rules, timeout=timeout)
    if reached.failed_step is not None:
        return ProbeResult(
            url, reached.failed_step, reached.message, reached.steps, error=reached.error
        )
    parts = urlsplit(url)
    host, https = parts.hostname or "", parts.scheme == "https"
    addressed = address(url, rules)
    steps = list(reached.steps)
    headers = dict(addressed.headers)
    if token:
        headers["Authorization"] = f"Bearer {token}"
    try:
        async with contextlib.AsyncExitStack() as stack:
            if http is None:
                http = await stack.enter_async_context(
                    httpx.AsyncClient(verify=_verify_context(ca_file, verify), timeout=timeout)
                )
            await stack.enter_async_context(asyncio.timeout(timeout))  # a drip ends here too
            response = await capped.request(
                http,
                method,
                addressed.url,
                capped.MODEL_ANSWER_LIMIT,
                f"the model route ({url})",
                headers=headers,
                extensions=addressed.extensions,
                peer=https,
            )
    except (httpx.HTTPError, TimeoutError) as error:
        told = _handshake_failed(host, error) if https else None
        if told is not None:
            return ProbeResult(url, "tls", told, tuple(steps))
        if https and not isinstance(error, (httpx.ConnectError, httpx.ConnectTimeout)):
            steps.append("TLS: handshake done")
        failure = unreachable(url, error, timeout)
        return ProbeResult(url, "http", failure.message, tuple(steps), error=failure)
    except capped.TooLarge as error:
        return ProbeResult(url, "http", str(error), tuple(steps))
    if https:
        line, failed = _tls_told(host, response.extensions.get("peercert") or {})
        if failed:
            return ProbeResult(url, "tls", failed, tuple(steps))
        steps.append(line)
    answer = who_answered(response)
    if response.status_code == 200:
        answer = replace(answer, document=_json_object(response))
    steps.append(f"HTTP {method} {parts.path or '/'}: {answer.status} from {answer.who}")
    return ProbeResult(
        url, None, f"{answer.status} from {answer.who}: {answer.detail}", tuple(steps), answer
    )
