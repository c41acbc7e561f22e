"""A project snapshot with 100 ms on every API request: all kinds at once vs one after another.

Target (issue 3): concurrent load <= 1.5x one request's latency.
"""

from __future__ import annotations

import asyncio
import time

from bench.common import private_lab
from checks.cluster import connect
from checks.cluster.connect import ConnectionOptions
from checks.cluster.kube import KubeClient
from checks.cluster.snapshot import KIND_PATHS, load_snapshot
from checks.resources.tables import table

LATENCY_MS = 100
ROUNDS = 3
PROJECTS = ("iris-project", "pricing-project")  # ModelMesh; KServe serverless (+ mesh routes)


async def _measure(kubeconfig: str) -> list[tuple[str, str, float]]:
    cluster = connect.resolve(ConnectionOptions(kubeconfig=kubeconfig))
    rows = []
    async with KubeClient(cluster) as kube:
        await load_snapshot(kube, PROJECTS[0])  # warm the connection pool
        for project in PROJECTS:
            for sequential in (False, True):
                best = float("inf")
                for _ in range(ROUNDS):
                    started = time.perf_counter()
                    snap = await load_snapshot(kube, project, sequential=sequential)
                    best = min(best, time.perf_counter() - started)
                    assert not snap.errors, snap.errors
                how = "one after another" if sequential else "concurrent (rhoai-doctor)"
                rows.append((project, how, best))
    return rows


def main() -> None:
    with private_lab(LATENCY_MS) as lab:
        rows = asyncio.run(_measure(lab["kubeconfig"]))
    one = LATENCY_MS / 1000
    print(
        f"{len(KIND_PATHS)} kinds + serverless routes, {LATENCY_MS} ms injected per API "
        f"request, best of {ROUNDS}"
    )
    print(
        table(
            ("PROJECT", "SNAPSHOT LOAD", "SECONDS", "x ONE REQUEST"),
            [(p, how, f"{secs:.3f}", f"{secs / one:.2f}") for p, how, secs in rows],
        )
    )
    worst = max(secs for _, how, secs in rows if how.startswith("concurrent"))
    verdict = "meets" if worst <= 1.5 * one else "MISSES"
    print(f"concurrent load {verdict} the <= 1.5x target (worst {worst / one:.2f}x)")


if __name__ == "__main__":
    main()
