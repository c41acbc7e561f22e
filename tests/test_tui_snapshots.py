"""How the main screens look, compared with stored SVG snapshots (pytest-textual-snapshot).

The lab's ports are random, so the identity line is pinned before the picture is taken; all
else on these screens comes from the lab as it is.
"""

from __future__ import annotations

from textual.widgets import Static

from tests.test_tui_console import SIZE, main_screen, make_app, open_diagnosis

PINNED_IDENTITY = (
    "context lab-admin · server https://127.0.0.1:PORT · user lab-admin · "
    "namespace iris-project · read-only"
)


def test_main_screen_snapshot(lab, snap_compare) -> None:
    async def prepare(pilot) -> None:
        screen = await main_screen(pilot)
        screen.query_one("#identity", Static).update(PINNED_IDENTITY)
        screen.query_one("#table-deployments").focus()
        await pilot.pause(0.2)

    assert snap_compare(make_app(lab), terminal_size=SIZE, run_before=prepare)


def test_failing_diagnosis_snapshot(lab, snap_compare) -> None:
    async def prepare(pilot) -> None:
        await open_diagnosis(pilot, "unschedulable")
        await pilot.pause(0.2)

    assert snap_compare(make_app(lab), terminal_size=SIZE, run_before=prepare)
