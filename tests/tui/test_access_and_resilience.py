"""The console where things are sensitive or broken: secrets, view-only users, an API server that
goes away, 80x24 without colour, and every broken scenario's root cause."""

from __future__ import annotations

import dataclasses
import re

import pytest
from textual.widgets import Static

from checks.cluster.kube import KubeClient
from tests.helpers import (
    cut_from,
    drive,
    finished,
    main_screen,
    make_app,
    open_diagnosis,
    secret_value,
    text_of,
    until,
)
from tui.screens.confirm import ConfirmScreen
from tui.screens.error import ErrorScreen
from tui.screens.main import MainScreen
from tui.widgets.header import HeaderBar
from tui.widgets.resource_table import ResourceTable


# -- secrets ---------------------------------------------------------------------------------
def test_secret_is_revealed_only_after_confirming_and_yaml_is_masked(lab, admin_client) -> None:
    secret = secret_value(
        admin_client, "iris-project", "aws-connection-models", "AWS_SECRET_ACCESS_KEY"
    )

    async def scenario(pilot) -> None:
        screen = await main_screen(pilot)
        await pilot.press("3")
        details = screen.query_one("#details", Static)
        assert secret not in text_of(details) and "••••••••" in text_of(details)
        await pilot.press("y")  # the manifest: keys shown, values masked
        await until(pilot, lambda: type(pilot.app.screen).__name__ == "ManifestScreen")
        assert "AWS_SECRET_ACCESS_KEY: ••••••••" in pilot.app.screen.text
        assert secret not in pilot.app.screen.text
        await pilot.press("y")
        await until(pilot, lambda: isinstance(pilot.app.screen, MainScreen))
        for no in ("enter", "n", "escape"):  # enter alone answers no
            await pilot.press("v")
            await until(pilot, lambda: isinstance(pilot.app.screen, ConfirmScreen))
            await pilot.press(no)
            await until(pilot, lambda: isinstance(pilot.app.screen, MainScreen))
            await pilot.pause(0.2)
            assert secret not in text_of(details), no
        await pilot.press("v")
        await until(pilot, lambda: isinstance(pilot.app.screen, ConfirmScreen))
        await pilot.press("y")
        await until(pilot, lambda: secret in text_of(details))
        assert f"AWS_SECRET_ACCESS_KEY = {secret}" in text_of(details)
        await pilot.press("5")  # moving away hides it again
        assert secret not in text_of(details)

    drive(make_app(lab), scenario)


def test_restricted_user_sees_forbidden_secrets_and_the_rest_works(lab) -> None:
    async def scenario(pilot) -> None:
        screen = await main_screen(pilot)
        await pilot.press("5")
        error = text_of(screen.query_one("#error-secrets", Static))
        assert "you cannot list secrets in iris-project: forbidden" in error
        assert screen.query_one("#table-secrets", ResourceTable).row_count == 0
        assert str(screen.query_one("#tabs").get_tab("tab-secrets").label).endswith("✗")
        await pilot.press("3")
        assert "forbidden" in text_of(screen.query_one("#error-connections", Static))
        await pilot.press("1")
        assert screen.query_one("#table-deployments", ResourceTable).row_count == 1
        assert not screen.query_one("#error-deployments", Static).display
        await pilot.press("6")
        assert screen.query_one("#table-pods", ResourceTable).row_count == 1
        await pilot.press("2")
        assert screen.query_one("#table-servers", ResourceTable).row_count == 1
        assert "user developer" in screen.query_one(HeaderBar).text

    drive(make_app(lab, "developer"), scenario)


# -- resilience ------------------------------------------------------------------------------
def test_api_server_down_shows_the_reason_and_a_retry(lab) -> None:
    async def scenario(pilot) -> None:
        # the screen is installed a moment before its widgets mount (CI run 91 asked between)
        await until(
            pilot,
            lambda: isinstance(pilot.app.screen, ErrorScreen) and pilot.app.screen.query("#reason"),
        )
        error = pilot.app.screen
        reason = text_of(error.query_one("#reason", Static))
        assert "refused the connection" in reason and "Traceback" not in reason
        assert "server https://127.0.0.1:9" in text_of(error.query_one("#where", Static))
        await pilot.press("r")
        await until(pilot, lambda: "attempt 2 failed" in text_of(error.query_one("#retry-state")))
        # the API server is back (here: the right address); r connects
        app = pilot.app
        options = app.session.options
        connection = dataclasses.replace(options.connection, server=None)
        app.session.options = dataclasses.replace(options, connection=connection)
        await pilot.press("r")
        await until(pilot, lambda: isinstance(app.screen, MainScreen))
        await until(pilot, lambda: app.screen.snapshot is not None)

    drive(make_app(lab, "lab-admin", "--server", "https://127.0.0.1:9"), scenario)


def test_status_line_says_how_long_ago(lab) -> None:
    async def scenario(pilot) -> None:
        screen = await main_screen(pilot)
        status = screen.query_one("#status", Static)
        # the seconds since the read (0, or 1 when the machine is busy)
        assert re.search(r"iris-project · updated [01]s ago", text_of(status)), text_of(status)
        screen.updated_at -= 7
        await until(pilot, lambda: "updated 7s ago" in text_of(status) or "8s" in text_of(status))
        await pilot.press("r")
        await until(pilot, lambda: "updated 0s ago" in text_of(status))

        # the API server goes away mid-session: the session's client now dials a closed port
        session = pilot.app.session
        await session.kube.aclose()
        session._kube = KubeClient(
            dataclasses.replace(session.cluster, server="https://127.0.0.1:9")
        )
        await pilot.press("r")
        await until(
            pilot,
            lambda: "refresh failed: the API server https://127.0.0.1:9 refused" in text_of(status),
        )
        rows_left = screen.query_one("#table-deployments", ResourceTable).row_count
        assert rows_left == 1 and "updated" in text_of(status)  # what was read stays

    drive(make_app(lab, clock=True), scenario)


def test_usable_at_80x24_without_colour(lab, monkeypatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")

    async def scenario(pilot) -> None:
        screen = await main_screen(pilot, "wrong-path")
        picture = pilot.app.export_screenshot().replace("&#160;", " ")
        for words in ("fraud", "✗ FailedToLoad", "read-only", "Diagnose", "Help", "Routes"):
            assert words in picture, words
        # at 80 columns the project pane folds away (issue 12); p brings it back
        assert screen.query_one("#projects", ResourceTable).size.width == 0
        await pilot.press("p")
        await pilot.pause(0.1)
        assert screen.query_one("#projects", ResourceTable).size.width >= 20
        await pilot.press("p")
        await pilot.press("1", "d")
        await finished(pilot)
        picture = pilot.app.export_screenshot().replace("&#160;", " ")
        assert "✗ root cause" in picture and "Re-run" in picture

    drive(make_app(lab), scenario, size=(80, 24))


def test_every_broken_scenario_shows_its_root_cause_first(lab) -> None:
    from lab.scenarios import SCENARIOS

    broken = [s for s in SCENARIOS if not s.healthy]

    async def scenario(pilot) -> None:
        for case in broken:
            await open_diagnosis(pilot, case.project)
            diagnosis = pilot.app.screen
            first = [str(c) for c in diagnosis.query_one("#checks").get_row_at(0)]
            root = diagnosis.report.result(case.root_cause)
            assert (first[0], first[1]) == ("✗", root.title), (case.project, first)
            assert cut_from(first[2], root.summary), (case.project, first)
            verdict = text_of(diagnosis.query_one("#verdict", Static))
            assert verdict.startswith(f"✗ root cause: {root.title}"), (case.project, verdict)
            await pilot.press("escape")
            await until(pilot, lambda: isinstance(pilot.app.screen, MainScreen))

    drive(make_app(lab), scenario)


def test_a_view_only_user_gets_blocked_checks_in_the_diagnosis(lab) -> None:
    """d as the developer: what needs secrets says why it could not run; no internal error."""

    async def scenario(pilot) -> None:
        diagnosis = await open_diagnosis(pilot, "iris-project")
        table = diagnosis.query_one("#checks")
        shown = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
        by_title = {row[1]: row[2] for row in shown}
        assert by_title["Model format"].startswith("blocked: you cannot list secrets"), shown
        assert not any("internal error" in row[2] for row in shown), shown
        verdict = text_of(diagnosis.query_one("#verdict", Static))
        assert verdict.startswith("? nothing failed, but a check could not run"), verdict

    drive(make_app(lab, "developer"), scenario)


def test_a_bug_of_ours_ends_in_one_line_and_a_report_without_secrets(
    lab, admin_client, tmp_path, monkeypatch, capfd
) -> None:
    """No traceback with locals on screen (they hold the snapshot's secrets); exit status 1."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    token = secret_value(admin_client, "iris-project", "default-name-model-server-sa", "token")
    app = make_app(lab)

    async def scenario(pilot) -> None:
        await main_screen(pilot)

        def a_parser_that_falls_over() -> None:
            raise ValueError(f"cannot parse the object near {token}")

        pilot.app.call_later(a_parser_that_falls_over)
        await pilot.pause(0.5)

    with pytest.raises(ValueError):
        drive(app, scenario)
    assert app.return_code == 1
    shown = capfd.readouterr().err
    assert "rhoai-doctor stopped on an internal error (ValueError)" in shown, shown
    assert token not in shown and "Traceback" not in shown
    (report,) = (tmp_path / "rhoai-doctor").glob("crash-*.txt")
    written = report.read_text()
    assert "ValueError" in written and token not in written and "<token redacted>" in written


def test_tls_not_verified_is_on_the_header(lab) -> None:
    async def scenario(pilot) -> None:
        screen = await main_screen(pilot)
        assert text_of(screen.query_one("#tls-warning", Static)) == "TLS NOT VERIFIED"

    drive(make_app(lab, "lab-admin", "--insecure-skip-tls-verify"), scenario)
