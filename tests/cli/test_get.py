"""`rhoai-doctor get` and friends, run as a user runs them."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from lab.field_scenarios import FIELD_DEPLOYMENTS
from lab.scenarios import SCENARIOS
from tests.helpers.doctor_cli import run_doctor

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return run_doctor(
        [*args],
        timeout=60,
        cwd=ROOT,
        env=env,
    )


def test_get_deployments_table(kubeconfig: Path) -> None:
    out = run("get", "deployments", "--kubeconfig", str(kubeconfig), "-n", "iris-project")
    assert out.returncode == 0, out.stderr
    header, row = out.stdout.splitlines()
    assert header.split() == ["NAME", "STATE", "PLATFORM", "FORMAT", "RUNTIME", "KIND", "AGE"]
    assert row.split()[:5] == ["iris-model", "Loaded", "modelmesh", "onnx:1", "model-server"]


def test_diagnose_adds_verdict_and_root_cause_and_is_refused_where_it_cannot(
    kubeconfig: Path,
) -> None:
    out = run(
        "get", "deployments", "--kubeconfig", str(kubeconfig), "-n", "wrong-path", "--diagnose"
    )
    assert out.returncode == 0, out.stderr
    header, row = out.stdout.splitlines()
    assert header.split()[-3:] == ["VERDICT", "ROOT", "CAUSE"]
    assert row.split()[0] == "fraud" and " fail " in row and "bucket-path" in row, row
    for argv in (("servers", "--diagnose"), ("deployments", "--diagnose", "-o", "json")):
        out = run("get", *argv, "--kubeconfig", str(kubeconfig), "-n", "wrong-path")
        assert out.returncode == 2 and out.stdout == "", out
        assert out.stderr.count("\n") == 1 and "check --all -o json" in out.stderr, out.stderr


@pytest.mark.parametrize(
    ("project", "state"),
    [
        ("unschedulable", "FailedToLoad · Unschedulable"),
        ("oom-crashloop", "Pending · CrashLoopBackOff (OOMKilled)"),
    ],
)
def test_get_says_the_same_state_word_as_the_console(kubeconfig: Path, project, state) -> None:
    """One state word, computed in the model: the dashboard's word plus our reason."""
    out = run("get", "isvc", "--kubeconfig", str(kubeconfig), "-n", project)
    assert out.returncode == 0, out.stderr
    assert state in out.stdout.splitlines()[1]


def test_get_all_namespaces_has_a_namespace_column(kubeconfig: Path) -> None:
    out = run("get", "deployments", "-A", "--kubeconfig", str(kubeconfig))
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0].startswith("NAMESPACE")
    assert len(lines) == 1 + len(SCENARIOS) + FIELD_DEPLOYMENTS


def test_output_through_a_pipe_is_whole_and_a_reader_that_stops_early_gets_no_error(
    kubeconfig: Path,
) -> None:
    """Real processes, stdout a pipe, as a shell runs `get … > file` and `get … | head` (no
    PYTHONUNBUFFERED: a user's shell does not set it, so Python buffers stdout): a small
    table and a large JSON arrive whole (the run ends without the interpreter's teardown,
    flushing first); a reader that closes the pipe after 10 bytes leaves exit 0, no stderr."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    doctor = [sys.executable, "-m", "rhoai_doctor", "--kubeconfig", str(kubeconfig), "get"]

    def whole(*what: str) -> bytes:
        done = subprocess.run([*doctor, *what], cwd=ROOT, env=env, capture_output=True, timeout=60)
        assert done.returncode == 0, done.stderr
        return done.stdout

    assert b"iris-model" in whole("deployments", "-n", "iris-project")  # less than a buffer
    big = whole("events", "-A", "-o", "json")
    assert len(big) > 65536  # more than a pipe holds: written in many pieces
    assert json.loads(big)["items"]  # cut anywhere, it would not parse
    reader = subprocess.Popen(
        [*doctor, "events", "-A", "-o", "json"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert reader.stdout is not None and reader.stderr is not None
    reader.stdout.read(10)
    reader.stdout.close()
    said = reader.stderr.read()
    assert reader.wait(timeout=60) == 0
    assert said == b""


def test_connections_never_show_secret_values(kubeconfig: Path, lab: dict) -> None:
    secret = lab["s3_credentials"]["secret_access_key"]
    for output in ("table", "wide", "json", "yaml"):
        out = run("get", "connections", "-A", "--kubeconfig", str(kubeconfig), "-o", output)
        assert out.returncode == 0, out.stderr
        assert secret not in out.stdout and lab["s3_credentials"]["access_key_id"] not in out.stdout
    secrets = run(
        "get", "secrets", "-n", "iris-project", "--kubeconfig", str(kubeconfig), "-o", "json"
    )
    assert "default-name-model-server-sa" in secrets.stdout
    tokens = [
        s["data"]["token"] for s in json.loads(secrets.stdout)["items"] if "token" in s["data"]
    ]
    assert tokens and all(t in ("••••••••", "<empty>") for t in tokens)


def test_forbidden_kind_is_one_line_and_exit_2(kubeconfig: Path) -> None:
    out = run("get", "secrets", "--kubeconfig", str(kubeconfig), "--context", "developer")
    assert out.returncode == 2
    assert out.stderr.strip() == "error: you cannot list secrets in iris-project: forbidden"
    ok = run("get", "pods", "--kubeconfig", str(kubeconfig), "--context", "developer")
    assert ok.returncode == 0 and "modelmesh-serving-model-server" in ok.stdout


@pytest.mark.parametrize("kind", ["projects", "pods", "deployments"])
def test_api_server_down_is_one_line_and_exit_2(tmp_path: Path, kind: str) -> None:
    out = run(
        "get",
        kind,
        "--server",
        "https://127.0.0.1:9",
        "--token",
        "x",
        "--kubeconfig",
        str(_empty_kubeconfig(tmp_path)),
    )
    assert out.returncode == 2
    assert len(out.stderr.strip().splitlines()) == 1
    assert "refused the connection" in out.stderr
    assert "Traceback" not in out.stderr


def _empty_kubeconfig(tmp_path: Path) -> Path:
    path = tmp_path / "config"
    path.write_text(
        "apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\ncurrent-context: ''\n"
    )
    return path


def test_no_cluster_configured_is_one_line(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "KUBECONFIG": ""}
    out = run("get", "projects", env=env)
    assert out.returncode == 2
    assert out.stderr.startswith("error: no cluster configured")


def test_html_instead_of_an_api_server(lab: dict, tmp_path: Path) -> None:
    out = run(
        "get",
        "pods",
        "--server",
        lab["console"],
        "--token",
        "x",
        "-n",
        "x",
        "--kubeconfig",
        str(_empty_kubeconfig(tmp_path)),
    )
    assert out.returncode == 2
    assert "not JSON" in out.stderr and "Traceback" not in out.stderr


def test_an_api_server_that_never_answers_times_out_in_one_line(tmp_path: Path) -> None:
    import socket
    import threading

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])  # accept, then never answer
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        port = listener.getsockname()[1]
        out = run(
            "get",
            "pods",
            "--server",
            f"http://127.0.0.1:{port}",
            "--token",
            "x",
            "-n",
            "x",
            "--request-timeout",
            "1",
            "--kubeconfig",
            str(_empty_kubeconfig(tmp_path)),
        )
    finally:
        stop.set()
        thread.join()
        for conn in held:
            conn.close()
        listener.close()
    assert out.returncode == 2
    assert "did not answer in time" in out.stderr and "Traceback" not in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("flag", "words"),
    [
        (["--request-timeout", "nan"], "give a number of seconds above 0"),
        (["--connect-to", "a:443:b:99999"], "a port is 1 to 65535"),
        (["--connect-to", "a:b"], "--connect-to wants HOST1:PORT1:HOST2:PORT2"),
    ],
)
def test_bad_flags_are_one_line_and_exit_2(kubeconfig: Path, flag, words) -> None:
    out = run("get", "projects", "--kubeconfig", str(kubeconfig), *flag)
    assert out.returncode == 2, out.stdout + out.stderr
    assert words in out.stderr and "Traceback" not in out.stderr


def test_an_api_server_that_drips_ends_at_the_deadline_in_one_line(tmp_path: Path) -> None:
    """Headers at once, then a byte a second: --request-timeout bounds the whole request."""
    import time

    from tests.helpers.faults import FaultServer

    with FaultServer("drip") as server:
        started = time.monotonic()
        out = run(
            "get",
            "pods",
            "--server",
            f"http://127.0.0.1:{server.port}",
            "--token",
            "x",
            "-n",
            "x",
            "--request-timeout",
            "2",
            "--kubeconfig",
            str(_empty_kubeconfig(tmp_path)),
        )
        elapsed = time.monotonic() - started
    assert out.returncode == 2, out.stdout + out.stderr
    assert "did not answer in time" in out.stderr and "2 s (--request-timeout)" in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1
    assert elapsed < 2 + 4  # the deadline, plus the interpreter's start-up and exit


def test_connections_show_their_type_and_no_pull_secret(kubeconfig: Path, lab: dict) -> None:
    """3.x connections by their annotations: S3, URI and OCI in the TYPE column; the OCI pull
    secret's password never printed, its registry host shown."""
    rows = {}
    for ns in ("conn-uri-dns", "conn-oci-auth", "conn-bucket-root", "iris-project"):
        out = run("get", "connections", "-n", ns, "--kubeconfig", str(kubeconfig))
        assert out.returncode == 0, out.stderr
        header, *lines = out.stdout.splitlines()
        assert "TYPE" in header.split()
        rows[ns] = lines
    assert [line.split()[0] for line in rows["conn-uri-dns"]] == ["granite-uri"]
    assert " URI " in rows["conn-uri-dns"][0]
    assert "models.example.invalid" in rows["conn-uri-dns"][0]
    assert " OCI " in rows["conn-oci-auth"][0] and lab["registry"] in rows["conn-oci-auth"][0]
    assert " S3 " in rows["conn-bucket-root"][0] and " S3 " in rows["iris-project"][0]
    wide = run("get", "connections", "-A", "--kubeconfig", str(kubeconfig), "-o", "json")
    planted = base64.b64encode(b"lab-puller:not-the-password").decode()
    assert wide.returncode == 0 and "OCI" in wide.stdout
    assert "not-the-password" not in wide.stdout and planted not in wide.stdout
