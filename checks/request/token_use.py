"""The token a model request goes with, shared by the v2 request and the OpenAI chat request:
where it came from (said, never printed), the request's redactor, and your login's token only
after you said yes (checks/engine/login_token.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from checks.engine.login_token import LoginTokenOffer, confirmed_source
from checks.engine.redaction import Redactor, request_redactor

if TYPE_CHECKING:
    from checks import resources
    from checks.engine.context import CheckContext


def token_hint(source: str, namespace: str) -> str:
    """How a person gets the $TOKEN a curl export refers to, without the tool printing it."""
    if source.startswith("secret "):
        name = source.removeprefix("secret ").split(" ", 1)[0]
        return (
            f"export TOKEN=$(oc get secret {name} -n {namespace} "
            "-o jsonpath='{.data.token}' | base64 -d)"
        )
    if source.startswith("your own token"):
        return "export TOKEN=$(oc whoami -t)"
    if source == "--token":
        return "export TOKEN=...  # the token you passed with --token"
    return f"# no token: {source}"


def token_note(token: str | None, source: str) -> str:
    """The note on the token: where it came from, or why none is sent."""
    return (
        source if token is None and source.startswith("no token sent") else f"token from {source}"
    )


class TokenUse:
    """What both request kinds do with their token (they are dataclasses with these fields)."""

    ctx: CheckContext
    token: str | None
    token_source: str
    notes: tuple[str, ...]
    login_offer: LoginTokenOffer | None
    _redactor: tuple[str | None, Redactor] | None

    @property
    def deployment(self) -> resources.Deployment:
        raise NotImplementedError

    @property
    def token_hint(self) -> str:
        return token_hint(self.token_source, self.deployment.namespace)

    def redact(self, text: str) -> str:
        """`text` with this request's token, yours and the project's token secrets masked."""
        if self._redactor is None or self._redactor[0] != self.token:
            self._redactor = (self.token, request_redactor(self.ctx, self.token))
        return self._redactor[1](text)

    def use_login_token(self) -> None:
        """You said yes to the composer's question: your login's token goes with this request."""
        if self.login_offer is not None and self.token is None:
            self.token = self.ctx.cluster.token
            self.token_source = confirmed_source(self.login_offer)
            self.login_offer = None
            self.notes = tuple(
                f"token from {self.token_source}" if n.startswith("no token sent") else n
                for n in self.notes
            )
