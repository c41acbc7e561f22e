"""Issue 22 (minors): a 3xx is not a pass. A route or a URI connection that redirects says where
to (no query, no control characters) and whether the client or the storage-initializer follows;
`infer` says it in one line, not "JSON that does not parse". A recording server answers 302 in
place of the model's route and of the URI's host (--connect-to)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from lab.control import env_vars
from tests.helpers.doctor_cli import run_doctor
from tests.helpers.faults import RAW_BYTES, make_tls
from tests.helpers.recorder import Recorder

ROOT = Path(__file__).resolve().parents[2]
ROUTE = "iris-auth-open.apps.rhoai-lab.test"
URI_HOST = "models.example.invalid"  # conn-uri-dns/granite's URI connection
LOCATION = "https://sso.example.test/login?signature=SIGNED-SECRET"


def run(
    lab: dict, tmp_path: Path, *args: str, location: str = LOCATION
) -> tuple[subprocess.CompletedProcess, Recorder]:
    tls = make_tls(tmp_path, ROUTE, URI_HOST)
    env = {**os.environ, **env_vars(lab)}
    env.pop("RHOAI_DOCTOR_CONNECT_TO")
    headers = {"Location": location}
    with Recorder(tls, status=302, headers=headers, body=b"<not json") as recorder:
        hosts = [f"--connect-to={h}:443:{recorder.address}" for h in (ROUTE, URI_HOST)]
        out = run_doctor(
            [*args, *hosts, "--route-ca", tls.ca_file],
            timeout=120,
            cwd=ROOT,
            env=env,
        )
    return out, recorder


def clean(out: subprocess.CompletedProcess) -> str:
    said = out.stdout + out.stderr
    assert "SIGNED-SECRET" not in said
    assert [c for c in RAW_BYTES if c in said] == []
    return said


def test_a_redirecting_route_is_not_reachable(lab, tmp_path) -> None:
    out, recorder = run(lab, tmp_path, "check", "-n", "auth-open", "iris")
    assert recorder.seen
    said = clean(out)
    line = next(x for x in said.splitlines() if "(route)" in x)
    assert line.startswith("[✗]"), said
    assert "302, a redirect to https://sso.example.test/login?…" in line


@pytest.mark.parametrize("output", ["table", "json"])
def test_infer_says_redirect_in_one_line(lab, tmp_path, output) -> None:
    out, _ = run(lab, tmp_path, "infer", "-n", "auth-open", "iris", "-o", output)
    said = clean(out)
    if output == "json":
        said = json.loads(out.stdout)["explanation"]
    assert "does not parse" not in said
    assert "a redirect to https://sso.example.test/login?…" in said
    explanation = [x for x in said.splitlines() if "a redirect to" in x]
    assert explanation and all("call the address it points at" in x for x in explanation)


def test_a_redirecting_uri_connection_is_a_warning_naming_the_target(lab, tmp_path) -> None:
    out, recorder = run(lab, tmp_path, "check", "-n", "conn-uri-dns", "granite")
    assert recorder.seen, out.stdout
    said = clean(out)
    line = next(x for x in said.splitlines() if "(data-connection)" in x)
    assert line.startswith("[!]"), said
    assert "302, a redirect to https://sso.example.test/login?…" in line
    assert "storage-initializer follows redirects" in line


def test_a_malformed_answer_is_said_in_our_words(lab, tmp_path) -> None:
    """A header h11 refuses (an escape sequence in Location): one line of ours, not h11's."""
    out, _ = run(lab, tmp_path, "infer", "-n", "auth-open", "iris", location=LOCATION + "\x1b[2J")
    said = clean(out)
    errors = [x for x in said.splitlines() if x.startswith("error:")]
    assert errors == [
        f"error: {ROUTE}: the answer does not follow HTTP/1.1 (a malformed status line or header)"
    ], said
