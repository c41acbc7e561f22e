"""`lab up` / `lab down` as a user runs them: a separate lab in its own state dir."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse


def _listening(address: str) -> bool:
    host, port = address.rsplit(":", 1)
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, int(port))) == 0


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "rhoai_doctor", *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(__file__).resolve().parents[2],
    )


def test_up_env_status_down_leaves_nothing_behind(tmp_path: Path) -> None:
    state = str(tmp_path / "lab")
    up = _cli("lab", "up", "--state", state)
    assert up.returncode == 0, up.stderr
    assert "iris-project" in up.stdout
    assert up.stdout.rstrip().endswith(
        f'next: eval "$(rhoai-doctor lab env --state {state})" and run rhoai-doctor'
    )
    again = _cli("lab", "up", "--state", state)
    assert again.stdout.startswith("the lab is already running"), again.stdout
    env = _cli("lab", "env", "--state", state)
    assert env.stdout.startswith(f"export KUBECONFIG={state}/kubeconfig")
    import json

    info = json.loads(Path(state, "lab.json").read_text())
    addresses = [
        urlparse(info["api"]).netloc,
        info["router"],
        urlparse(info["s3"]).netloc,
        urlparse(info["console"]).netloc,
    ]
    assert all(a.startswith("127.0.0.1:") for a in addresses)
    assert all(_listening(a) for a in addresses)
    assert oct(os.stat(Path(state, "kubeconfig")).st_mode & 0o777) == "0o600"
    assert _cli("lab", "status", "--state", state).returncode == 0

    down = _cli("lab", "down", "--state", state)
    assert down.returncode == 0 and "lab stopped" in down.stdout
    assert not any(_listening(a) for a in addresses)
    try:
        os.kill(info["pid"], 0)
        alive = Path(f"/proc/{info['pid']}/status").read_text().find("State:\tZ") < 0
    except ProcessLookupError:
        alive = False
    assert not alive
    assert _cli("lab", "status", "--state", state).returncode == 1
