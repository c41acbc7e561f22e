"""Logs follow the container as it writes (issue 25 items 2 and 5): `f` is one long GET
(`follow=true`) whose new lines land without a key press, not a re-read every 2 s; `t` leads
each line with the time the kubelet recorded (`timestamps=true`, RFC3339Nano). At 80x24
through the real entry point, on the lab's vLLM deployment, which writes an access line for
each request it serves (as uvicorn does)."""

from __future__ import annotations

import asyncio
import os
import re
import ssl

import httpx
from textual.widgets import Log
from textual.worker import WorkerState

from lab.control import env_vars
from tests.helpers import drive, main_screen, make_app, text_of, until
from tests.helpers.doctor_cli import ROOT, run_doctor

SMALL = (80, 24)
ACCESS = '"POST /v1/chat/completions HTTP/1.1" 200 OK'
STAMPED = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z ")


def _log_reads(lab: dict, pod) -> dict[str, int]:
    """The GETs of this container's log the lab's API server answered, once or followed (a
    bundle of the whole lab made by another test worker may read it once too: rarely)."""
    trust = ssl.create_default_context(cafile=lab["ca_file"])
    answer = httpx.get(f"{lab['api']}/_lab/requests", verify=trust, timeout=30)
    where = f"{pod.namespace}/{pod.name}/kserve-container"
    reads = answer.json()["logReads"]
    return {how: reads.get(f"{how} {where}", 0) for how in ("once", "follow")}


async def _open_logs(pilot) -> Log:
    await main_screen(pilot, "llm-project")
    await pilot.press("6", "l")
    await until(pilot, lambda: type(pilot.app.screen).__name__ == "LogsScreen")
    screen = pilot.app.screen
    assert screen.container == "kserve-container"
    log = screen.query_one("#log", Log)
    await until(pilot, lambda: log.line_count > 0)
    return log


def _following(app) -> list:
    return [w for w in app.workers if w.group == "follow" and w.state == WorkerState.RUNNING]


def test_follow_streams_new_lines_without_a_key_press(lab) -> None:
    def chat() -> None:
        out = run_doctor(
            ["infer", "-n", "llm-project", "granite", "--chat", "Hello"],
            timeout=120,
            cwd=ROOT,
            env={**os.environ, **env_vars(lab)},
        )
        assert out.returncode == 0, out.stderr

    async def scenario(pilot) -> None:
        log = await _open_logs(pilot)
        status = pilot.app.screen.query_one("#status")
        pod = pilot.app.screen.pod
        before = await asyncio.to_thread(_log_reads, lab, pod)
        seen = sum(ACCESS in line for line in log.lines)
        await pilot.press("f")
        await until(pilot, lambda: "following" in text_of(status) and log.line_count > 0)
        assert _following(pilot.app)
        await asyncio.to_thread(chat)  # the container writes a line after follow started
        await until(pilot, lambda: sum(ACCESS in line for line in log.lines) > seen, 60)
        after = await asyncio.to_thread(_log_reads, lab, pod)
        assert after["follow"] == before["follow"] + 1  # one long GET
        assert after["once"] == before["once"]  # and no re-reading
        await pilot.press("escape")
        await until(pilot, lambda: type(pilot.app.screen).__name__ == "MainScreen")
        await until(pilot, lambda: not _following(pilot.app))  # the stream ends with the screen

    drive(make_app(lab), scenario, size=SMALL)


def test_t_shows_each_lines_time(lab) -> None:
    async def scenario(pilot) -> None:
        log = await _open_logs(pilot)
        status = pilot.app.screen.query_one("#status")
        assert not any(STAMPED.match(line) for line in log.lines)
        await pilot.press("t")
        await until(pilot, lambda: all(STAMPED.match(line) for line in log.lines))
        assert "times" in text_of(status)
        await pilot.press("f")  # followed lines keep their times, and lose them with t
        await until(pilot, lambda: "following" in text_of(status) and log.line_count > 0)
        await until(pilot, lambda: all(STAMPED.match(line) for line in log.lines))
        await pilot.press("t")
        await until(pilot, lambda: not any(STAMPED.match(line) for line in log.lines))
        assert log.line_count > 0

    drive(make_app(lab), scenario, size=SMALL)
