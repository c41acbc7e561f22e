"""What every typed view shares: the raw dict type, labels and annotations, times and ages, the
mask every renderer shows for a secret value, and conditions."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

Raw = dict[str, Any]

DASHBOARD_LABEL = "opendatahub.io/dashboard"
MODELMESH, KSERVE = "modelmesh", "kserve"
AWS_KEYS = (
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_S3_ENDPOINT",
    "AWS_DEFAULT_REGION",
    "AWS_S3_BUCKET",
)


def masked(value: str | None) -> str:
    """What a secret looks like on screen: never its content, only whether it is there."""
    if not value:
        return "<empty>"
    return "•" * 8


def _meta(raw: Raw) -> Raw:
    return raw.get("metadata") or {}


def _labels(raw: Raw) -> dict[str, str]:
    return _meta(raw).get("labels") or {}


def _annotations(raw: Raw) -> dict[str, str]:
    return _meta(raw).get("annotations") or {}


def _in_dashboard(raw: Raw) -> bool:
    return _labels(raw).get(DASHBOARD_LABEL) == "true"


def parse_time(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None


def age(when: datetime | None, now: datetime | None = None) -> str:
    """kubectl-style age: 45s, 12m, 3h, 5d."""
    if when is None:
        return "<unknown>"
    seconds = int(((now or datetime.now(UTC)) - when).total_seconds())
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{seconds // size}{unit}"
    return f"{max(seconds, 0)}s"


def _decode(data: dict[str, str] | None) -> dict[str, str]:
    decoded = {}
    for key, value in (data or {}).items():
        try:
            decoded[key] = base64.b64decode(value or "").decode("utf-8", errors="replace")
        except (binascii.Error, ValueError):
            decoded[key] = ""
    return decoded


@dataclass(frozen=True)
class Condition:
    type: str
    status: str
    reason: str
    message: str


def _conditions(raw: Raw) -> tuple[Condition, ...]:
    return tuple(
        Condition(
            type=str(c.get("type", "")),
            status=str(c.get("status", "")),
            reason=str(c.get("reason", "")),
            message=str(c.get("message", "")),
        )
        for c in (raw.get("status") or {}).get("conditions") or []
    )


ELIDED_PREFIX = "<elided by the capture: "  # a secret value a capture kept only the length of


def elided_marker(length: int) -> str:
    """What a captured secret value reads as when the capture kept only its length (oc adm
    inspect writes "N bytes long"): never empty, so it is not taken for an empty field."""
    return f"{ELIDED_PREFIX}{length} bytes>"


def elided(value: str | None) -> bool:
    """True for a value the capture did not keep: a check that must read it says "not in the
    capture" instead of judging the marker."""
    return bool(value) and str(value).startswith(ELIDED_PREFIX)
