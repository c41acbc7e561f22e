"""Pod logs as the kubelet keeps them: every line with the time it was written, so that the log
endpoint can answer `timestamps=true` (each line led by its time in Go's RFC3339Nano, as the
kubelet writes it), `sinceTime` and `sinceSeconds`, and a follow sees lines written later
(`append`: the lab's vLLM logs each request it serves, as uvicorn does)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from lab.kube.errors import ApiError
from lab.kube.store import Store

LogKey = tuple[str, str, str, bool]  # namespace, pod, container, previous


def rfc3339nano(when: datetime) -> str:
    """Go's time.RFC3339Nano: the fraction's trailing zeros dropped (`...05.12Z`, `...05Z`)."""
    fraction = f"{when.microsecond:06d}000".rstrip("0")
    return when.strftime("%Y-%m-%dT%H:%M:%S") + (f".{fraction}" if fraction else "") + "Z"


def parse_time(text: str) -> datetime:
    """An RFC3339 time as the API server takes `sinceTime` (a fraction allowed)."""
    value = text.strip().replace("Z", "+00:00")
    if "." in value:  # Python reads at most microseconds
        head, rest = value.split(".", 1)
        digits = "".join(c for c in rest if c.isdigit())
        value = f"{head}.{digits[:6].ljust(6, '0')}{rest[len(digits) :]}"
    try:
        return datetime.fromisoformat(value).astimezone(UTC)
    except ValueError as error:
        raise ApiError(400, "BadRequest", f'invalid sinceTime "{text}": {error}') from error


def stamps(store: Store, key: LogKey) -> list[datetime]:
    """The time of every line; lines the seeding wrote were written as the lab started, a
    millisecond apart."""
    lines = store.logs.get(key, [])
    have = store.log_stamps.setdefault(key, [])
    del have[len(lines) :]  # the seeding replaced the log with a shorter one
    while len(have) < len(lines):
        have.append(store.started + timedelta(milliseconds=len(have)))
    return have


def append(store: Store, key: LogKey, line: str) -> None:
    """The container writes a line now."""
    stamps(store, key)
    store.logs.setdefault(key, []).append(line)
    store.log_stamps[key].append(datetime.now(UTC))


def since(query: dict[str, str]) -> datetime | None:
    """`sinceTime` or `sinceSeconds` (not both, as the API server says)."""
    time_text, seconds = query.get("sinceTime"), query.get("sinceSeconds")
    if time_text and seconds:
        raise ApiError(
            422, "Invalid", "at most one of `sinceTime` or `sinceSeconds` may be specified"
        )
    if time_text:
        return parse_time(time_text)
    if seconds:
        if not seconds.isdigit() or int(seconds) < 1:
            raise ApiError(422, "Invalid", "sinceSeconds: must be greater than 0")
        return datetime.now(UTC) - timedelta(seconds=int(seconds))
    return None


def render(
    store: Store, key: LogKey, start: int, first: datetime | None, timestamps: bool
) -> tuple[str, int]:
    """Lines from index `start` on, those before `first` left out; the text and the next index."""
    lines = store.logs.get(key, [])
    times = stamps(store, key)
    out = []
    for line, when in zip(lines[start:], times[start:], strict=True):
        if first is not None and when < first:
            continue
        out.append(f"{rfc3339nano(when)} {line}\n" if timestamps else f"{line}\n")
    return "".join(out), len(lines)
