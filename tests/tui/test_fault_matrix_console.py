"""The console's column of the fault matrix: started as a user starts it (the real parser, the
same flags as the CLI cells), against the API server, S3 or a model route replaced by a fault.
It must stay up, say what happened in words that name the fault, and do so within the deadline
plus a margin; S3 and route faults are met where a user meets them, in the diagnosis (`1`, `d`)."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest
from textual.widgets import Static

from tests.helpers import console, finished, main_screen, until
from tests.helpers.faults import FAULTS, FaultServer
from tests.helpers.matrix import (
    DEADLINE,
    MARGIN,
    NAMES,
    PROJECT,
    TARGETS,
    Cell,
    flags_for,
    route_tls,
)


def shown(app) -> str:
    """What the screen says, as words: every text widget, and a diagnosis' non-passing rows."""
    screen = app.screen
    parts = [str(widget.render()) for widget in screen.query(Static)]
    report = getattr(screen, "report", None)
    if report is not None:
        parts += [r.summary for r in report.results if r.status != "pass"]
    return " | ".join(parts)


@pytest.fixture(scope="module")
def tls(tmp_path_factory, lab):
    return route_tls(tmp_path_factory.mktemp("fault-tls"), lab)


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("fault", FAULTS)
def test_the_console_meets_the_fault_in_words_and_in_time(
    lab: dict, tmp_path: Path, tls, target: str, fault: str
) -> None:
    cell = Cell(target, fault, "console")
    with FaultServer(fault, tls if target == "route" else None) as server:
        app = console(*flags_for(cell, server, lab, tmp_path, tls))
        seen: dict[str, object] = {}

        async def scenario(pilot) -> None:
            start = time.monotonic()
            if target == "api":
                await until(
                    pilot,
                    lambda: any(w in shown(pilot.app).lower() for w in NAMES[fault]),
                    DEADLINE + MARGIN + 5,
                )
            else:
                await main_screen(pilot, PROJECT)
                start = time.monotonic()  # the fault is met from here: the diagnosis
                await pilot.press("1", "d")
                await finished(pilot)
            seen["seconds"] = time.monotonic() - start
            seen["said"] = shown(pilot.app)

        async def run() -> None:
            async with app.run_test(size=(120, 36)) as pilot:
                await scenario(pilot)
            seen["exit"] = app.return_code

        asyncio.run(run())
    said = str(seen["said"])
    assert any(word in said.lower() for word in NAMES[fault]), said[:600]
    assert "Traceback" not in said and "internal error" not in said
    assert float(seen["seconds"]) <= DEADLINE + MARGIN, (seen["seconds"], said[:300])
