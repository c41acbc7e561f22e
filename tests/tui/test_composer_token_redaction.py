"""Issue 22 M5 and the file-modes minor in the console: a token secret with a newline inside is
not sent, and when a model server quotes it back (JSON-escaped) neither the composer's panes nor
the history file show it; the history file is 0600 in 0700 folders, as is console.toml."""

from __future__ import annotations

import base64
import json
import stat

from textual.widgets import Static

from tests.helpers import drive, main_screen, make_app, secret_value, until
from tests.helpers.faults import make_tls
from tests.helpers.recorder import Recorder
from tests.helpers.relay import Relay
from tui.screens.composer import ComposerScreen
from tui.screens.confirm import ConfirmScreen

HOST = "iris-std-healthy.apps.rhoai-lab.test"
SECRET = "default-name-iris-sa"


def with_newline(token: str) -> str:
    return f"{token[:30]}\n{token[30:]}"


def rewrite(path: str, body: bytes) -> bytes:
    if "/secrets" not in path:
        return body
    doc = json.loads(body)
    for item in doc.get("items", [doc]):
        data = item.get("data") or {}
        if item.get("metadata", {}).get("name") == SECRET and "token" in data:
            token = base64.b64decode(data["token"]).decode()
            data["token"] = base64.b64encode(with_newline(token).encode()).decode()
    return json.dumps(doc).encode()


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_composer_and_history_never_show_the_token(lab, admin_client, tmp_path, monkeypatch):
    state, config = tmp_path / "state", tmp_path / "config"
    monkeypatch.setenv("XDG_STATE_HOME", str(state))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    token = secret_value(admin_client, "std-healthy", SECRET, "token")
    quoted = json.dumps(with_newline(token))[1:-1]  # abc\\ndef: how a JSON answer quotes it
    answer = json.dumps({"error": f"token rejected: {quoted}"}).encode()
    (tmp_path / "route").mkdir()
    (tmp_path / "api").mkdir()
    tls = make_tls(tmp_path / "route", HOST)
    with (
        Relay(lab, rewrite, tmp_path / "api") as relay,
        Recorder(tls, status=401, body=answer) as recorder,
    ):
        flags = (
            *("--kubeconfig", str(relay.kubeconfig), "--route-ca", tls.ca_file),
            *("--connect-to", f"{HOST}:443:{recorder.address}"),
        )
        shown: list[str] = []

        async def scenario(pilot) -> None:
            await main_screen(pilot, "std-healthy")
            await pilot.press("1", "i")
            await until(
                pilot,
                lambda: isinstance(pilot.app.screen, ComposerScreen) and pilot.app.screen.request,
                20,
            )
            composer = pilot.app.screen
            await until(pilot, lambda: composer.editor.text.strip() != "")
            await pilot.press("ctrl+s")
            await until(pilot, lambda: isinstance(pilot.app.screen, ConfirmScreen))
            await pilot.press("n")
            pane = composer.query_one("#answer", Static)
            await until(pilot, lambda: "401" in str(pane.render()))
            shown.append(str(composer.query_one("#notes", Static).render()))
            shown.append(str(pane.render()))

        drive(make_app(lab, "lab-admin", *flags), scenario)
    assert any(s.method == "POST" for s in recorder.seen)
    assert not any(s.carries(token[:30]) for s in recorder.seen)
    history = state / "rhoai-doctor" / "history" / "std-healthy__iris.jsonl"
    shown.append(history.read_text())
    parts = (token[:30], token[30:], token[-40:])
    assert [p for p in parts if any(p in text for text in shown)] == [], shown
    assert "holds a space, newline or control character inside it" in shown[0]
    assert mode(history) == 0o600
    assert mode(history.parent) == mode(history.parent.parent) == 0o700
    for toml in config.glob("rhoai-doctor/*.toml"):
        assert mode(toml) == 0o600 and mode(toml.parent) == 0o700
