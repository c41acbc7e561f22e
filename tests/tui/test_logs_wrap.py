"""`w` in the logs (issue 25 item 5): vLLM's KV-cache error is one line longer than any terminal;
wrapped, every word of it is on screen, no line wider than the pane, and `w` again cuts it as
before. At 80x24 through the real entry point."""

from __future__ import annotations

from rich.cells import cell_len
from textual.widgets import Log

from lab.vllm_logs import V1_KV_CACHE
from tests.helpers import drive, main_screen, make_app, until

SMALL = (80, 24)


def test_w_wraps_the_kv_cache_line_at_the_panes_width(lab) -> None:
    async def scenario(pilot) -> None:
        await main_screen(pilot, "vllm-kv-cache")
        await pilot.press("6", "l")
        await until(pilot, lambda: type(pilot.app.screen).__name__ == "LogsScreen")
        logs = pilot.app.screen
        log = logs.query_one("#log", Log)
        if not any(V1_KV_CACHE in line for line in log.lines):
            await pilot.press("p")  # the previous instance holds it
        await until(pilot, lambda: any(V1_KV_CACHE in line for line in log.lines))
        width = log.scrollable_content_region.width
        assert cell_len(V1_KV_CACHE) > width  # cut at the pane's edge without wrapping
        await pilot.press("w")
        await until(pilot, lambda: all(cell_len(line) <= width for line in log.lines))
        assert V1_KV_CACHE in "".join(log.lines)  # every word of it, in order
        assert "wrapped" in str(logs.query_one("#status").render())
        await pilot.press("w")
        await until(pilot, lambda: any(V1_KV_CACHE in line for line in log.lines))

    drive(make_app(lab), scenario, size=SMALL)
