"""A 3xx is not an answer: where it points, said safely. The Location a server sends may carry a
signed URL's query, credentials in its authority, or control characters; what we print keeps
the scheme, host and path, on one line."""

from __future__ import annotations

from urllib.parse import urlsplit

from checks.text import one_line

LIMIT = 200


def is_redirect(status: int) -> bool:
    return 300 <= status < 400


def redirect_target(headers: dict[str, str]) -> str:
    """The Location header without credentials, query or fragment ("no Location" if none)."""
    location = next((v for k, v in headers.items() if k.lower() == "location"), "").strip()
    if not location:
        return "nowhere (no Location header)"
    try:
        parts = urlsplit(location)
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return "an address that does not parse"
    where = f"{parts.scheme}://{host}{port}" if parts.scheme and host else ""
    hidden = "?…" if parts.query else ""
    shown = one_line(f"{where}{parts.path or ('/' if where else '')}{hidden}")
    return shown if len(shown) <= LIMIT else shown[: LIMIT - 1] + "…"
