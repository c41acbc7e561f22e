"""Evidence bundles as unit-test fixtures: a check judged on the objects and recorded facts of a
bundle (the lab's, captured by tests.unit.fixtures.capture_bundles, or a user's), with no
cluster, through the same capture-backed session `--from` uses."""

from __future__ import annotations

import asyncio
import functools
import json
from pathlib import Path
from typing import Any

BUNDLES = Path(__file__).resolve().parents[1] / "unit" / "fixtures" / "bundles"


@functools.cache
def bundle(name: str):
    """The Capture of tests/unit/fixtures/bundles/<name>.tar.gz (read once per test run)."""
    from checks.capture.load import load_capture

    return load_capture(BUNDLES / (name if name.endswith(".tar.gz") else f"{name}.tar.gz"))


def session_on(name: str):
    from checks.capture.session import CaptureSession
    from checks.options import SessionOptions

    return CaptureSession(bundle(name), SessionOptions())


def only_deployment(name: str) -> tuple[str, str]:
    [where] = bundle(name).reports or {"?/?": None}
    namespace, _, deployment = where.partition("/")
    return namespace, deployment


def judge_bundle(check: Any, name: str, deployment: str | None = None, **facts: Any):
    """One check's outcome on a bundle's deployment; `facts` replace recorded ones by key
    (decoded values: a Listing, a StorageError, ...) to reach branches the capture did not."""
    from checks.engine.runner import run_one

    async def run():
        async with session_on(name) as session:
            namespace, only = only_deployment(name)
            ctx = await session.find(namespace, deployment or only)
            ctx.recorded.update(facts)
            return await run_one(check, ctx)

    return asyncio.run(run())


def replay(name: str) -> list[tuple[dict, dict]]:
    """(the diagnosis recorded at capture, the diagnosis replayed now) per deployment, as
    `check -o json` prints them, durations left out."""
    from checks.engine.report import RENDERERS

    async def run():
        pairs = []
        async with session_on(name) as session:
            for where, recorded in sorted(bundle(name).reports.items()):
                namespace, _, deployment = where.partition("/")
                report = await session.diagnose(namespace, deployment)
                pairs.append(
                    (_timeless(recorded), _timeless(json.loads(RENDERERS["json"](report))))
                )
        return pairs

    return asyncio.run(run())


def _timeless(doc: dict) -> dict:
    return {
        **doc,
        "checks": [{k: v for k, v in c.items() if k != "duration_ms"} for c in doc["checks"]],
    }
