"""An llm-d deployment in the console: the Deployments tab lists it as llmisvc and its details
show the condition tree, the HTTPRoute and the auth default; `d` diagnoses it."""

from __future__ import annotations

from textual.widgets import Static

from tests.helpers import drive, finished, main_screen, make_app, rows, text_of
from tui.screens.diagnosis import DiagnosisScreen
from tui.widgets.resource_table import ResourceTable


def test_llm_service_row_details_and_diagnosis(lab) -> None:
    async def scenario(pilot) -> None:
        screen = await main_screen(pilot, "llmd-httproute")
        table = screen.query_one("#table-deployments", ResourceTable)
        (row,) = rows(table)
        assert row[0] == "qwen" and row[-1] == "llmisvc", row
        assert "Pending · HTTPRoutesNotReady" in row[1]
        table.focus()
        await pilot.pause(0.1)
        details = text_of(screen.query_one("#details", Static))
        assert "LLMInferenceService serving.kserve.io/v1alpha2" in details
        assert (
            "HTTPRoute qwen-kserve-route on gateway openshift-ingress/openshift-ai-inference"
            in details
        )
        assert "ON (default for LLMInferenceService" in details
        assert "Ready=False (HTTPRoutesNotReady)" in details
        assert "  RouterReady=False (HTTPRoutesNotReady)" in details
        assert "    HTTPRoutesReady=False (HTTPRoutesNotReady): The following HTTPRoutes" in details
        await pilot.press("1", "d")
        await finished(pilot)
        diagnosis = pilot.app.screen
        assert isinstance(diagnosis, DiagnosisScreen)
        first = [str(c) for c in diagnosis.query_one("#checks").get_row_at(0)]
        assert first[0] == "✗" and "HTTPRoutesReady=False" in first[2], first

    drive(make_app(lab), scenario, size=(160, 50))
