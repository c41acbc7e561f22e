"""Recorded lab objects for the unit tests, and one check judged on them offline."""

from __future__ import annotations

import asyncio
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[1] / "unit" / "fixtures"


def recorded_raw(project: str) -> dict:
    """What the lab's API returned for one scenario project (secret values replaced by fakes)."""
    import json

    return json.loads((FIXTURES / f"{project}.json").read_text())


def recorded_snapshot(project: str, raw: dict | None = None):
    from checks.capture.offline import snapshot_of

    return snapshot_of(project, raw if raw is not None else recorded_raw(project))


def judge(
    check,
    project: str,
    name: str,
    facts: dict | None = None,
    raw: dict | None = None,
    forbidden: tuple[str, ...] = (),
    **options,
):
    """One check's outcome on a recorded project, with recorded facts in place of I/O;
    `forbidden` kinds are missing from the recording, as a view-only user's LIST would be."""
    from checks.capture.offline import offline_context
    from checks.engine.runner import run_one
    from checks.errors import KubeError
    from checks.options import SessionOptions

    raw = raw if raw is not None else recorded_raw(project)
    raw = {kind: items for kind, items in raw.items() if kind not in forbidden}
    snapshot = recorded_snapshot(project, raw)
    for kind in forbidden:
        snapshot.errors[kind] = KubeError("forbidden", f"{kind} is forbidden")
    ctx = offline_context(snapshot, name, facts, SessionOptions(**options))
    return asyncio.run(run_one(check, ctx))


def listing(*keys_and_sizes: tuple[str, int], prefix: str = ""):
    from checks.storage.s3 import Listing, ObjectInfo

    return Listing(
        prefix=prefix,
        objects=tuple(ObjectInfo(key, size) for key, size in keys_and_sizes),
        prefixes=(),
        truncated=False,
    )


def first(raw: dict, kind: str) -> dict:
    """The first object of a kind in a recorded project, to edit in a test (a deep copy)."""
    return raw[kind][0]
