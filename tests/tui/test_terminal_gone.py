"""A console whose terminal goes away without a SIGHUP (an SSH session that died, a window closed
under a process that does not own the terminal) ends, instead of living on with Textual's input
thread reading end-of-file at 100 % of a core (Textualize/textual#6690). Run as a user runs it,
`python -m rhoai_doctor`, on a pseudo-terminal that is not its controlling terminal."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
import time
from pathlib import Path

from tests.helpers.bundles import BUNDLES
from tests.helpers.pty_console import ROOT


def test_the_console_ends_when_its_terminal_is_gone(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "TERM": "xterm-256color",
        "PYTHONPATH": str(ROOT),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_STATE_HOME": str(tmp_path / "state"),
    }
    master, terminal = pty.openpty()
    console = subprocess.Popen(
        [sys.executable, "-m", "rhoai_doctor", "--from", str(BUNDLES / "iris-project.tar.gz")],
        stdin=terminal, stdout=terminal, stderr=terminal, env=env, cwd=ROOT, close_fds=True,
    )  # fmt: skip
    os.close(terminal)
    try:
        shown, deadline = b"", time.monotonic() + 60
        while b"read-only" not in shown and time.monotonic() < deadline:
            shown += os.read(master, 65536)
        assert b"read-only" in shown, shown[-2000:]
        os.close(master)  # the terminal is gone; no signal is sent
        master = -1
        try:
            code = console.wait(timeout=10)
        except subprocess.TimeoutExpired:
            raise AssertionError("the console lived on without its terminal") from None
        assert code == 130
    finally:
        if master >= 0:
            os.close(master)
        if console.poll() is None:
            console.kill()
            console.wait()
