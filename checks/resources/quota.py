"""The quota admission refusal in a FailedCreate event, read into numbers.

The API server words it "exceeded quota: <name>, requested: <r>=<q>[,...], used: ..., limited: ..."
and lists only the resources that went over; we keep each one's requested / used / limited."""

from __future__ import annotations

import re
from dataclasses import dataclass

_REFUSAL = re.compile(
    r"exceeded quota: (?P<quota>[^,\s]+), requested: (?P<requested>\S+?), "
    r"used: (?P<used>\S+?), limited: (?P<limited>[^\s]+)"
)
_POD = re.compile(r'pods "(?P<pod>[^"]*)" is forbidden')


@dataclass(frozen=True)
class QuotaItem:
    resource: str
    requested: str
    used: str
    limited: str

    @property
    def text(self) -> str:
        return (
            f"{self.resource}: requested {self.requested}, used {self.used}, limited {self.limited}"
        )


@dataclass(frozen=True)
class QuotaRefusal:
    quota: str
    pod: str
    items: tuple[QuotaItem, ...]

    @property
    def text(self) -> str:
        return "; ".join(i.text for i in self.items)


def _pairs(text: str) -> dict[str, str]:
    found = {}
    for part in text.strip().rstrip(".").split(","):
        key, _, value = part.partition("=")
        if key and value:
            found[key.strip()] = value.strip()
    return found


def parse_quota_refusal(message: str) -> QuotaRefusal | None:
    """None when the message is not a quota refusal (any other FailedCreate)."""
    match = _REFUSAL.search(message or "")
    if match is None:
        return None
    requested, used, limited = (_pairs(match.group(g)) for g in ("requested", "used", "limited"))
    items = tuple(
        QuotaItem(resource, value, used.get(resource, "?"), limited.get(resource, "?"))
        for resource, value in requested.items()
    )
    pod = _POD.search(message)
    return QuotaRefusal(match.group("quota"), pod.group("pod") if pod else "", items)
