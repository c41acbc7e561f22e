"""Text others wrote, through the console as a user drives it: an event message, a pod log and a
model server's error body, each carrying a clipboard write (OSC 52), a screen clear, a
right-to-left override, a C1 control and console markup that would write a file when clicked.
The lab is behind a proxy that rewrites only those answers. Every screen shows them as
visible characters and literal words; a click on the answer writes nothing; nothing crashes."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

from textual.widgets import Log, Static

from bench.big_list_proxy import BigListProxy, event, kubeconfig_for
from tests.helpers import console, finished, main_screen, until
from tests.helpers.faults import HOSTILE, RAW_BYTES, FaultServer, make_tls
from tui.screens.composer import ComposerScreen
from tui.screens.logs import LogsScreen

PROJECT = "wrong-path"


def hostile_events() -> list[dict]:
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    items = []
    for index in range(3):
        item = event(PROJECT, index)
        item["involvedObject"].update(kind="InferenceService", name="fraud")
        item.update(message=HOSTILE, type="Warning", reason=HOSTILE[:20], lastTimestamp=now)
        items.append(item)
    return items


def assert_shown_as_text(app, where: str) -> str:
    picture = app.export_screenshot()
    for raw in RAW_BYTES:
        assert raw not in picture, (where, repr(raw))
    return picture


def test_hostile_text_is_shown_never_obeyed(lab: dict, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)  # where the payload's screenshot would land
    tls = make_tls(tmp_path, f"*.{lab['apps_domain']}")
    log = ("\n".join(f"line {i}: {HOSTILE}" for i in range(5)) + "\n").encode()
    with (
        BigListProxy(lab, PROJECT, 0, True, items=hostile_events(), log=log) as proxy,
        FaultServer("hostile", tls) as model_server,
    ):
        kubeconfig = kubeconfig_for(proxy, lab["tokens"]["lab-admin"], tmp_path / "kubeconfig")
        app = console(
            "--kubeconfig", kubeconfig, "--route-ca", tls.ca_file,
            "--connect-to", f"*.{lab['apps_domain']}:443:127.0.0.1:{model_server.port}",
        )  # fmt: skip

        async def scenario(pilot) -> None:
            screen = await main_screen(pilot, PROJECT)
            await pilot.press("4")  # events
            await pilot.pause(0.2)
            picture = assert_shown_as_text(pilot.app, "events tab")
            assert "␛]52;c;SGVsbG8=␇" in picture.replace("&#160;", " ")

            await pilot.press("6", "l")  # pods, then the troubled container's log
            await until(pilot, lambda: isinstance(pilot.app.screen, LogsScreen))
            lines = pilot.app.screen.query_one("#log", Log).lines
            await until(pilot, lambda: any("line 0" in line for line in lines))
            assert not any(raw in line for line in lines for raw in RAW_BYTES), lines[:2]
            assert any("[@click=app.screenshot" in line for line in lines)
            assert_shown_as_text(pilot.app, "logs screen")
            await pilot.press("escape")
            await until(pilot, lambda: pilot.app.screen is screen)

            await pilot.press("1", "d")  # the diagnosis quotes the events
            await finished(pilot)
            assert_shown_as_text(pilot.app, "diagnosis")
            await pilot.press("escape")

            screen.select_project("iris-project")
            await until(pilot, lambda: screen.project == "iris-project" and screen.snapshot)
            await pilot.press("1", "i")  # the composer: the model server answers the payload
            await until(
                pilot,
                lambda: (
                    isinstance(pilot.app.screen, ComposerScreen)
                    and pilot.app.screen.request is not None
                ),
                20,
            )
            composer = pilot.app.screen
            await pilot.press("ctrl+s")
            answer = composer.query_one("#answer", Static)
            await until(pilot, lambda: str(answer.render()).startswith("400"))
            shown = str(answer.render())
            assert "[@click=app.screenshot('owned.svg','OWNED_DIR')]CLICK-ME[/]" in shown
            assert "[/nope]" in shown
            assert_shown_as_text(pilot.app, "composer")
            await pilot.click("#answer")
            await pilot.pause(0.3)

        async def run() -> None:
            async with app.run_test(size=(160, 40)) as pilot:
                await scenario(pilot)

        asyncio.run(run())
    assert app.return_code in (None, 0)
    assert not list(tmp_path.rglob("owned.svg")), "a click ran the server's markup"
