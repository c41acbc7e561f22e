"""Why a request to a route got no usable HTTP answer, in one line with the way out: shared by
the probe, a send and a burst, so the three say the same words for the same fault."""

from __future__ import annotations

import httpx

from checks.errors import DoctorError
from checks.transport.protocol_words import in_our_words


def host_of(url: str) -> str:
    return url.split("://", 1)[-1].split("/", 1)[0]


def unreachable(url: str, error: BaseException, deadline: float | None = None) -> DoctorError:
    host = host_of(url)
    text = str(error) or type(error).__name__
    lowered = text.lower()
    if isinstance(error, httpx.TimeoutException | TimeoutError):
        within = f" within {deadline:g} s (--request-timeout)" if deadline else " in time"
        return DoctorError("timeout", f"{host} did not answer{within}")
    if "name or service not known" in lowered or "name resolution" in lowered:
        return DoctorError(
            "dns",
            f"cannot resolve {host} from here: pass --resolve "
            f"{host.split(':')[0]}:443:ROUTER_IP or --connect-to, or fix DNS",
        )
    if "certificate" in lowered or "ssl" in lowered:
        return DoctorError(
            "tls",
            f"TLS with {host} failed ({text}): pass "
            "--certificate-authority FILE, or --insecure-skip-tls-verify to test",
        )
    if "refused" in lowered or "all connection attempts failed" in lowered:
        return DoctorError("refused", f"{host} refused the connection")
    if "without sending complete message body" in lowered or "incomplete" in lowered:
        return DoctorError(
            "truncated",
            f"{host} cut its answer short ({text.split('(', 1)[-1].rstrip(')')}): a proxy or the "
            "server closed the connection mid-answer",
        )
    if isinstance(error, httpx.LocalProtocolError):  # h11 quotes the header: a token, maybe
        return DoctorError(
            "http",
            f"the request to {host} was not sent: a header holds a newline, space or control "
            "character that no HTTP header may carry",
        )
    if isinstance(error, httpx.RemoteProtocolError):
        return DoctorError("truncated", f"{host}: {in_our_words(error)}")
    if isinstance(error, httpx.ReadError):
        return DoctorError(
            "truncated", f"the connection to {host} broke before the answer was complete ({text})"
        )
    return DoctorError("http", f"the request to {host} failed: {text}")
