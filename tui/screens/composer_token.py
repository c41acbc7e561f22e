"""The composer's question before your own login's token goes to a model that has no token of
its own (issue 22, C1): a dialog naming the host, and a second, louder one when that host is not
an admitted Route of the deployment. Without a yes the request goes without a token."""

from __future__ import annotations

from collections.abc import Callable

from textual.screen import Screen

from checks.request.chat_request import ChatRequest
from checks.request.model_request import ModelRequest
from checks.text import one_line
from tui.screens.confirm import ConfirmScreen


def ask_then(screen: Screen, request: ModelRequest | ChatRequest, then: Callable[[], None]) -> None:
    """Ask (once per request) whether your login's token may go with it; then `then()`."""
    offer = request.login_offer
    if offer is None or request.token is not None:
        then()
        return
    host = one_line(offer.host)
    dep = one_line(request.deployment.name)

    def withheld() -> None:
        request.login_offer = None  # asked once: the next send goes without, unasked
        then()

    def second(yes: bool | None) -> None:
        if yes:
            request.use_login_token()
            then()
        else:
            withheld()

    def first(yes: bool | None) -> None:
        if not yes:
            withheld()
        elif offer.outside:
            screen.app.push_screen(
                ConfirmScreen(
                    f"WARNING: {one_line(offer.outside)}. Whoever runs {host} gets your "
                    "login's token and can act as you on the cluster. Send it there anyway?"
                ),
                second,
            )
        else:
            second(True)

    screen.app.push_screen(
        ConfirmScreen(
            f"{dep} has no token of its own. Send your own login's token (the kubeconfig's) "
            f"to {host}? Otherwise the request goes without a token."
        ),
        first,
    )
