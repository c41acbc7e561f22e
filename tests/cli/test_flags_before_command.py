"""Connection flags stand before or after the sub-command, as with kubectl: given before it,
they were silently dropped (the sub-command's own default replaced them) and `get` read the
cluster of $KUBECONFIG instead of the one named."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from lab.control import env_vars
from tests.helpers.doctor_cli import run_doctor

ROOT = Path(__file__).resolve().parents[2]


def doctor(lab: dict, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, **env_vars(lab)}
    return run_doctor(
        [*args],
        timeout=120,
        cwd=ROOT,
        env=env,
    )


@pytest.mark.parametrize("command", ["get", "check", "inspect"])
def test_a_kubeconfig_named_before_the_command_is_the_one_read(lab, tmp_path, command) -> None:
    missing = tmp_path / "not-there.yaml"
    args = {"get": ["projects"], "check": ["-n", "iris-project", "iris-model"]}
    args["inspect"] = ["s3://models/x", "-n", "iris-project"]
    done = doctor(lab, "--kubeconfig", str(missing), command, *args[command])
    assert done.returncode == 2, done.stdout + done.stderr
    assert str(missing) in done.stderr


def test_a_namespace_and_context_before_the_command_are_used(lab) -> None:
    done = doctor(lab, "--context", "developer", "-n", "wrong-path", "get", "deployments")
    assert done.returncode == 0, done.stderr
    assert "fraud" in done.stdout and "iris-model" not in done.stdout
    after = doctor(lab, "get", "deployments", "--context", "developer", "-n", "wrong-path")
    assert names(after.stdout) == names(done.stdout)


def names(table: str) -> list[str]:
    return [line.split()[0] for line in table.splitlines()[1:]]
