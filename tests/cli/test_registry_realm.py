"""Issue 22 (minor): a registry's 401 names a token realm; the pull secret's Basic credentials go
there over TLS only (as containerd), never over plain HTTP from an HTTPS registry. The lab's
conn-oci-auth model is served through a relay that names another registry (a recording server
over TLS) whose challenge points at a recording realm on another host."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from lab.control import env_vars
from tests.helpers.doctor_cli import run_doctor
from tests.helpers.faults import make_tls
from tests.helpers.recorder import Recorder
from tests.helpers.relay import Relay, replace_everywhere

ROOT = Path(__file__).resolve().parents[2]
REGISTRY, REALM = "registry.example.test", "realm.example.test"


@pytest.mark.parametrize("scheme", ["http", "https"])
def test_basic_credentials_go_to_the_realm_over_tls_only(lab, tmp_path, scheme) -> None:
    (tmp_path / "tls").mkdir()
    (tmp_path / "api").mkdir()
    tls = make_tls(tmp_path / "tls", REGISTRY, REALM)
    challenge = f'Bearer realm="{scheme}://{REALM}/token",service="{REGISTRY}",scope="x:pull"'
    with (
        Recorder(tls if scheme == "https" else None) as realm,
        Recorder(tls, status=401, headers={"WWW-Authenticate": challenge}) as registry,
        Relay(lab, replace_everywhere(lab["registry"], REGISTRY), tmp_path / "api") as relay,
    ):
        env = {**os.environ, **env_vars(lab), "KUBECONFIG": str(relay.kubeconfig)}
        port = 443 if scheme == "https" else 80
        out = run_doctor(
            [
                "check",
                "-n",
                "conn-oci-auth",
                "iris",
                "--route-ca",
                tls.ca_file,
                "--connect-to",
                f"{REGISTRY}:443:{registry.address}",
                "--connect-to",
                f"{REALM}:{port}:{realm.address}",
            ],
            timeout=120,
            cwd=ROOT,
            env=env,
        )
    assert registry.seen and realm.seen, out.stdout + out.stderr
    with_basic = [s for s in realm.seen if s.headers.get("Authorization", "").startswith("Basic")]
    if scheme == "http":
        assert with_basic == [], out.stdout
        assert "never go over plain HTTP" in out.stdout
    else:
        assert with_basic, out.stdout  # over TLS, as containerd sends them
