"""`rhoai-doctor check` on the 3.x connection scenarios, run as a user runs it after `lab env`:
the URI host that does not resolve, the registry that refuses the pull secret, the modelcar with
nothing under /models, and the empty path over two models at the bucket root."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from lab.control import env_vars
from tests.helpers.doctor_cli import run_doctor

ROOT = Path(__file__).resolve().parents[2]


def check(lab: dict, *args: str) -> subprocess.CompletedProcess:
    return run_doctor(
        ["check", *args],
        timeout=120,
        cwd=ROOT,
        env={**os.environ, **env_vars(lab)},
    )


@pytest.mark.parametrize(
    ("project", "name", "failed_line", "words"),
    [
        (
            "conn-uri-dns",
            "granite",
            "[✗] Data connection (data-connection)",
            ["the URI's host models.example.invalid does not resolve from here"],
        ),
        (
            "conn-oci-auth",
            "iris",
            "[✗] Data connection (data-connection)",
            ["unauthorized: registry", "rejects the pull secret's credentials", "HTTP 401"],
        ),
        (
            "conn-oci-empty",
            "iris",
            "[✗] Runtime pods (runtime-pods)",
            ["has no files under /models", "modelcar-init"],
        ),
        (
            "conn-bucket-root",
            "fraud",
            "[✗] Model files in the bucket (bucket-path)",
            ["the path is empty", "fraud.onnx, pricing.onnx", "ambiguous"],
        ),
    ],
)
def test_check_names_the_connection_fault(lab, project, name, failed_line, words) -> None:
    out = check(lab, "-n", project, name)
    assert out.returncode == 1, out.stdout + out.stderr
    assert "Traceback" not in out.stderr
    assert failed_line in out.stdout, out.stdout
    text = " ".join(out.stdout.split())
    for word in words:
        assert word in text, out.stdout
    assert sum(line.startswith("[✗]") for line in out.stdout.splitlines()) == 1, out.stdout


def test_the_pull_secrets_password_is_never_printed(lab) -> None:
    out = check(lab, "-n", "conn-oci-auth", "iris", "-o", "json")
    assert out.returncode == 1
    assert "not-the-password" not in out.stdout
    assert lab["registry"] in out.stdout  # the registry host is a name, not a secret


def test_a_uri_that_does_not_resolve_is_bounded_by_the_request_timeout(lab) -> None:
    out = check(lab, "-n", "conn-uri-dns", "granite", "--request-timeout", "2")
    assert out.returncode == 1 and "does not resolve" in out.stdout
