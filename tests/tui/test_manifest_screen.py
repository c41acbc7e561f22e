"""`y` at 80x24: the selected object's manifest as the API server returned it, scrollable, secret
values masked; `q` and escape go back to the list (they do not quit)."""

from __future__ import annotations

import base64
import html
import re

from tests.helpers import drive, main_screen, make_app, secret_value, until
from tui.screens.main import MainScreen
from tui.screens.manifest import ManifestScreen


def picture(pilot) -> str:
    """The terminal as the user sees it: the screenshot's text, one line per terminal row."""
    svg = pilot.app.export_screenshot()
    rows: dict[int, str] = {}
    for row, text in re.findall(
        r'<text [^>]*clip-path="url\(#terminal-\d+-line-(\d+)\)">([^<]*)</text>', svg
    ):
        rows[int(row)] = rows.get(int(row), "") + html.unescape(text.replace("&#160;", " "))
    return "\n".join(rows[row] for row in sorted(rows))


def test_y_shows_the_real_manifest_scrollable_and_q_goes_back(lab) -> None:
    async def scenario(pilot) -> None:
        await main_screen(pilot, "std-healthy")
        await pilot.press("1", "y")
        await until(pilot, lambda: isinstance(pilot.app.screen, ManifestScreen))
        await pilot.pause(0.1)
        seen = picture(pilot)
        for words in (
            "InferenceService std-healthy/iris · as served",
            "apiVersion: serving.kserve.io/v1beta1",
            "kind: InferenceService",
            "security.opendatahub.io/enable-auth: 'true'",
            "networking.kserve.io/visibility: exposed",
            "modelFormat:",
        ):
            assert words in seen, words
        assert "model_format" not in seen and "memory: 4Gi" not in seen  # below the fold
        await pilot.press("pagedown")
        await pilot.pause(0.1)
        seen = picture(pilot)
        assert "requests:" in seen and "memory: 4Gi" in seen
        await pilot.press("q")
        await until(pilot, lambda: isinstance(pilot.app.screen, MainScreen))
        assert pilot.app.is_running
        assert "Deploy" in picture(pilot)  # the readable summary view is still the default
        await pilot.press("y")
        await until(pilot, lambda: isinstance(pilot.app.screen, ManifestScreen))
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(pilot.app.screen, MainScreen))

    drive(make_app(lab), scenario, size=(80, 24))


def test_y_on_a_connection_masks_values_and_shows_keys(lab, admin_client) -> None:
    secret = secret_value(
        admin_client, "iris-project", "aws-connection-models", "AWS_SECRET_ACCESS_KEY"
    )
    encoded = base64.b64encode(secret.encode()).decode()

    async def scenario(pilot) -> None:
        await main_screen(pilot, "iris-project")
        await pilot.press("3", "y")
        await until(pilot, lambda: isinstance(pilot.app.screen, ManifestScreen))
        await pilot.pause(0.1)
        seen = picture(pilot)
        assert "Secret iris-project/aws-connection-models · values masked" in seen
        assert "AWS_SECRET_ACCESS_KEY: ••••••••" in seen
        assert "opendatahub.io/connection-type: s3" in seen
        assert secret not in seen and encoded not in seen
        screen = pilot.app.screen
        assert secret not in screen.text and encoded not in screen.text  # nor off-screen

    drive(make_app(lab), scenario, size=(80, 24))
