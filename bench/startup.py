"""Start-up speed, each beside kubectl on the same lab, in one run (issue 14's rows; the goals are
issue 24's, on well-kept libraries: httpx for the API, no import hook):

- the console, process start to the first frame that shows the projects and a deployment's
  state, in a real pseudo-terminal (goal <= 0.6 s);
- `rhoai-doctor get deployments -A` beside `kubectl get inferenceservices -A` (goal <= 2x);
- `rhoai-doctor check -n iris-project iris-model`, every check, wall (goal <= 0.6 s), beside
  kubectl reading that one object.

Median of 7; the commands take turns round by round, so a busy neighbour slows all of them
alike. Bytecode is compiled first, as an installed package has it."""

from __future__ import annotations

import compileall
import fcntl
import os
import pty
import select
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from collections.abc import Callable
from pathlib import Path

from bench.common import private_lab
from bench.installed import installed_python
from bench.targets import Target, record
from checks.resources.tables import table
from lab.control import env_vars

ROOT = Path(__file__).parent.parent
RUNS = 7
DRAW_TIMEOUT_S = 20.0
# On the first frame with data: the project asked for, in the list, and its deployment's state.
# (-n picks it, as `oc project` would: which project sorts first changes as the lab grows.)
CONSOLE_ARGS = ("-n", "iris-project")
FIRST_FRAME = (b"iris-project", b"Loaded")
CONSOLE_GOAL_S = 0.6
GET_GOAL_RATIO = 2.0
CHECK_GOAL_S = 0.6


def timed(command: list[str], env: dict) -> float:
    started = time.perf_counter()
    subprocess.run(command, env=env, cwd=ROOT, check=True, capture_output=True)
    return time.perf_counter() - started


def until_drawn(
    command: list[str], env: dict, markers: tuple[bytes, ...], screen: bytearray | None = None
) -> float:
    """Start the console in a pseudo-terminal, as a person's terminal would, and time until
    every marker is on screen; then quit it with q. The finish line is watched from here:
    nothing in the product knows it is being measured. `screen` gets what the terminal got
    until the first frame with every marker."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 36, 120, 0, 0))
    started = time.perf_counter()
    process = subprocess.Popen(
        command, stdin=slave, stdout=slave, stderr=slave, env=env, cwd=ROOT, close_fds=True
    )
    os.close(slave)
    seen = b""
    deadline = started + DRAW_TIMEOUT_S  # the clock redraws every second: bound the whole wait
    try:
        while not all(marker in seen for marker in markers):
            left = deadline - time.perf_counter()
            ready, _, _ = select.select([master], [], [], max(left, 0))
            if not ready:
                missing = [m for m in markers if m not in seen]
                raise RuntimeError(f"the console drew no {missing!r} in {DRAW_TIMEOUT_S} s")
            seen += os.read(master, 65536)
        elapsed = time.perf_counter() - started
        if screen is not None:
            screen += seen
        os.write(master, b"q")
        drain_until_exit(master, process, seconds=10)
    finally:
        if process.poll() is None:
            process.kill()
        os.close(master)
    return elapsed


def drain_until_exit(master: int, process: subprocess.Popen, seconds: float) -> None:
    """Keep reading the terminal while the console quits: a pseudo-terminal nobody reads
    fills up, and the console would block on its last frame instead of exiting."""
    deadline = time.perf_counter() + seconds
    while process.poll() is None:
        if time.perf_counter() > deadline:
            raise RuntimeError(f"the console did not quit within {seconds} s of q")
        ready, _, _ = select.select([master], [], [], 0.1)
        if ready:
            try:
                os.read(master, 65536)
            except OSError:  # the console closed its end
                process.wait(timeout=seconds)
                return


def _rounds(measures: dict[str, Callable[[], float]]) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {name: [] for name in measures}
    for _ in range(RUNS):
        for name, measure in measures.items():
            times[name].append(measure())
    return times


def main() -> None:
    for package in ("checks", "tui", "rhoai_doctor"):
        compileall.compile_dir(ROOT / package, quiet=1)
    kubectl = shutil.which("kubectl")
    with private_lab() as lab, tempfile.TemporaryDirectory(prefix="rhoai-bench-xdg-") as xdg:
        # The console's remembered preferences live in a scratch home, not the user's.
        env = {**os.environ, **env_vars(lab), "TERM": "xterm-256color", "XDG_CONFIG_HOME": xdg}
        python, how = installed_python()
        ours = [python, "-m", "rhoai_doctor"]
        measures: dict[str, Callable[[], float]] = {
            "console": lambda: until_drawn([*ours, *CONSOLE_ARGS], env, FIRST_FRAME),
            "get": lambda: timed([*ours, "get", "deployments", "-A"], env),
            "get (dev venv)": lambda: timed(
                [sys.executable, "-m", "rhoai_doctor", "get", "deployments", "-A"], env
            ),
            "check": lambda: timed([*ours, "check", "-n", "iris-project", "iris-model"], env),
            "python": lambda: timed([python, "-c", "pass"], env),
            # the floor: a minimal Textual app drawing the same markers (bench/textual_floor.py)
            "textual": lambda: until_drawn([python, "-m", "bench.textual_floor"], env, FIRST_FRAME),
        }
        if kubectl:
            measures["kubectl -A"] = lambda: timed([kubectl, "get", "inferenceservices", "-A"], env)
            one = [kubectl, "get", "inferenceservices", "-n", "iris-project", "iris-model"]
            measures["kubectl one"] = lambda: timed([*one, "-o", "yaml"], env)
        times = _rounds(measures)
    median = {name: statistics.median(values) for name, values in times.items()}
    what = {
        "console": "rhoai-doctor (console): process start to projects + deployments drawn",
        "get": "rhoai-doctor get deployments -A",
        "get (dev venv)": "the same, in the development venv (lab and test packages beside it)",
        "check": "rhoai-doctor check -n iris-project iris-model (all 12 checks)",
        "kubectl -A": "kubectl get inferenceservices -A",
        "kubectl one": "kubectl get inferenceservices -n iris-project iris-model -o yaml",
        "python": 'python -c "pass" (the interpreter alone)',
        "textual": "a minimal Textual app (header, 20-row table, footer) to its first frame",
    }
    goals = {
        "console": f"<= {CONSOLE_GOAL_S} s",
        "get": f"<= {GET_GOAL_RATIO}x kubectl",
        "check": f"<= {CHECK_GOAL_S} s",
    }
    print(f"median and best of {RUNS}, the commands taking turns; lab on loopback")
    print(f"rhoai-doctor runs in {how}")
    print(
        table(
            ("WHAT", "MEDIAN (S)", "BEST (S)", "GOAL"),
            [
                (what[n], f"{median[n]:.3f}", f"{min(times[n]):.3f}", goals.get(n, "-"))
                for n in times
            ],
        )
    )
    print(f"load average: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    peer_all = median.get("kubectl -A")
    peer_one = median.get("kubectl one")
    rows = (  # (name, what the row says, met, peer, peer's name)
        (
            "console",
            "console cold start to the first frame with data",
            median["console"] <= CONSOLE_GOAL_S,
            peer_all,
            "kubectl get isvc -A",
        ),
        (
            "get",
            "get deployments -A",
            peer_all is not None and median["get"] <= GET_GOAL_RATIO * peer_all,
            peer_all,
            "kubectl get isvc -A",
        ),
        (
            "check",
            "check on one healthy deployment",
            median["check"] <= CHECK_GOAL_S,
            peer_one,
            "kubectl get isvc NAME -o yaml, no diagnosis",
        ),
    )
    for name, row, met, peer, peer_name in rows:
        record(
            Target(
                row=row,
                ours=median[name],
                unit="s",
                goal=goals[name],
                met=met,
                peer=peer,
                peer_name=peer_name if peer else "",
            )
        )


if __name__ == "__main__":
    main()
