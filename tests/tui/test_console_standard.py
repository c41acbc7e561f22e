"""The console on 3.x Standard models: the Stopped state word, the mode and the dashboard's word
in the summary, and a quota refusal as the diagnosis's root cause."""

from __future__ import annotations

from textual.widgets import Static

from tests.helpers import cut_from, drive, main_screen, make_app, open_diagnosis, rows, text_of


def test_a_stopped_model_shows_stopped_and_its_mode(lab) -> None:
    async def scenario(pilot) -> None:
        screen = await main_screen(pilot, "std-stopped")
        (row,) = rows(screen.query_one("#table-deployments"))
        assert row[0] == "iris" and cut_from(row[2], "kserve/Standard"), row
        assert row[1] == "■ Stopped · serving.kserve.io/stop=true", row  # the state, whole
        details = text_of(screen.query_one("#details", Static))
        assert "■ Stopped · serving.kserve.io/stop=true" in details
        assert "Standard (RawDeployment); status.deploymentMode RawDeployment" in details
        assert "Stopped" in details

    drive(make_app(lab), scenario)


def test_the_healthy_standard_model_says_what_the_dashboard_shows(lab) -> None:
    async def scenario(pilot) -> None:
        screen = await main_screen(pilot, "std-healthy")
        (row,) = rows(screen.query_one("#table-deployments"))
        assert row[1] == "✓ Loaded"
        details = text_of(screen.query_one("#details", Static))
        assert "Ready (v3.4+; Started on v2.38-v3.3)" in details

    drive(make_app(lab), scenario)


def test_the_quota_is_the_root_cause_of_the_diagnosis(lab) -> None:
    async def scenario(pilot) -> None:
        screen = await main_screen(pilot, "std-quota")
        (row,) = rows(screen.query_one("#table-deployments"))
        assert cut_from(row[1], "✗ Pending · FailedCreate (quota compute-quota)"), row
        details = text_of(screen.query_one("#details", Static))
        assert "✗ Pending · FailedCreate (quota compute-quota)" in details
        status = text_of(screen.query_one("#status", Static))
        assert "1 deployment(s) failed" in status
        diagnosis = await open_diagnosis(pilot, "std-quota")
        first = [str(c) for c in diagnosis.query_one("#checks").get_row_at(0)]
        assert first[:2] == ["✗", "Runtime pods"]
        assert "compute-quota" in first[2]  # the rest of a long summary is in the box below
        shown = text_of(diagnosis.query_one("#check-details", Static))
        assert "compute-quota" in shown and "limits.memory requested 8Gi" in shown
        verdict = text_of(diagnosis.query_one("#verdict", Static))
        assert verdict.startswith("✗ root cause: Runtime pods"), verdict
        assert "compute-quota" in verdict

    drive(make_app(lab), scenario)
