"""`check --all -o junit` as CI reads it (issue 22, M7): ONE document, a `<testsuites>` root with
one `<testsuite>` per deployment whose counts match its cases — parsed as a JUnit consumer
parses it (xml.etree: a second document, or a character XML forbids, is a parse error), on a
must-gather of the lab whose one deployment name carries a quote and an escape character."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from xml.etree import ElementTree

import pytest

from tests.helpers.doctor_cli import run_doctor
from tests.helpers.must_gather import IMAGE_DIR, edit_yaml, write_must_gather

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = 'iris"<&\x1b[2J'


def doctor(*args: str) -> subprocess.CompletedProcess:
    return run_doctor(
        [*args],
        timeout=120,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


@pytest.fixture(scope="module")
def gathered(lab, tmp_path_factory) -> Path:
    dest = tmp_path_factory.mktemp("mg") / "must-gather.local.7"
    top = write_must_gather(lab, dest, namespaces=["oom-crashloop", "std-healthy", "wrong-path"])
    isvcs = top / IMAGE_DIR / "namespaces" / "std-healthy" / "serving.kserve.io"
    for file in (isvcs / "inferenceservices").glob("*.yaml"):
        edit_yaml(file, lambda obj: obj["metadata"].update(name=HOSTILE))
    return top


def test_check_all_junit_is_one_testsuites_document(gathered) -> None:
    junit = doctor("check", "--from", str(gathered), "-A", "--all", "-o", "junit")
    listed = doctor("check", "--from", str(gathered), "-A", "--all", "-o", "json")
    reports = json.loads(listed.stdout)["reports"]
    assert junit.returncode == listed.returncode == 1, junit.stderr
    assert junit.stdout.count("<?xml") == 1
    root = ElementTree.fromstring(junit.stdout)
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert len(suites) == len(reports) >= 3
    names = [f"{r['target']['namespace']}/{r['target']['name']}" for r in reports]
    assert [s.get("name") for s in suites] == [n.replace("\x1b", "\ufffd") for n in names]
    for suite, report in zip(suites, reports, strict=True):
        cases = suite.findall("testcase")
        assert int(suite.get("tests", -1)) == len(cases) == len(report["checks"])
        for tag, word in (("failure", "failures"), ("error", "errors"), ("skipped", "skipped")):
            assert int(suite.get(word, -1)) == len(suite.findall(f"testcase/{tag}"))
    for word in ("tests", "failures", "errors", "skipped"):
        assert int(root.get(word, -1)) == sum(int(s.get(word, 0)) for s in suites)
    assert any(s.find("testcase/failure") is not None for s in suites)
