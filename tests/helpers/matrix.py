"""The fault matrix as data: where a fault goes (the API server, S3, a model route), which
command meets it, and how each command is run against the lab with the fault in place."""

from __future__ import annotations

import re
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from tests.helpers.faults import FAULTS, FaultServer, Tls, make_tls

DEADLINE = 2.0  # --request-timeout for every cell
MARGIN = 4.0  # start-up and a loaded 2-core machine; each command must end by DEADLINE + MARGIN
TARGETS = ("api", "s3", "route")
COMMANDS = ("get", "check", "infer", "inspect", "console")
NOT_REACHED = {("s3", "get"), ("route", "get"), ("route", "inspect")}  # they never call it
PROJECT, DEPLOYMENT = "iris-project", "iris-model"
MODEL_URI = "s3://iris-project-models/iris/rf_iris.onnx"

# Words that name each fault: the one line a user reads must say what happened.
NAMES = {
    "refused": ("refused",),
    "hang": ("did not answer", "deadline", "timed out", "within"),
    "drip": ("did not answer", "deadline", "timed out", "within"),
    "500": ("500", "internal server error"),
    "401": ("401", "unauthorized", "rejected", "not accepted", "invalid or expired"),
    "403": ("403", "forbidden", "denied"),
    "404": ("404", "not found", "nosuchbucket"),
    "html": ("html",),
    "truncated": ("cut its answer short", "broke before the answer was complete"),
    "huge": ("more than 16 mib", "more than 64 mib", "ignores range requests"),
}


@dataclass(frozen=True)
class Cell:
    target: str
    fault: str
    command: str

    @property
    def id(self) -> str:
        return f"{self.target}-{self.fault}-{self.command}"


def cells(commands: tuple[str, ...] = COMMANDS) -> list[Cell]:
    return [
        Cell(target, fault, command)
        for target in TARGETS
        for fault in FAULTS
        for command in commands
        if (target, command) not in NOT_REACHED
    ]


COMMAND_ARGS = {
    "get": ["get", "deployments", "-n", PROJECT],
    "check": ["check", "-n", PROJECT, DEPLOYMENT],
    "infer": ["infer", "-n", PROJECT, DEPLOYMENT],
    "inspect": ["inspect", MODEL_URI, "--connection", "aws-connection-models", "-n", PROJECT],
}


def api_kubeconfig(directory: Path, server: str, name: str) -> Path:
    """A kubeconfig whose API server is the fault (plain HTTP: the fault, not TLS, is tested);
    one file per cell, as cells run side by side."""
    path = directory / f"kubeconfig-{name}"
    path.write_text(
        "apiVersion: v1\nkind: Config\ncurrent-context: fault\n"
        f"clusters:\n- name: fault\n  cluster:\n    server: {server}\n"
        "users:\n- name: someone\n  user:\n    token: sha256~faultmatrixtoken\n"
        "contexts:\n- name: fault\n  context: {cluster: fault, user: someone, namespace: "
        f"{PROJECT}}}\n"
    )
    return path


def route_tls(directory: Path, lab: dict) -> Tls:
    return make_tls(directory, f"*.{lab['apps_domain']}")


def flags_for(cell: Cell, server: FaultServer, lab: dict, directory: Path, tls: Tls) -> list[str]:
    """Connection flags that put `server` where the cell's target is, everything else the lab."""
    common = ["--request-timeout", str(DEADLINE)]
    if cell.target == "api":
        return [*common, "--kubeconfig", str(api_kubeconfig(directory, server.url, cell.id))]
    lab_route = f"*.{lab['apps_domain']}:443:{lab['router']}"
    flags = [*common, "--kubeconfig", lab["kubeconfig"], "--route-ca", lab["ca_file"]]
    if cell.target == "s3":
        s3 = lab["s3"].split("://", 1)[1]
        return [*flags, "--connect-to", f"{s3}:127.0.0.1:{server.port}", "--connect-to", lab_route]
    flags[flags.index("--route-ca") + 1] = tls.ca_file
    return [*flags, "--connect-to", f"*.{lab['apps_domain']}:443:127.0.0.1:{server.port}"]


@dataclass(frozen=True)
class Outcome:
    cell: Cell
    code: int
    seconds: float
    said: str  # the one line a user reads about the fault
    output: str  # everything printed, to look for a traceback

    def problems(self) -> list[str]:
        """What is wrong with how this cell ended; empty when it ended as a user needs."""
        found = []
        if self.code not in (1, 2):
            found.append(f"exit {self.code}, wanted 1 (a check failed) or 2 (could not judge)")
        if self.seconds > DEADLINE + MARGIN:
            found.append(f"took {self.seconds:.1f} s, over {DEADLINE + MARGIN:g} s")
        if "Traceback" in self.output or "internal error" in self.output:
            found.append("a traceback or an internal error")
        if not any(word in self.said.lower() for word in NAMES[self.cell.fault]):
            found.append(f"the line does not name the fault: {self.said!r}")
        return found

    def row(self) -> str:
        return f"{self.cell.id:26} exit {self.code:<3} {self.seconds:5.1f} s  {self.said[:110]}"


def said_by_cli(stdout: str, stderr: str) -> tuple[str, int]:
    """(the line naming the fault, how many error lines): the error line on stderr, else the
    report's first row that is not a pass, else the model's answer line (`500 in 3 ms — …`)."""
    errors = [line for line in stderr.splitlines() if line and not line.startswith("warning:")]
    if errors:
        return errors[-1], len(errors)
    for line in stdout.splitlines():
        if line.startswith(("[✗]", "[?]", "[!]")) or re.match(r"^\d{3} in ", line):
            return line, 0
    return stdout.strip().splitlines()[0] if stdout.strip() else "", 0


def run_cli(cell: Cell, flags: list[str]) -> Outcome:
    from tests.helpers.doctor_cli import run_doctor

    argv = [*COMMAND_ARGS[cell.command], *flags]
    start = time.monotonic()
    try:
        done = run_doctor(argv, timeout=DEADLINE + 30, env=_clean_env())
    except subprocess.TimeoutExpired:
        return Outcome(cell, -9, time.monotonic() - start, "(killed: still running)", "")
    said, error_lines = said_by_cli(done.stdout, done.stderr)
    output = done.stdout + done.stderr
    if error_lines > 1:
        output += "\nTraceback? more than one error line"
    return Outcome(cell, done.returncode, time.monotonic() - start, said, output)


def _clean_env() -> dict[str, str]:
    import os

    return {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("RHOAI_DOCTOR_", "KUBECONFIG", "AWS_"))
    }
