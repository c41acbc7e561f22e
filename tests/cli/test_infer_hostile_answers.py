"""Issue 22 M6: every string a model server sends back (text, finish_reason, model names, output
names, error bodies) reaches stdout and stderr of `infer` / `infer --chat` shown, never obeyed. A
recording server answers in place of the model's route (--connect-to) with hostile strings."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from lab.control import env_vars
from tests.helpers.doctor_cli import run_doctor
from tests.helpers.faults import HOSTILE, RAW_BYTES, make_tls
from tests.helpers.recorder import Recorder

ROOT = Path(__file__).resolve().parents[2]
CHAT_HOST = "granite-llm-project.apps.rhoai-lab.test"
V2_HOST = "iris-auth-open.apps.rhoai-lab.test"
WHOLE = {
    "data": [{"id": "granite" + HOSTILE}],
    "choices": [{"message": {"content": HOSTILE}, "text": HOSTILE, "finish_reason": HOSTILE}],
    "usage": {"completion_tokens": 3},
    "model_name": HOSTILE,
    "outputs": [{"name": HOSTILE, "datatype": HOSTILE, "shape": [1], "data": [HOSTILE]}],
}
CHUNK = {"choices": [{"delta": {"content": HOSTILE}, "finish_reason": HOSTILE}]}
STREAM = f"data: {json.dumps(CHUNK)}\n\ndata: [DONE]\n\n".encode()
ANSWERS = {
    "chat-whole": (CHAT_HOST, ("--chat", "hi", "--no-stream"), 200, {}, json.dumps(WHOLE)),
    "chat-stream": (
        CHAT_HOST,
        ("--chat", "hi"),
        200,
        {"Content-Type": "text/event-stream"},
        STREAM,
    ),
    "chat-error": (CHAT_HOST, ("--chat", "hi"), 500, {}, json.dumps({"error": HOSTILE})),
    "v2-whole": (V2_HOST, ("--force",), 200, {}, json.dumps(WHOLE)),
    "v2-error": (V2_HOST, ("--force",), 400, {}, json.dumps({"error": HOSTILE})),
    "v2-text": (V2_HOST, ("--force",), 503, {"Content-Type": "text/plain"}, HOSTILE),
}


@pytest.mark.parametrize("case", sorted(ANSWERS))
def test_server_strings_are_shown_never_obeyed(lab, tmp_path, case) -> None:
    host, extra, status, headers, body = ANSWERS[case]
    project, name = ("llm-project", "granite") if host == CHAT_HOST else ("auth-open", "iris")
    tls = make_tls(tmp_path, host)
    raw = body if isinstance(body, bytes) else body.encode()
    env = {**os.environ, **env_vars(lab)}
    env.pop("RHOAI_DOCTOR_CONNECT_TO")
    with Recorder(tls, status=status, headers=headers, body=raw) as recorder:
        route = ("--connect-to", f"{host}:443:{recorder.address}", "--route-ca", tls.ca_file)
        out = run_doctor(
            ["infer", "-n", project, name, *extra, *route],
            timeout=120,
            cwd=ROOT,
            env=env,
        )
    assert any(s.method == "POST" for s in recorder.seen), out.stdout + out.stderr
    seen = out.stdout + out.stderr
    assert [c for c in RAW_BYTES if c in seen] == [], seen
