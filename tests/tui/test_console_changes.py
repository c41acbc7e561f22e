"""`rhoai-doctor --diff-against CAPTURE`: the details of a deployment say what changed since a
capture (a must-gather written from the lab, edited as yesterday's cluster differed), at 80x24."""

from __future__ import annotations

from textual.widgets import Static

from tests.helpers import drive, main_screen, make_app, text_of
from tests.helpers.must_gather import IMAGE_DIR, edit_yaml, write_must_gather


def test_the_details_say_what_changed_since_the_capture(lab, tmp_path) -> None:
    top = write_must_gather(lab, tmp_path / "yesterday", namespaces=["std-healthy", "iris-project"])
    isvc = top / IMAGE_DIR / "namespaces" / "std-healthy" / "serving.kserve.io"

    def yesterday(obj: dict) -> None:
        obj["metadata"]["annotations"]["serving.kserve.io/stop"] = "true"
        obj["spec"]["predictor"]["model"]["resources"]["limits"]["memory"] = "1Gi"

    edit_yaml(isvc / "inferenceservices" / "iris.yaml", yesterday)

    async def scenario(pilot) -> None:
        screen = await main_screen(pilot, "std-healthy")
        details = text_of(screen.query_one("#details", Static))
        assert f"Changes since must-gather {top} (captured 20" in details
        assert "annotation serving.kserve.io/stop: true → -" in details
        assert "spec.predictor.model.resources.limits.memory: 1Gi → 4Gi" in details
        assert "state: Stopping · serving.kserve.io/stop=true → Loaded" in details
        screen = await main_screen(pilot, "iris-project")
        details = text_of(screen.query_one("#details", Static))
        assert "Changes since must-gather" in details and "none in the objects" in details

    drive(make_app(lab, "lab-admin", "--diff-against", str(top)), scenario, size=(80, 24))


def test_a_comparison_that_cannot_be_read_is_one_line_in_the_details(lab, tmp_path) -> None:
    async def scenario(pilot) -> None:
        screen = await main_screen(pilot, "std-healthy")
        details = text_of(screen.query_one("#details", Static))
        assert f"Changes since {tmp_path / 'nothing'}: " in details
        assert "Loaded" in details  # the rest of the details stand

    drive(
        make_app(lab, "lab-admin", "--diff-against", str(tmp_path / "nothing")), scenario, (80, 24)
    )
