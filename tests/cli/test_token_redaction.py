"""Issue 22 M5: a token is never printed, in any form. A token secret with a newline inside (the
API served through a relay that rewrites it, the lab untouched) is not sent and not printed by
`infer` or `check`; a model server that quotes the --token back (JSON-, URL-, shell-quoted) has
every form masked."""

from __future__ import annotations

import base64
import json
import os
import re
import shlex
import subprocess
from pathlib import Path
from urllib.parse import quote

import pytest

from lab.control import env_vars
from tests.helpers.doctor_cli import run_doctor
from tests.helpers.faults import make_tls
from tests.helpers.recorder import Recorder
from tests.helpers.relay import Relay

ROOT = Path(__file__).resolve().parents[2]
SECRET = "default-name-iris-sa"  # std-healthy/iris's token secret
seen_tokens: list[str] = []


def broken_token(path: str, body: bytes) -> bytes:
    """The secret's token with a newline after its 30th character, as a hand-made secret has."""
    if "/secrets" not in path:
        return body
    doc = json.loads(body)
    for item in doc.get("items", [doc]):
        data = item.get("data") or {}
        if item.get("metadata", {}).get("name") == SECRET and "token" in data:
            token = base64.b64decode(data["token"]).decode()
            seen_tokens.append(token)
            data["token"] = base64.b64encode(f"{token[:30]}\n{token[30:]}".encode()).decode()
    return json.dumps(doc).encode()


def run(env: dict, *args: str) -> subprocess.CompletedProcess:
    return run_doctor(
        [*args],
        timeout=120,
        cwd=ROOT,
        env=env,
    )


@pytest.mark.parametrize(
    "command",
    [("infer",), ("infer", "-o", "json"), ("check",), ("check", "-o", "json")],
)
def test_a_token_with_a_newline_inside_is_neither_sent_nor_printed(lab, tmp_path, command):
    with Relay(lab, broken_token, tmp_path) as relay:
        env = {**os.environ, **env_vars(lab), "KUBECONFIG": str(relay.kubeconfig)}
        out = run(env, *command[:1], "-n", "std-healthy", "iris", *command[1:])
    said = out.stdout + out.stderr
    assert seen_tokens, said
    token = seen_tokens[-1]
    parts = (token[:30], token[30:], token[30:][-40:], token[:30][:12])
    assert [p for p in parts if p in said] == [], said
    assert "Illegal header" not in said
    assert "holds a space, newline or control character inside it (character 31)" in said


def test_a_token_quoted_back_by_the_server_is_masked_in_every_form(lab, tmp_path) -> None:
    host = "iris-auth-open.apps.rhoai-lab.test"
    token = 'tok"en\\with%quotes&$sign-' + "x" * 24
    forms = {
        "raw": token,
        "json": json.dumps(token)[1:-1],
        "url": quote(token, safe=""),
        "shell": shlex.quote(token),
    }
    body = json.dumps({"error": "token rejected: " + " | ".join(forms.values()), "echo": forms})
    tls = make_tls(tmp_path, host)
    env = {**os.environ, **env_vars(lab)}
    env.pop("RHOAI_DOCTOR_CONNECT_TO")
    with Recorder(tls, status=401, body=body.encode()) as recorder:
        route = ["--connect-to", f"{host}:443:{recorder.address}", "--route-ca", tls.ca_file]
        table = run(env, "infer", "-n", "auth-open", "iris", "--token", token, "--force", *route)
        as_json = run(
            env, "infer", "-n", "auth-open", "iris", "--token", token, *route, "-o", "json"
        )
    assert recorder.carrying(token), table.stderr  # sent, and quoted back
    for out in (table, as_json):
        said = out.stdout + out.stderr
        assert "401" in said
        assert [name for name, form in forms.items() if form in said] == [], said
        assert not re.search(r"x{24}", said), said
