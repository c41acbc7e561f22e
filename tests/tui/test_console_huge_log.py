"""A pod log larger than the log cap (16 MiB), through the console as a user reads it: the logs
screen says in one line which log was too large, the limit, and what to read instead."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Log

from bench.big_list_proxy import BigListProxy, kubeconfig_for
from checks.transport.capped import LOG_LIMIT
from tests.helpers import console, drive, main_screen, until
from tui.screens.logs import LogsScreen

PROJECT = "wrong-path"


def test_a_log_over_the_cap_is_named_not_read(lab: dict, tmp_path: Path) -> None:
    log = b"a line of a chatty model server\n" * (LOG_LIMIT // 32 + 1024)
    with BigListProxy(lab, PROJECT, 0, True, items=[], log=log) as proxy:
        kubeconfig = kubeconfig_for(proxy, lab["tokens"]["lab-admin"], tmp_path / "kubeconfig")

        async def scenario(pilot) -> None:
            await main_screen(pilot, PROJECT)
            await pilot.press("6", "l")  # pods, then the container's log
            await until(pilot, lambda: isinstance(pilot.app.screen, LogsScreen))
            lines = pilot.app.screen.query_one("#log", Log).lines
            await until(pilot, lambda: any("cannot read the log" in line for line in lines))
            said = next(line for line in lines if "cannot read the log" in line)
            assert "answered more than 16 MiB: stopped" in said, said
            assert "/storage-initializer," in said and "kubectl logs --tail" in said, said
            assert not any(line.startswith("a line of") for line in lines)

        drive(console("--kubeconfig", kubeconfig), scenario)
