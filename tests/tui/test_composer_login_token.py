"""Issue 22 C1 in the console: the composer sends your own login's token to a model without a
token of its own only after a dialog that names the host says yes; without it the request goes
without a token. A recording server stands where the model's route is."""

from __future__ import annotations

from textual.widgets import Static

from tests.helpers import drive, main_screen, make_app, secret_value, until
from tests.helpers.faults import make_tls
from tests.helpers.recorder import Recorder
from tui.screens.composer import ComposerScreen
from tui.screens.confirm import ConfirmScreen

HOST = "iris-auth-open.apps.rhoai-lab.test"


def notes(screen: ComposerScreen) -> str:
    return str(screen.query_one("#notes", Static).render())


async def open_composer(pilot) -> ComposerScreen:
    await main_screen(pilot, "auth-open")
    await pilot.press("1", "i")
    await until(
        pilot,
        lambda: isinstance(pilot.app.screen, ComposerScreen) and pilot.app.screen.request,
        20,
    )
    composer = pilot.app.screen
    await until(pilot, lambda: composer.editor.text.strip() != "")
    return composer


def question(pilot) -> str:
    return str(pilot.app.screen.query_one("#question", Static).render())


def test_the_composer_asks_naming_the_host_and_no_sends_without(lab, tmp_path) -> None:
    token = lab["tokens"]["lab-admin"]
    tls = make_tls(tmp_path, HOST)
    with Recorder(tls) as recorder:
        flags = ("--connect-to", f"{HOST}:443:{recorder.address}", "--route-ca", tls.ca_file)

        async def scenario(pilot) -> None:
            composer = await open_composer(pilot)
            assert "no token sent: the model has no token secret" in notes(composer)
            await pilot.press("ctrl+s")
            await until(pilot, lambda: isinstance(pilot.app.screen, ConfirmScreen))
            assert HOST in question(pilot) and "login's token" in question(pilot)
            await pilot.press("n")
            await until(pilot, lambda: any(s.method == "POST" for s in recorder.seen))
            await pilot.press("ctrl+s")  # asked once: the next send goes without asking
            await until(pilot, lambda: sum(s.method == "POST" for s in recorder.seen) == 2)
            assert not isinstance(pilot.app.screen, ConfirmScreen)
            assert recorder.carrying(token) == []

            await pilot.press("escape", "i")  # a new request: asked again; yes sends it
            await until(
                pilot,
                lambda: (
                    isinstance(pilot.app.screen, ComposerScreen)
                    and pilot.app.screen is not composer
                    and pilot.app.screen.request is not None
                ),
                20,
            )
            again = pilot.app.screen
            await until(pilot, lambda: again.editor.text.strip() != "")
            await pilot.press("ctrl+s")
            await until(pilot, lambda: isinstance(pilot.app.screen, ConfirmScreen))
            await pilot.press("y")
            await until(pilot, lambda: bool(recorder.carrying(token)))
            assert f"you confirmed sending it to {HOST}" in notes(again)

        drive(make_app(lab, "lab-admin", *flags), scenario)


def test_a_model_with_its_own_token_gets_that_one_unasked(lab, admin_client, tmp_path) -> None:
    host = "pricing-pricing-project.apps.rhoai-lab.test"
    own = secret_value(admin_client, "pricing-project", "default-name-pricing-sa", "token")
    tls = make_tls(tmp_path, host)
    with Recorder(tls) as recorder:
        flags = ("--connect-to", f"{host}:443:{recorder.address}", "--route-ca", tls.ca_file)

        async def scenario(pilot) -> None:
            await main_screen(pilot, "pricing-project")
            await pilot.press("1", "i")
            await until(
                pilot,
                lambda: isinstance(pilot.app.screen, ComposerScreen) and pilot.app.screen.request,
                20,
            )
            composer = pilot.app.screen
            await until(pilot, lambda: composer.editor.text.strip() != "")
            await pilot.press("ctrl+s")
            await until(pilot, lambda: any(s.method == "POST" for s in recorder.seen))
            assert not isinstance(pilot.app.screen, ConfirmScreen)

        drive(make_app(lab, "lab-admin", *flags), scenario)
    assert recorder.carrying(own)
    assert [s for t in lab["tokens"].values() for s in recorder.carrying(t)] == []
