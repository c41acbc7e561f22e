"""A 50 MB LIST — paged as an API server pages it, or in one answer from a server that ignores
`limit` — is read item by item: `check` finishes with the right verdict and its whole process
stays under 250 MB peak RSS (the issue measured 877 MB)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bench.big_list_proxy import BigListProxy, kubeconfig_for

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("paged", [True, False], ids=["paged", "one-answer"])
def test_a_50_mb_list_keeps_check_under_250_mb(lab: dict, tmp_path: Path, paged: bool) -> None:
    with BigListProxy(lab, "iris-project", 50, paged) as proxy:
        assert proxy.megabytes >= 49
        kubeconfig = kubeconfig_for(proxy, lab["tokens"]["lab-admin"], tmp_path / "kubeconfig")
        rss = tmp_path / "rss"
        route = f"*.{lab['apps_domain']}:443:{lab['router']}"
        command = ["check", "-n", "iris-project", "iris-model", "-o", "json"]
        flags = ["--kubeconfig", kubeconfig, "--route-ca", lab["ca_file"], "--connect-to", route]
        done = subprocess.run(
            [sys.executable, "-m", "bench.peak_rss", str(rss), "--", *command, *flags],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=120,
        )
        asked = proxy.asked
        pages = -(-len(proxy.items) // 500)
    assert done.returncode == 0, done.stderr
    assert '"verdict": "pass"' in done.stdout
    assert float(rss.read_text()) < 250
    # asked as kubectl asks: 500 at a time, following continue to the last page
    assert all(q.get("limit") == ["500"] for q in asked), asked[:2]
    if paged:
        assert len(asked) == pages and all("continue" in q for q in asked[1:]), len(asked)


ENDLESS = {  # where the answer never ends, and the command a user meets it with
    "s3": ("inspect", "more than 16 mib"),
    "route": ("infer", "more than 16 mib"),
}


@pytest.mark.parametrize("target", list(ENDLESS))
def test_an_answer_of_no_stated_length_that_never_ends_is_stopped_and_named(
    lab: dict, tmp_path: Path, target: str
) -> None:
    """No Content-Length to refuse early (chunked, endless): each cap counts what arrives."""
    from tests.helpers.faults import FaultServer
    from tests.helpers.matrix import DEADLINE, MARGIN, Cell, flags_for, route_tls, run_cli

    command, words = ENDLESS[target]
    tls = route_tls(tmp_path, lab)
    cell = Cell(target, "endless", command)
    with FaultServer("endless", tls if target == "route" else None) as server:
        outcome = run_cli(cell, flags_for(cell, server, lab, tmp_path, tls))
    assert outcome.code in (1, 2), outcome.output
    assert words in outcome.said.lower(), outcome.said
    assert "Traceback" not in outcome.output, outcome.output
    assert outcome.seconds <= DEADLINE + MARGIN, outcome.seconds
