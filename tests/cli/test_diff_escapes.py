"""`rhoai-doctor diff A B -o json` over a capture whose names carry a C1 CSI and a right-to-left
override: the JSON says them as `\\u` escapes (a terminal or a pager shown it obeys nothing),
and a JSON reader gets the names back whole."""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers.bundles import BUNDLES
from tests.helpers.doctor_cli import run_doctor
from tests.helpers.hostile import NAME, hostile_bundle

ROOT = Path(__file__).resolve().parents[2]


def test_diff_json_escapes_every_control_and_bidi_character(tmp_path: Path) -> None:
    clean = BUNDLES / "iris-project.tar.gz"
    hostile = hostile_bundle(clean, tmp_path / "h.tar.gz", {"iris-model": f"iris-model{NAME}"})
    out = run_doctor(
        ["diff", str(clean), str(hostile), "-o", "json"],
        text=False,
        timeout=120,
        cwd=ROOT,
    )
    assert out.returncode == 1, out.stdout + out.stderr
    printed = out.stdout.decode()
    assert not [c for c in printed if 0x7F <= ord(c) <= 0x9F or c == "\u202e" or c == "\x1b"]
    names = {d["name"] for d in json.loads(printed)["deployments"]}
    assert f"iris-model{NAME}" in names, names
