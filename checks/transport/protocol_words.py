"""What broke mid-exchange, in our words: h11's own (quoted by httpx too) says "illegal status
line: bytearray(b'...')" or "Receive buffer too long", quotes raw bytes and names its internals;
and a header it refuses is quoted whole, token included."""

from __future__ import annotations

CLOSED = "the server closed the connection without answering"
HEAD_LIMIT_KIB = 100  # what httpcore allows a status line and headers


def in_our_words(error: BaseException) -> str:
    """One line of ours for an HTTP/1.1 protocol error (h11's or httpx's); other errors as
    they say it."""
    text = str(error)
    if "ProtocolError" not in type(error).__name__:
        return text or type(error).__name__
    lowered = text.lower()
    if text == CLOSED or "disconnected" in lowered:
        return CLOSED
    if "buffer too long" in lowered:
        return f"the answer's head is larger than {HEAD_LIMIT_KIB} KiB: not an HTTP server"
    if "without sending complete message body" in lowered:
        return (
            text  # plain words already, and what checks.cluster.kube and no_answer call truncated
        )
    return "the answer does not follow HTTP/1.1 (a malformed status line or header)"
