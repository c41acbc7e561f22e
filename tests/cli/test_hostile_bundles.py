"""An evidence bundle is an untrusted file (issue 22, M4 and minors): malformed, truncated,
bombed or with members that escape or repeat, `check --from` and `get --from` answer one line
naming the member and what is wrong, exit 2 — never "internal error", a silent substitute, or
memory without end. Built from a recorded bundle of the lab; each command runs under a 2 GiB
address-space limit and a timeout."""

from __future__ import annotations

import gzip
import io
import json
import os
import subprocess
import tarfile
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.helpers.doctor_cli import run_doctor

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "tests" / "unit" / "fixtures" / "bundles" / "iris-project.tar.gz"
TWO_GIB = 2 * 1024 * 1024 * 1024
ISVCS = "objects/iris-project/inferenceservices.json"
FACTS = "facts/iris-project/iris-model.json"


def doctor(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return run_doctor(
        [*args],
        timeout=timeout,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        address_space=TWO_GIB,
    )


def members() -> list[tuple[str, bytes]]:
    with tarfile.open(SOURCE) as tar:
        return [(m.name, tar.extractfile(m).read()) for m in tar if m.isfile()]  # type: ignore[union-attr]


def write(path: Path, files: list[tuple[str, bytes]]) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        for name, data in files:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def edited(path: Path, name: str, edit: Callable[[object], object]) -> Path:
    files = [
        (n, json.dumps(edit(json.loads(d))).encode() if n == name else d) for n, d in members()
    ]
    return write(path, files)


def manifest(**fields: object) -> Callable[[object], object]:
    return lambda doc: {**doc, **fields}  # type: ignore[dict-item]


def first_fact_broken(doc):
    key = next(iter(doc))
    return {**doc, key: {"$t": "obj", "cls": "checks.engine.facts.Nope", "f": {}}}


MALFORMED = {
    "manifest is a list": ("manifest.json", lambda doc: [doc], "manifest.json"),
    "meta is a list": ("manifest.json", manifest(meta=[1]), "manifest.json: meta"),
    "version is a word": ("manifest.json", manifest(version="one"), "manifest.json: version"),
    "namespaces is a number": ("manifest.json", manifest(namespaces=5), "namespaces"),
    "forbidden is a list": ("manifest.json", manifest(forbidden=[1]), "forbidden"),
    "forbidden read is a word": (
        "manifest.json",
        manifest(forbidden={"iris-project": {"pods": "no"}}),
        "forbidden.iris-project.pods",
    ),
    "log entry is a word": ("manifest.json", manifest(logs=["x"]), "logs entry"),
    "log entry lacks its pod": (
        "manifest.json",
        lambda doc: {**doc, "logs": [{k: v for k, v in doc["logs"][0].items() if k != "pod"}]},
        "logs entry pod",
    ),
    "objects are an object": (ISVCS, lambda doc: {"items": doc}, ISVCS),
    "a deployment with no name": (ISVCS, lambda doc: [{"spec": {}}], ISVCS),
    "a deployment whose metadata is a word": (ISVCS, lambda doc: [{"metadata": "x"}], ISVCS),
    "facts are a list": (FACTS, lambda doc: [doc], FACTS),
    "a fact of an unknown type": (FACTS, first_fact_broken, FACTS),
    "projects are an object": ("projects.json", lambda doc: {"items": doc}, "projects.json"),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_a_malformed_bundle_is_one_line_naming_the_file(case: str, tmp_path) -> None:
    name, edit, words = MALFORMED[case]
    bundle = edited(tmp_path / "b.tar.gz", name, edit)
    for args in (
        ("check", "--from", str(bundle), "--all"),
        ("--from", str(bundle), "get", "pods", "-n", "iris-project"),
    ):
        out = doctor(*args)
        assert out.returncode == 2, (case, out)
        (line,) = out.stderr.strip().splitlines()
        assert "internal error" not in line and "not a readable rhoai-doctor bundle" in line, line
        assert words in line, (case, line)


def test_a_missing_manifest_a_truncated_archive_and_deep_json_are_one_line(tmp_path) -> None:
    files = members()
    whole = write(tmp_path / "whole.tar.gz", files).read_bytes()
    cut = tmp_path / "cut.tar.gz"
    cut.write_bytes(whole[: len(whole) // 2])
    deep = [(n, b"[" * 100_000 + b"]" * 100_000 if n == ISVCS else d) for n, d in files]
    no_manifest = [(n, d) for n, d in files if n != "manifest.json"]
    for bundle, words in (
        (cut, "damaged"),
        (write(tmp_path / "deep.tar.gz", deep), f"{ISVCS} is nested too deeply"),
        (write(tmp_path / "bare.tar.gz", no_manifest), "manifest.json is missing"),
    ):
        out = doctor("check", "--from", str(bundle), "--all")
        assert out.returncode == 2, out
        (line,) = out.stderr.strip().splitlines()
        assert words in line and "internal error" not in line, line


def test_a_member_that_escapes_or_repeats_is_refused_not_substituted(tmp_path) -> None:
    files = members()
    fake = json.dumps([{"metadata": {"name": "substitute", "namespace": "iris-project"}}])
    for path, words in (
        (f"../../{ISVCS}", "unsafe path"),
        (f"objects/x/../../{ISVCS}", "unsafe path"),
        (f"/{ISVCS}", "unsafe path"),
        (ISVCS, "appears twice"),
        (f"./{ISVCS}", "appears twice"),
    ):
        bundle = write(tmp_path / "twice.tar.gz", [*files, (path, fake.encode())])
        out = doctor("check", "--from", str(bundle), "--all")
        assert out.returncode == 2 and "substitute" not in out.stdout, (path, out)
        (line,) = out.stderr.strip().splitlines()
        assert words in line, (path, line)


def test_a_small_bundle_that_parses_into_gigabytes_is_refused(tmp_path) -> None:
    bomb = b"[" + b"{}," * 30_000_000 + b"{}]"  # 90 MB of JSON, under 100 KB gzipped
    files = [(n, d) for n, d in members() if n != ISVCS]
    small = write(tmp_path / "bomb.tar.gz", [*files, (ISVCS, bomb)])
    assert small.stat().st_size < 1024 * 1024
    assert len(gzip.decompress(small.read_bytes())) > 60 * 1024 * 1024
    out = doctor("check", "--from", str(small), "--all")
    assert out.returncode == 2, out
    (line,) = out.stderr.strip().splitlines()
    assert "larger than 64 MiB" in line or "JSON objects" in line, line
    medium = [*files, (ISVCS, b"[" + b"{}," * 3_000_000 + b"{}]")]  # 9 MB, under the member cap
    out = doctor("check", "--from", str(write(tmp_path / "m.tar.gz", medium)), "--all")
    assert out.returncode == 2 and "JSON objects in all" in out.stderr, out


def test_one_malformed_deployment_is_named_never_no_deployments_found(tmp_path) -> None:
    def broken(items):
        items[0].update(spec=[], status="x")
        return items

    bundle = edited(tmp_path / "b.tar.gz", ISVCS, broken)
    out = doctor("check", "--from", str(bundle), "--all")
    assert out.returncode == 2 and "No deployments found" not in out.stderr, out
    (line,) = out.stderr.strip().splitlines()
    assert "inferenceservices iris-project/iris-model could not be read" in line, line
