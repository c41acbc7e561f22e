"""Huge and dripping answers (issue 10): peak RSS of `check` and `get` when one LIST is ~50 MB
(paged as a real API server pages it, and in one answer from a server that ignores `limit`),
beside the same command on the plain lab; a burst of 16 against a route answering 80 MiB; and
the wall time of every drip cell of the fault matrix beside its deadline.

Goals: peak RSS under 250 MB for the 50 MB cases; every drip cell ends by deadline + 4 s.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.big_list_proxy import BigListProxy, kubeconfig_for
from bench.common import private_lab
from bench.targets import Target, record
from checks.resources.tables import table

RSS_GOAL_MB = 250
PROJECT, DEPLOYMENT = "iris-project", "iris-model"


def measured(args: list[str], directory: Path) -> tuple[int, float, float]:
    """(exit code, wall seconds, peak RSS MiB) of `rhoai-doctor ARGS` in its own process."""
    out = directory / "rss"
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "bench.peak_rss", str(out), "--", *args],
        capture_output=True,
        text=True,
        cwd=Path(__file__).parent.parent,
    )
    wall = time.perf_counter() - started
    return done.returncode, wall, float(out.read_text())


def kubectl_measured(args: list[str], kubeconfig: str, directory: Path) -> tuple[int, float, float]:
    """(exit code, wall seconds, peak RSS MiB) of `kubectl ARGS`, its peak from its own
    rusage through /usr/bin/time (a child of this large process would inherit its peak)."""
    out = directory / "kubectl-rss"
    env = {**os.environ, "KUBECONFIG": kubeconfig}
    started = time.perf_counter()
    done = subprocess.run(
        ["/usr/bin/time", "-f", "%M", "-o", str(out), "kubectl", *args],
        capture_output=True,
        env=env,
    )
    wall = time.perf_counter() - started
    return done.returncode, wall, int(out.read_text().split()[-1]) / 1024


def kubectl_ready() -> bool:
    return bool(shutil.which("kubectl")) and Path("/usr/bin/time").exists()


def route_flags(lab: dict) -> list[str]:
    return [
        "--connect-to",
        f"*.{lab['apps_domain']}:443:{lab['router']}",
        "--route-ca",
        lab["ca_file"],
    ]


def rss_rows(lab: dict, directory: Path) -> list[tuple]:
    commands = {
        "check": ["check", "-n", PROJECT, DEPLOYMENT],
        "get events": ["get", "events", "-n", PROJECT],
    }
    rows = []
    for name, args in commands.items():
        plain_args = [*args, "--kubeconfig", lab["kubeconfig"], *route_flags(lab)]
        code, wall, plain = measured(plain_args, directory)
        rows.append((name, "the lab as is", "-", f"{wall:.2f}", f"{plain:.0f}", "-", code))
        for paged in (True, False):
            with BigListProxy(lab, PROJECT, 50, paged) as proxy:
                kubeconfig = kubeconfig_for(
                    proxy, lab["tokens"]["lab-admin"], directory / "big-kubeconfig"
                )
                code, wall, peak = measured(
                    [*args, "--kubeconfig", kubeconfig, *route_flags(lab)], directory
                )
                how = "events LIST paged (limit 500)" if paged else "events LIST in one answer"
                verdict = "ok" if peak < RSS_GOAL_MB else "OVER"
                rows.append(
                    (
                        name,
                        how,
                        f"{proxy.megabytes:.0f}",
                        f"{wall:.2f}",
                        f"{peak:.0f}",
                        f"< {RSS_GOAL_MB} {verdict}",
                        code,
                    )
                )
                if name != "check" or not kubectl_ready():
                    continue
                # the peer: kubectl reading the same answer through the same proxy
                peer_code, peer_wall, peer = kubectl_measured(
                    ["get", "events", "-n", PROJECT], kubeconfig, directory
                )
                rows.append(
                    (
                        "kubectl get events",
                        how,
                        f"{proxy.megabytes:.0f}",
                        f"{peer_wall:.2f}",
                        f"{peer:.0f}",
                        "(peer)",
                        peer_code,
                    )
                )
                record(
                    Target(
                        row=f"5. peak RSS, check, 50 MB {'paged' if paged else 'one-answer'} LIST",
                        ours=peak,
                        unit="MB",
                        goal=f"<= {RSS_GOAL_MB} MB",
                        met=code == 0 and peak <= RSS_GOAL_MB,
                        peer=peer,
                        peer_name="kubectl get events",
                    )
                )
    return rows


def burst_row(lab: dict, directory: Path) -> tuple:
    from tests.helpers.faults import FaultServer, make_tls

    tls = make_tls(directory, f"*.{lab['apps_domain']}")
    with FaultServer("huge", tls) as server:
        args = [
            "infer", "-n", PROJECT, DEPLOYMENT, "--repeat", "16", "--concurrency", "16",
            "--kubeconfig", lab["kubeconfig"], "--route-ca", tls.ca_file,
            "--connect-to", f"*.{lab['apps_domain']}:443:127.0.0.1:{server.port}",
        ]  # fmt: skip
        code, wall, peak = measured(args, directory)
    verdict = "ok" if peak < RSS_GOAL_MB else "OVER"
    return ("infer --repeat 16", "route answers 80 MiB each", "16x80", f"{wall:.2f}",
            f"{peak:.0f}", f"< {RSS_GOAL_MB} {verdict}", code)  # fmt: skip


def drip_rows(lab: dict, directory: Path) -> list[tuple]:
    from tests.helpers.faults import FaultServer
    from tests.helpers.matrix import DEADLINE, MARGIN, cells, flags_for, route_tls, run_cli

    tls = route_tls(directory, lab)
    rows = []
    for cell in cells(("get", "check", "infer", "inspect")):
        if cell.fault != "drip":
            continue
        with FaultServer("drip", tls if cell.target == "route" else None) as server:
            outcome = run_cli(cell, flags_for(cell, server, lab, directory, tls))
        bound = DEADLINE + MARGIN
        verdict = "ok" if outcome.seconds <= bound else "OVER"
        rows.append(
            (
                cell.target,
                cell.command,
                f"{DEADLINE:g}",
                f"{outcome.seconds:.2f}",
                f"<= {bound:g} {verdict}",
                outcome.code,
                outcome.said[:70],
            )
        )
    return rows


def main() -> int:
    with private_lab() as lab, tempfile.TemporaryDirectory() as root:
        directory = Path(root)
        rows = [*rss_rows(lab, directory), burst_row(lab, directory)]
        print("Huge answers: peak RSS of the whole command (its own process)")
        print(table(("COMMAND", "ANSWER", "MB", "WALL S", "PEAK RSS MB", "GOAL", "EXIT"), rows))
        print()
        drips = drip_rows(lab, directory)
        print("A server that drips one byte a second, in place of each target")
        print(table(("TARGET", "COMMAND", "DEADLINE S", "WALL S", "GOAL", "EXIT", "SAID"), drips))
    over = [r for r in rows + drips if any("OVER" in str(c) for c in r)]
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
