"""`check --all` with every route dialled at one address (--connect-to, as on a bastion with a
tunnel to the router): each deployment's route check shows what its own route's handshake
showed. Project migr-half holds two deployments, fraud (fraud-migr-half) then fraud-raw
(fraud-raw-migr-half); a server in the router's place shows fraud-raw a certificate for another
host. Diagnosed one after another, fraud's kept-alive connection was reused for fraud-raw: its
route passed, and its token went out on fraud's connection."""

from __future__ import annotations

import os
from pathlib import Path

from lab.control import env_vars
from tests.helpers.doctor_cli import run_doctor
from tests.helpers.named_tls import NamedServer

ROOT = Path(__file__).resolve().parents[2]
FIRST = "fraud-migr-half.apps.rhoai-lab.test"
MISNAMED = "fraud-raw-migr-half.apps.rhoai-lab.test"


def test_each_route_is_judged_by_its_own_handshake(lab: dict, tmp_path: Path) -> None:
    server = NamedServer(tmp_path, f"*.{lab['apps_domain']}", MISNAMED)
    env = {**os.environ, **env_vars(lab)}
    env.pop("RHOAI_DOCTOR_CONNECT_TO")
    try:
        out = run_doctor(
            [
                *("check", "--all", "-n", "migr-half", "--sweep-concurrency", "1"),
                *("--connect-to", f"*.{lab['apps_domain']}:443:127.0.0.1:{server.port}"),
                *("--route-ca", server.ca_file),
            ],
            timeout=120,
            cwd=ROOT,
            env=env,
        )
    finally:
        server.close()
    said = out.stdout + out.stderr
    routes = [line for line in said.splitlines() if "(route)" in line]
    assert len(routes) == 2, said
    assert routes[0].startswith("[✓]"), routes[0]
    assert routes[1].startswith("[✗]"), routes[1]
    assert f"the certificate of {MISNAMED} is not trusted" in routes[1]
    assert {name for name, _, _ in server.seen} == {FIRST}, "fraud-raw was asked on fraud's TLS"
