"""Start-up stays light (issue 14): the real entry point, run as a user runs it, never loads the
S3 (boto3), ONNX or kubernetes libraries for `get` or for the console's first frame, nor the
check catalog for `get`. Python's own import log (-X importtime) says what was loaded."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bench.startup import CONSOLE_ARGS, FIRST_FRAME, until_drawn
from lab.control import env_vars

ROOT = Path(__file__).resolve().parents[2]
CHECK_ONE = ("check", "-n", "iris-project", "iris-model")
HEAVY = {"boto3", "botocore", "onnx", "onnxruntime", "kubernetes"}


def imported(log: str) -> set[str]:
    """Module names from -X importtime lines (`import time: self | cumulative | name`)."""
    return {
        line.rsplit("|", 1)[1].strip()
        for line in log.replace("\r", "\n").splitlines()
        if line.startswith("import time:") and line.count("|") == 2
    }


def logged_run(lab: dict, *argv: str) -> subprocess.CompletedProcess[str]:
    """`rhoai-doctor ARGV` on the lab under -X importtime (its log on stderr); it must succeed."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "rhoai_doctor", *argv],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        env={**env_vars(lab), "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done


def test_get_imports_no_heavy_library(lab: dict) -> None:
    done = logged_run(lab, "get", "deployments", "-A")
    assert "iris-model" in done.stdout
    modules = imported(done.stderr)
    assert "checks.cluster.kube" in modules  # the log is read right: what `get` needs is in it
    assert not {m.split(".")[0] for m in modules} & HEAVY
    # httpx's package imports its command line (click, rich, pygments) when click is installed,
    # as in the dev environment: no hook stops it any more (issue 24); textual never comes
    assert not {"checks.catalog", "textual"} & modules
    # the API path is httpx (checks.cluster.api_http); the route code waits for a route
    assert "checks.cluster.api_http" in modules
    assert (
        not {"checks.endpoints.routes", "ijson", "kubernetes", "checks.cluster.exec_credential"}
        & modules
    )


def test_check_reads_s3_through_boto3_as_the_storage_initializer(lab: dict) -> None:
    """`check` on one deployment lists the bucket and reads the ONNX file with boto3, as the
    storage initializer would (issue 23); `get` and the console's first frame never load it."""
    done = logged_run(lab, *CHECK_ONE)
    assert "iris/rf_iris.onnx: ONNX" in done.stdout
    modules = imported(done.stderr)
    assert {"checks.storage.s3_boto", "boto3", "botocore"} <= modules


def test_console_first_frame_imports_no_heavy_library(lab: dict, tmp_path: Path) -> None:
    screen = bytearray()
    env = {
        **env_vars(lab),
        "PATH": "/usr/bin:/bin",
        "TERM": "xterm-256color",
        "XDG_CONFIG_HOME": str(tmp_path),
    }
    until_drawn(
        [sys.executable, "-X", "importtime", "-m", "rhoai_doctor", *CONSOLE_ARGS],
        env,
        FIRST_FRAME,
        screen,
    )
    modules = imported(screen.decode("utf-8", "replace"))
    assert {"textual.app", "tui.screens.main"} <= modules
    assert not {m.split(".")[0] for m in modules} & HEAVY
