"""What a user sees: the current screen as plain text (toasts and the palette included), for
tests that assert words on screen rather than widget internals."""

from __future__ import annotations

import io


def screen_text(app) -> str:
    from rich.console import Console

    width, height = app.size
    console = Console(
        width=width,
        height=height,
        file=io.StringIO(),
        force_terminal=True,
        color_system="truecolor",
        record=True,
        legacy_windows=False,
        safe_box=False,
    )
    console.print(
        app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    )
    return console.export_text(styles=False).replace("\xa0", " ")


def drive_seen(app, scenario, size=(80, 24)) -> None:
    """Like helpers.drive, with toasts shown (Textual's test mode hides them by default): the
    tests that check a key says why it cannot act need to see the toast."""
    import asyncio

    async def run() -> None:
        async with app.run_test(size=size, notifications=True) as pilot:
            await scenario(pilot)

    asyncio.run(run())
