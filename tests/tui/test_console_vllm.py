"""The console on a crashing vLLM deployment: the diagnosis names the cause read from the crashed
container's previous log, and quotes the line that says so."""

from __future__ import annotations

from textual.widgets import Static

from tests.helpers import drive, main_screen, make_app, open_diagnosis, text_of


def test_the_diagnosis_quotes_vllm_s_decisive_log_line(lab) -> None:
    async def scenario(pilot) -> None:
        diagnosis = await open_diagnosis(pilot, "vllm-kv-cache")
        first = [str(c) for c in diagnosis.query_one("#checks").get_row_at(0)]
        assert first[:2] == ["✗", "Runtime pods"], first
        details = text_of(diagnosis.query_one("#check-details", Static))
        assert "set --max-model-len=9168" in details
        assert "Add --max-model-len=9168 to the model's arguments" in details
        assert (
            '• previous log of kserve-container: "ValueError: To serve at least one request '
            "with the models's max seq len (32768)"
        ) in details
        verdict = text_of(diagnosis.query_one("#verdict", Static))
        assert verdict.startswith("✗ root cause: Runtime pods"), verdict

    drive(make_app(lab), scenario)


def test_the_details_pane_says_the_deployment_is_vllm_with_its_gpus(lab) -> None:
    async def scenario(pilot) -> None:
        screen = await main_screen(pilot, "vllm-no-gpu")
        details = text_of(screen.query_one("#details", Static))
        assert "engine    vLLM (generative; model format vLLM)" in details, details
        assert "gpus      nvidia.com/gpu requests 2, limits 2" in details, details
        assert "hardware  redhat-ods-applications/nvidia-l40s-x2" in details, details

    drive(make_app(lab), scenario)
