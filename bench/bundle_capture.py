"""`rhoai-doctor bundle -A` on the whole lab: how long the capture takes, how big the file is, and
how long `check --from` takes to replay it (no cluster).

Target (issue 13): the bundle of the whole lab is under 5 MB.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from pathlib import Path

from bench.common import peak_rss_mb, private_lab
from checks.capture.bundle_write import BundleWriter, Scope
from checks.capture.session import session_for
from checks.cluster.connect import ConnectionOptions
from checks.options import SessionOptions
from checks.resources.tables import table
from lab import control

TARGET_BYTES = 5 * 1024 * 1024


async def _capture(info: dict, out: Path) -> tuple[float, int, int]:
    connection = ConnectionOptions(kubeconfig=info["kubeconfig"], all_namespaces=True)
    options = SessionOptions.build(connection, environ=control.env_vars(info))
    async with session_for(options) as session:
        written = await BundleWriter(session, lambda _: None).write(
            Scope(namespace=None, all_namespaces=True), out
        )
    return written.seconds, written.size, written.deployments


async def _replay(out: Path) -> tuple[float, int]:
    started = time.perf_counter()
    options = SessionOptions(connection=ConnectionOptions(all_namespaces=True), capture=str(out))
    count = 0
    async with session_for(options) as session:
        for project in await session.projects():
            snapshot = await session.snapshot(project.name)
            for dep in snapshot.all_deployments:
                await session.diagnose(project.name, dep.name, snapshot=snapshot)
                count += 1
    return time.perf_counter() - started, count


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="rhoai-bench-bundle-") as root:
        out = Path(root) / "lab.tar.gz"
        with private_lab() as info:
            seconds, size, deployments = asyncio.run(_capture(info, out))
        replay, replayed = asyncio.run(_replay(out))  # the lab is down: only the file
    print(
        table(
            ("STEP", "DEPLOYMENTS", "SECONDS", "SIZE"),
            [
                ("bundle -A (live lab)", deployments, f"{seconds:.2f}", f"{size / 1024:,.0f} KiB"),
                ("check --all -A --from (lab down)", replayed, f"{replay:.2f}", "-"),
            ],
        )
    )
    verdict = "meets" if size < TARGET_BYTES else "MISSES"
    print(f"bundle size {verdict} the < 5 MB target ({size / 1024 / 1024:.2f} MB)")
    print(f"peak RSS {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
