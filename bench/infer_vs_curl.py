"""200 sequential inference requests: `infer --repeat` (one process, kept-alive connections)
vs the same 200 made by 200 `curl` processes (a new TLS connection each). Target: ours faster."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bench.common import private_lab
from checks.resources.tables import table
from lab.control import env_vars

COUNT = 200
ROOT = Path(__file__).parent.parent


def _env(lab: dict) -> dict:
    return {**os.environ, **env_vars(lab)}


def _cli(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "rhoai_doctor", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=True,
    )


def main() -> None:
    if shutil.which("curl") is None:
        print("curl is not installed: apt-get install curl")
        return
    with private_lab() as lab:
        env = _env(lab)
        target = ("-n", "iris-project", "iris-model", "--data", "[3,4,3,2]")
        curl = _cli(env, "infer", *target, "--curl", "--show-token").stdout.strip()
        started = time.perf_counter()
        _cli(env, "infer", *target, "--repeat", str(COUNT), "--concurrency", "1")
        ours = time.perf_counter() - started
        started = time.perf_counter()
        for _ in range(COUNT):
            subprocess.run(["bash", "-c", curl], capture_output=True, check=True, env=env)
        theirs = time.perf_counter() - started
        burst_started = time.perf_counter()
        _cli(env, "infer", *target, "--repeat", str(COUNT), "--concurrency", "8")
        burst = time.perf_counter() - burst_started
    print(
        table(
            ("HOW", "REQUESTS", "SECONDS", "PER REQUEST (MS)"),
            [
                (
                    "rhoai-doctor infer --repeat 200 (incl. start-up, prefill)",
                    COUNT,
                    f"{ours:.2f}",
                    f"{ours / COUNT * 1000:.1f}",
                ),
                ("200 curl processes", COUNT, f"{theirs:.2f}", f"{theirs / COUNT * 1000:.1f}"),
                (
                    "rhoai-doctor infer --repeat 200 --concurrency 8",
                    COUNT,
                    f"{burst:.2f}",
                    f"{burst / COUNT * 1000:.1f}",
                ),
            ],
        )
    )
    print(
        f"ratio curl / rhoai-doctor: {theirs / ours:.2f}x "
        f"({'ours faster' if ours < theirs else 'curl faster'})"
    )


if __name__ == "__main__":
    main()
