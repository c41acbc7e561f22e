"""`rhoai-doctor lab up|down|status|env`: start, stop and describe a lab process."""

from __future__ import annotations

import os
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path

from lab.field_scenarios import FIELD_SCENARIOS
from lab.scenarios import SCENARIOS
from lab.state import LabState, default_state_dir

READY_TIMEOUT_S = 90.0


class LabError(Exception):
    """A lab command could not do its job; the message is for a person."""


def _alive(pid: int | None) -> bool:
    """Running and not a zombie: an exited lab whose parent is gone waits for init to reap it."""
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state != "Z"


def state_for(path: str | None) -> LabState:
    return LabState(Path(path).expanduser() if path else default_state_dir())


def running_info(state: LabState) -> dict | None:
    info = state.info()
    if info and info.get("ready") and _alive(info.get("pid")):
        return info
    return None


def up(state: LabState, latency_ms: int = 0, bulk: str = "", fleet: str = "") -> dict:
    """Start the lab unless it runs already; return its info once it is ready."""
    if info := running_info(state):
        return info
    if _alive(state.pid()):
        down(state)
    state.prepare()
    state.info_file.unlink(missing_ok=True)
    with open(state.log_file, "wb") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "lab.daemon",
                "--state",
                str(state.root),
                "--latency-ms",
                str(latency_ms),
                *(["--bulk", bulk] if bulk else []),
                *(["--fleet", fleet] if fleet else []),
            ],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            cwd=str(Path(__file__).resolve().parent.parent),
        )
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            tail = state.log_file.read_text(errors="replace").strip().splitlines()[-5:]
            raise LabError("the lab failed to start: " + (" | ".join(tail) or "no output"))
        info = state.info()
        if info and info.get("ready"):
            return info
        time.sleep(0.05)
    process.terminate()
    raise LabError(
        f"the lab did not become ready within {READY_TIMEOUT_S:.0f} s (log: {state.log_file})"
    )


def down(state: LabState) -> bool:
    """Stop the lab and wait until its process is gone; False when none was running."""
    pid = state.pid()
    if not _alive(pid):
        state.info_file.unlink(missing_ok=True)
        state.pid_file.unlink(missing_ok=True)
        return False
    assert pid is not None
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + 10
    while _alive(pid) and time.monotonic() < deadline:
        _reap(pid)
        time.sleep(0.05)
    if _alive(pid):
        os.killpg(pid, signal.SIGKILL)
        _reap(pid)
    state.info_file.unlink(missing_ok=True)
    state.pid_file.unlink(missing_ok=True)
    return True


def _reap(pid: int) -> None:
    """Collect the exit status when the lab is our own child, so it leaves no zombie."""
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        pass


def env_vars(info: dict) -> dict[str, str]:
    """What a shell (or a test) needs to use this lab: kubeconfig, route addressing, route CA."""
    return {
        "KUBECONFIG": info["kubeconfig"],
        "RHOAI_DOCTOR_CONNECT_TO": connect_to(info),
        "RHOAI_DOCTOR_ROUTE_CA": info["ca_file"],
    }


def env_lines(info: dict) -> list[str]:
    return [f"export {key}={shlex.quote(value)}" for key, value in env_vars(info).items()]


def connect_to(info: dict) -> str:
    """curl's --connect-to syntax: every route host of the lab goes to the lab's router."""
    return f"*.{info['apps_domain']}:443:{info['router']}"


def describe(info: dict) -> list[str]:
    lines = [
        f"lab running (pid {info['pid']}), ready in {info['startup_seconds']} s",
        f"  kubeconfig  {info['kubeconfig']}  (contexts: lab-admin, developer)",
        f"  API server  {info['api']}",
        f"  routes      *.{info['apps_domain']} -> {info['router']}",
        f"  S3          {info['s3']}",
        f"  console     {info['console']}  (a MinIO console look-alike, not S3)",
        "  scenarios:",
    ]
    width = max(len(s.project) for s in SCENARIOS)
    for scenario in SCENARIOS:
        mark = "healthy" if scenario.healthy else f"broken ({scenario.root_cause})"
        if scenario.warns:
            mark = f"works, warns ({scenario.warns})"
        lines.append(
            f"    {scenario.project:<{width}}  {scenario.platform:<9}  "
            f"{scenario.deployment:<16} {mark}: {scenario.title}"
        )
    for field in FIELD_SCENARIOS:
        mark = "healthy" if field.healthy else f"{field.verdict} ({field.root_cause})"
        lines.append(
            f"    {field.project:<{width}}  {field.kind:<9}  {field.deployment:<16} {mark}: "
            f"{field.title}"
        )
    return lines
