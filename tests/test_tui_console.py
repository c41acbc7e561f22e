"""The console driven by Textual's Pilot against the lab, as a person would use it."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path

from textual.widgets import Log, Static

from checks.connect import ConnectionOptions
from checks.context import CheckOptions
from checks.engine import Status
from lab.control import connect_to
from tests.conftest import secret_value
from tui.app import RhoaiDoctorApp
from tui.screens.confirm import ConfirmScreen
from tui.screens.diagnosis import DiagnosisScreen
from tui.screens.error import ErrorScreen
from tui.screens.logs import LogsScreen
from tui.screens.main import MainScreen
from tui.widgets.resource_table import ResourceTable

SIZE = (120, 36)
SCREENSHOTS = Path(__file__).parent.parent / "screenshots"


def make_app(lab: dict, context: str = "lab-admin", **options) -> RhoaiDoctorApp:
    connection = ConnectionOptions(
        kubeconfig=lab["kubeconfig"], context=context, connect_to=(connect_to(lab),), **options
    )
    return RhoaiDoctorApp(connection, CheckOptions(route_ca=lab["ca_file"]), show_clock=False)


async def until(pilot, condition: Callable[[], bool], seconds: float = 15) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while not condition():
        if loop.time() > deadline:
            raise AssertionError("timed out waiting for the console")
        await pilot.pause(0.05)


async def main_screen(pilot, project: str = "iris-project") -> MainScreen:
    await until(pilot, lambda: isinstance(pilot.app.screen, MainScreen))
    screen = pilot.app.screen
    await until(pilot, lambda: screen.query_one("#projects", ResourceTable).row_count > 0)
    screen.select_project(project)
    await until(
        pilot,
        lambda: (
            screen.snapshot is not None
            and screen.project == project
            and screen.snapshot.namespace == project
        ),
    )
    await pilot.pause(0.1)
    return screen


async def open_diagnosis(pilot, project: str) -> DiagnosisScreen:
    """Select the project's deployment, press d, wait for the whole report."""
    await main_screen(pilot, project)
    await pilot.press("1", "d")
    await until(
        pilot,
        lambda: (
            isinstance(pilot.app.screen, DiagnosisScreen) and pilot.app.screen.report is not None
        ),
        30,
    )
    return pilot.app.screen


def drive(app: RhoaiDoctorApp, scenario: Callable[..., Awaitable[None]]) -> None:
    async def run() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await scenario(pilot)

    asyncio.run(run())


def rows(table: ResourceTable) -> list[list[str]]:
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


def test_main_view_shows_projects_and_deployment_state(lab) -> None:
    async def scenario(pilot) -> None:
        screen = await main_screen(pilot)
        projects = [r[0] for r in rows(screen.query_one("#projects", ResourceTable))]
        assert {"iris-project", "wrong-path", "pricing-project"} <= set(projects)
        deployments = rows(screen.query_one("#table-deployments", ResourceTable))
        assert deployments[0][:4] == ["iris-model", "modelmesh", "onnx:1", "model-server"]
        assert "Loaded" in deployments[0][4]
        identity = str(screen.query_one("#identity", Static).render())
        assert "context lab-admin" in identity and "read-only" in identity
        pilot.app.save_screenshot(filename="main.svg", path=str(SCREENSHOTS))

    drive(make_app(lab), scenario)


def test_diagnosis_names_the_root_cause(lab) -> None:
    async def scenario(pilot) -> None:
        await open_diagnosis(pilot, "wrong-path")
        diagnosis = pilot.app.screen
        root = diagnosis.report.result("bucket-path")
        assert root.status == Status.FAIL and '"fraud/"' in root.summary
        table = diagnosis.query_one("#checks")
        first = [str(c) for c in table.get_row_at(0)]
        assert first[0] == "✗" and first[1] == "Model files in the bucket"
        details = str(diagnosis.query_one("#check-details", Static).render())
        assert "fix:" in details
        pilot.app.save_screenshot(filename="diagnosis.svg", path=str(SCREENSHOTS))
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(pilot.app.screen, MainScreen))

    drive(make_app(lab), scenario)


def test_filter_narrows_the_focused_list(lab) -> None:
    async def scenario(pilot) -> None:
        screen = await main_screen(pilot)
        projects = screen.query_one("#projects", ResourceTable)
        projects.focus()
        await pilot.press("slash", *"wrong")
        await pilot.pause(0.1)
        assert [r[0] for r in rows(projects)] == ["wrong-path", "wrong-secret"]
        await pilot.press("escape")
        await pilot.pause(0.1)
        assert projects.row_count > 10

    drive(make_app(lab), scenario)


def test_logs_of_a_failing_init_container(lab) -> None:
    async def scenario(pilot) -> None:
        await main_screen(pilot, "wrong-path")
        await pilot.press("6", "l")
        await until(pilot, lambda: isinstance(pilot.app.screen, LogsScreen))
        logs = pilot.app.screen
        assert logs.container == "storage-initializer"
        log = logs.query_one("#log", Log)
        await until(
            pilot, lambda: any("No model found in fraud-model" in line for line in log.lines)
        )
        pilot.app.save_screenshot(filename="logs.svg", path=str(SCREENSHOTS))

    drive(make_app(lab), scenario)


def test_secret_is_revealed_only_after_confirming(lab, admin_client) -> None:
    secret = secret_value(
        admin_client, "iris-project", "aws-connection-models", "AWS_SECRET_ACCESS_KEY"
    )

    async def scenario(pilot) -> None:
        screen = await main_screen(pilot)
        await pilot.press("3")
        details = screen.query_one("#details", Static)
        assert secret not in str(details.render())
        await pilot.press("v")
        await until(pilot, lambda: isinstance(pilot.app.screen, ConfirmScreen))
        await pilot.press("n")
        await pilot.pause(0.3)
        assert secret not in str(details.render())
        await pilot.press("v")
        await until(pilot, lambda: isinstance(pilot.app.screen, ConfirmScreen))
        await pilot.press("y")
        await until(pilot, lambda: secret in str(details.render()))

    drive(make_app(lab), scenario)


def test_restricted_user_sees_forbidden_secrets_and_the_rest_works(lab) -> None:
    async def scenario(pilot) -> None:
        screen = await main_screen(pilot)
        await pilot.press("5")
        error = str(screen.query_one("#error-secrets", Static).render())
        assert "you cannot list secrets in iris-project: forbidden" in error
        assert screen.query_one("#table-secrets", ResourceTable).row_count == 0
        await pilot.press("1")
        assert screen.query_one("#table-deployments", ResourceTable).row_count == 1
        await pilot.press("6")
        assert screen.query_one("#table-pods", ResourceTable).row_count == 1

    drive(make_app(lab, context="developer"), scenario)


def test_api_server_down_shows_the_reason_and_a_retry(lab, tmp_path) -> None:
    async def scenario(pilot) -> None:
        await until(pilot, lambda: isinstance(pilot.app.screen, ErrorScreen))
        reason = str(pilot.app.screen.query_one("#reason", Static).render())
        assert "refused the connection" in reason
        assert "Traceback" not in reason

    app = RhoaiDoctorApp(
        ConnectionOptions(kubeconfig=lab["kubeconfig"], server="https://127.0.0.1:9"),
        show_clock=False,
    )
    drive(app, scenario)


def test_usable_at_80x24_without_colour(lab, monkeypatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")

    async def run() -> None:
        app = make_app(lab)
        async with app.run_test(size=(80, 24)) as pilot:
            await main_screen(pilot)
            picture = app.export_screenshot()
            for words in ("iris-model", "Loaded", "read-only", "Diagnose"):
                assert words in picture.replace("&#160;", " "), words

    asyncio.run(run())


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
            assert first[2] == root.summary
            await pilot.press("escape")
            await until(pilot, lambda: isinstance(pilot.app.screen, MainScreen))

    drive(make_app(lab), scenario)
