"""What `check` says first and last, as a person reads it: the verdict and root cause before
the detail, colour only on a terminal, a count line after `--all`, and a report made from a
capture saying so (and when, and of which cluster) in every format."""

from __future__ import annotations

import io
import json
import os
import pty
import re
import subprocess
import sys
import tarfile
from pathlib import Path
from xml.etree import ElementTree

from lab.control import env_vars
from tests.helpers.doctor_cli import run_doctor
from tests.helpers.must_gather import write_must_gather

ROOT = Path(__file__).resolve().parents[2]
BUNDLE = ROOT / "tests/unit/fixtures/bundles/route-disabled.tar.gz"
FROM_CAPTURE = "from a capture taken 2026-12-01 21:29:57 UTC of lab-admin"
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def check(lab: dict | None, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    environ = {
        **os.environ,
        **(env_vars(lab) if lab else {}),
        "PYTHONPATH": str(ROOT),
        **(env or {}),
    }
    return run_doctor(["check", *args], timeout=300, cwd=ROOT, env=environ)


def on_a_terminal(*args: str, env: dict[str, str]) -> str:
    """`python -m rhoai_doctor ARGS` with its stdout on a pseudo-terminal, as a person runs it."""
    leader, follower = pty.openpty()
    environ = {**os.environ, "PYTHONPATH": str(ROOT), **env}
    with subprocess.Popen(
        [sys.executable, "-m", "rhoai_doctor", *args],
        stdout=follower,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
        cwd=ROOT,
        env=environ,
    ) as process:
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal closed: the process ended
                break
            if not chunk:
                break
            chunks.append(chunk)
        process.wait(timeout=300)
    os.close(leader)
    return b"".join(chunks).decode()


def test_the_verdict_and_root_cause_come_before_the_detail(lab) -> None:
    out = check(lab, "-n", "wrong-path", "fraud")
    assert out.returncode == 1, out.stdout + out.stderr
    lines = out.stdout.splitlines()
    assert lines[0].startswith("Diagnosis of wrong-path/fraud")
    assert lines[1].startswith("Verdict: fail — root cause: bucket-path: ")
    first_check = next(i for i, line in enumerate(lines) if line.startswith("[✗]"))
    assert first_check > 1
    assert not ANSI.search(out.stdout)  # piped: never colour


def test_colour_on_a_terminal_and_never_with_no_color() -> None:
    args = ("check", "--from", str(BUNDLE), "iris-model")
    coloured = on_a_terminal(*args, env={"NO_COLOR": ""})  # set but empty: colour stays on
    assert "Verdict: \x1b[1;31mfail\x1b[0m — root cause: route: " in coloured
    assert "\x1b[32m[✓]\x1b[0m Data connection" in coloured
    plain = on_a_terminal(*args, env={"NO_COLOR": "1"})
    assert not ANSI.search(plain)
    assert "Verdict: fail — root cause: route: " in plain


def test_check_all_ends_with_a_count_line_and_json_has_the_counts(lab) -> None:
    table = check(lab, "-A", "--all")
    docs = json.loads(check(lab, "-A", "--all", "-o", "json").stdout)
    verdicts = [doc["verdict"] for doc in docs["reports"]]
    counts = {word: verdicts.count(word) for word in ("fail", "error", "warn", "pass")}
    assert docs["counts"] == {"deployments": len(verdicts), **counts}
    said = ", ".join(f"{n} {word}" for word, n in counts.items() if n)
    assert table.stdout.splitlines()[-1] == f"{len(verdicts)} deployments: {said}"
    assert counts["fail"] and counts["pass"]


def test_a_report_from_a_capture_says_so_in_every_format() -> None:
    args = ("--from", str(BUNDLE), "iris-model")
    lines = check(None, *args).stdout.splitlines()
    assert lines[1] == f"({FROM_CAPTURE})"
    assert lines[2].startswith("Verdict: fail")
    assert json.loads(check(None, *args, "-o", "json").stdout)["source"] == FROM_CAPTURE
    assert f"> {FROM_CAPTURE}" in check(None, *args, "-o", "markdown").stdout
    suite = ElementTree.fromstring(check(None, *args, "-o", "junit").stdout)
    property = suite.find("testsuite/properties/property[@name='source']")
    assert property is not None and property.get("value") == FROM_CAPTURE
    swept = ElementTree.fromstring(check(None, "-A", "--all", *args[:2], "-o", "junit").stdout)
    property = swept.find("testsuite/properties/property[@name='source']")
    assert property is not None and property.get("value") == FROM_CAPTURE
    assert FROM_CAPTURE in check(None, "-A", "--all", *args[:2], "-o", "json").stdout


def test_a_report_from_a_must_gather_says_when_it_was_taken(lab, tmp_path) -> None:
    gathered = write_must_gather(lab, tmp_path / "must-gather.local.5", namespaces=["wrong-path"])
    lines = check(None, "--from", str(gathered), "fraud").stdout.splitlines()
    assert re.fullmatch(
        r"\(from a capture taken \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC "
        r"of an unnamed cluster \(must-gather\)\)",
        lines[1],
    ), lines[:3]
    assert lines[2].startswith("Verdict: fail — root cause: ")


def test_a_hostile_context_name_is_shown_as_text(tmp_path) -> None:
    """The context name comes from the capture: its control and bidi characters reach no
    terminal raw, in any format."""
    copy = tmp_path / "hostile.tar.gz"
    with tarfile.open(BUNDLE) as old, tarfile.open(copy, "w:gz") as new:
        for member in old:
            data = old.extractfile(member).read() if member.isfile() else None
            if member.name == "manifest.json":
                manifest = json.loads(data)
                manifest["meta"]["context"] = "evil\x1b]0;pwned\x07\u202ectx"
                data = json.dumps(manifest).encode()
                member.size = len(data)
            new.addfile(member, io.BytesIO(data) if data is not None else None)
    for output in ("table", "json", "markdown", "junit"):
        out = check(None, "--from", str(copy), "iris-model", "-o", output)
        assert out.returncode == 1, out.stderr
        assert not re.search("[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e]", out.stdout), output
        assert "pwned" in out.stdout and "ctx" in out.stdout, output
