"""A must-gather directory is an untrusted upload (issue 22, M1, M2, M4): `check --from` and
`get --from` on one written from the lab, then made hostile as an attacker would make it —
symlinks out of the capture (to /proc/self/environ), FIFOs, /dev/zero, alias bombs, files of
millions of tiny nodes. Each command runs under a 2 GiB address-space limit and a timeout, so a
regression fails here instead of eating the machine."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.helpers.doctor_cli import run_doctor
from tests.helpers.must_gather import IMAGE_DIR, write_must_gather

ROOT = Path(__file__).resolve().parents[2]
SENTINEL = "sentinel-7f3a9c-of-the-readers-environment"
TWO_GIB = 2 * 1024 * 1024 * 1024


def doctor(*args: str, timeout: float = 90) -> subprocess.CompletedProcess:
    """The CLI as a support engineer runs it on the upload, the secret in their environment."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "READER_SECRET": SENTINEL}
    return run_doctor(
        [*args],
        timeout=timeout,
        cwd=ROOT,
        env=env,
        address_space=TWO_GIB,
    )


@pytest.fixture(scope="module")
def gathered(lab, tmp_path_factory) -> Path:
    dest = tmp_path_factory.mktemp("mg") / "must-gather.local.22"
    return write_must_gather(lab, dest, namespaces=["oom-crashloop", "std-healthy"])


@pytest.fixture
def copy(gathered, tmp_path) -> Path:
    return Path(shutil.copytree(gathered, tmp_path / "mg", symlinks=True))


def project(top: Path, namespace: str = "oom-crashloop") -> Path:
    return top / IMAGE_DIR / "namespaces" / namespace


def replace(path: Path, make) -> None:
    path.unlink(missing_ok=True)
    make(path)


def test_symlinks_out_of_a_must_gather_are_never_followed(copy, tmp_path) -> None:
    outside = tmp_path / "outside"
    (outside / "core").mkdir(parents=True)
    event = {"metadata": {"name": "e1"}, "message": SENTINEL, "reason": SENTINEL}
    (outside / "core" / "events.yaml").write_text(json.dumps({"items": [event]}))
    here = project(copy)
    previous = next(p for p in here.rglob("previous.log") if p.stat().st_size)
    replace(previous, lambda p: p.symlink_to("/proc/self/environ"))
    replace(here / "core" / "events.yaml", lambda p: p.symlink_to(outside / "core" / "events.yaml"))
    (here.parent / "elsewhere").symlink_to(outside, target_is_directory=True)
    (here.parent / "elsewhere.yaml").symlink_to("/proc/self/environ")

    diagnosis = doctor("check", "--from", str(copy), "-A", "--all", "-o", "json")
    events = doctor("--from", str(copy), "get", "events", "-n", "oom-crashloop")
    projects = doctor("--from", str(copy), "get", "projects")
    for out in (diagnosis, events, projects):
        assert SENTINEL not in out.stdout + out.stderr
    assert diagnosis.returncode == 1, diagnosis.stderr
    names = [r["target"]["name"] for r in json.loads(diagnosis.stdout)["reports"]]
    assert names and "elsewhere" not in projects.stdout


def test_fifos_and_endless_files_neither_hang_nor_grow(copy) -> None:
    here = project(copy)
    current = next(here.rglob("current.log"))
    replace(current, os.mkfifo)
    previous = next(p for p in here.rglob("previous.log") if p.stat().st_size)
    replace(previous, lambda p: p.symlink_to("/dev/zero"))
    replace(here / "core" / "services.yaml", os.mkfifo)
    for stamp in (copy / "timestamp", copy / IMAGE_DIR / "timestamp"):
        replace(stamp, lambda p: p.symlink_to("/dev/zero"))
    with (here / "core" / "replicasets.yaml").open("wb") as sparse:
        sparse.truncate(200 * 1024 * 1024)  # 200 MB of nothing, on no disk

    out = doctor("check", "--from", str(copy), "-n", "oom-crashloop", "--all", timeout=60)
    assert out.returncode == 1, out.stderr
    assert out.stdout.startswith("Diagnosis of oom-crashloop/iris"), out.stdout
    pods = doctor("--from", str(copy), "get", "pods", "-n", "oom-crashloop", timeout=60)
    assert pods.returncode == 0 and "iris" in pods.stdout, pods.stderr


def billion_laughs(levels: int = 12) -> str:
    lines = ["apiVersion: serving.kserve.io/v1beta1", "kind: InferenceService"]
    lines += ["metadata: {name: laughs}", 'l0: &l0 ["lol","lol","lol","lol","lol","lol"]']
    for level in range(1, levels):
        lines.append(f"l{level}: &l{level} [" + ",".join([f"*l{level - 1}"] * 6) + "]")
    lines.append(f"spec: {{predictor: {{model: {{args: *l{levels - 1}}}}}}}")
    return "\n".join(lines) + "\n"


def test_yaml_bombs_and_huge_files_are_one_line_and_other_projects_still_read(copy) -> None:
    here = project(copy)
    isvcs = here / "serving.kserve.io" / "inferenceservices"
    (isvcs / "laughs.yaml").write_text(billion_laughs())
    with (here / "core" / "events.yaml").open("w") as tiny:  # ~30 MB, 10 million nodes
        tiny.write("items:\n")
        for _ in range(1_000_000):
            tiny.write("- [0, 0, 0, 0, 0, 0, 0, 0, 0]\n")

    listed = doctor(
        "--from", str(copy), "get", "inferenceservices", "-n", "oom-crashloop", "-o", "yaml"
    )
    assert listed.returncode == 0, listed.stderr
    assert "laughs" not in listed.stdout and "name: iris" in listed.stdout
    other = doctor("--from", str(copy), "get", "pods", "-n", "std-healthy")
    assert other.returncode == 0 and "iris" in other.stdout, other.stderr
    out = doctor("check", "--from", str(copy), "-n", "oom-crashloop", "iris")
    assert out.returncode == 1 and out.stdout.startswith("Diagnosis of oom-crashloop/iris")


def test_a_malformed_deployment_is_named_never_no_deployments_found(copy) -> None:
    isvcs = project(copy, "std-healthy") / "serving.kserve.io" / "inferenceservices"
    for file in isvcs.glob("*.yaml"):
        file.write_text("apiVersion: serving.kserve.io/v1beta1\nkind: InferenceService\n")
    out = doctor("check", "--from", str(copy), "-n", "std-healthy", "--all")
    assert out.returncode == 2, out
    assert "No deployments found" not in out.stderr
    (line,) = out.stderr.strip().splitlines()
    assert "inferenceservices" in line and ".yaml" in line and "metadata.name" in line, line


def test_a_fifo_given_as_the_capture_is_one_line(tmp_path) -> None:
    fifo = tmp_path / "bundle.tar.gz"
    os.mkfifo(fifo)
    out = doctor("check", "--from", str(fifo), "--all", timeout=30)
    assert out.returncode == 2 and len(out.stderr.strip().splitlines()) == 1, out.stderr
    assert "not a capture" in out.stderr
