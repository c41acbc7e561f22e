"""`rhoai-doctor bundle` and `--from` as a support engineer uses them: capture the lab, stop it,
and read the same projects, states and diagnoses from the file; no secret of the lab inside."""

from __future__ import annotations

import base64
import io
import json
import os
import re
import subprocess
import tarfile
from pathlib import Path

import pytest

from checks.capture.secrets import CREDENTIAL_FIELDS
from checks.engine.redaction import NOT_SECRET_KEYS, URI_KEYS
from lab import control
from lab.state import LabState
from tests.helpers.doctor_cli import run_doctor

ROOT = Path(__file__).resolve().parents[2]
FIVE_MB = 5 * 1024 * 1024


def doctor(lab: dict, *args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    env = {**os.environ, **control.env_vars(lab), "PYTHONPATH": str(ROOT)}
    return run_doctor(
        [*args],
        timeout=300,
        cwd=cwd,
        env=env,
    )


def without_timings(doc: dict) -> dict:
    for report in doc["reports"]:
        for check in report["checks"]:
            check.pop("duration_ms", None)
    return doc


@pytest.fixture(scope="module")
def lab_bundle(lab, tmp_path_factory) -> Path:
    """A bundle of the whole shared lab (-A)."""
    path = tmp_path_factory.mktemp("bundle") / "lab.tar.gz"
    out = doctor(lab, "bundle", "-A", "-o", str(path))
    assert out.returncode == 0, out.stderr
    return path


def test_bundle_then_lab_down_then_from_shows_the_same_diagnoses(tmp_path) -> None:
    """Acceptance: `bundle -A`, `lab down`, then `check --all -A -o json --from` prints the
    reports the live run printed (verdicts, root causes, every check's words)."""
    state = LabState(tmp_path / "lab")
    info = control.up(state)
    try:
        bundle = tmp_path / "whole-lab.tar.gz"
        made = doctor(info, "bundle", "-A", "-o", str(bundle))
        assert made.returncode == 0, made.stderr
        steps = made.stderr.splitlines()
        assert steps[0].startswith("connected to lab-admin as lab-admin (")
        assert any(s.startswith("read iris-project: ") and "objects" in s for s in steps)
        assert any(s.startswith("diagnosed wrong-path/fraud: fail") for s in steps)
        assert steps[-1].startswith(f"wrote {bundle} (")
        assert "secret values redacted" in made.stdout and f"--from {bundle}" in made.stdout
        live = doctor(info, "check", "--all", "-A", "-o", "json")
        live_get = doctor(info, "get", "deployments", "-A")
    finally:
        control.down(state)
    assert bundle.stat().st_size < FIVE_MB

    offline = doctor(info, "check", "--from", str(bundle), "--all", "-A", "-o", "json")
    assert offline.returncode == live.returncode == 1, offline.stderr
    live_doc, offline_doc = without_timings(json.loads(live.stdout)), json.loads(offline.stdout)
    offline_doc = without_timings(offline_doc)
    assert len(offline_doc["reports"]) == len(live_doc["reports"]) > 30
    # the lab lives on between the capture and the live run (restart counts tick): the words
    # are compared with their numbers blanked; the capture's own live diagnosis exactly
    with tarfile.open(bundle) as tar:
        recorded = {
            m.name: json.load(tar.extractfile(m)) for m in tar if m.name.startswith("diagnosis/")
        }
    for seen, replayed in zip(live_doc["reports"], offline_doc["reports"], strict=True):
        target = replayed["target"]
        assert replayed.pop("source").startswith("from a capture taken ")  # the live run: none
        assert target == seen["target"]
        assert replayed["verdict"] == seen["verdict"], target
        at_capture = recorded[f"diagnosis/{target['namespace']}/{target['name']}.json"]
        assert without_timings({"reports": [at_capture]})["reports"][0] == replayed
        for was, now in zip(seen["checks"], replayed["checks"], strict=True):
            assert (now["id"], now["status"]) == (was["id"], was["status"]), target
            if numbers_blank(now) != numbers_blank(was):  # only what the capture lacks
                assert now["status"] == "skip" and "not in the capture" in now["summary"], now

    # the same table the live `get` printed, but AGE (it grows while you read)
    got = doctor(info, "--from", str(bundle), "get", "deployments", "-A")
    assert got.returncode == 0, got.stderr

    def no_age(text: str) -> list[list[str]]:
        return [line.split()[:-1] for line in text.splitlines()]

    assert no_age(got.stdout) == no_age(live_get.stdout)

    table = doctor(info, "check", "--from", str(bundle), "-n", "wrong-path", "fraud")
    assert table.returncode == 1
    assert table.stdout.startswith("Diagnosis of wrong-path/fraud")
    assert "[✗] Model files in the bucket (bucket-path)" in table.stdout


def numbers_blank(check: dict) -> str:
    return re.sub(r"\d+[smhd]?", "N", json.dumps(check, sort_keys=True))


def lab_secrets(lab: dict, admin_client) -> set[str]:
    """Every secret value the lab holds: its users' tokens, the S3 keys, the registry's
    password, and each Secret's values (the names an S3 endpoint or bucket is are not secrets)."""
    from kubernetes import client

    found = {*lab["tokens"].values(), *lab["s3_credentials"].values()}
    for secret in client.CoreV1Api(admin_client).list_secret_for_all_namespaces().items:
        for key, value in (secret.data or {}).items():
            if key in NOT_SECRET_KEYS:
                continue
            text = base64.b64decode(value).decode("utf-8", "replace")
            if key in URI_KEYS and "://" in text:
                text = text.partition("?")[2]
            found.add(text)
            found |= set(_json_credentials(text))
    return {v.strip() for v in found if len(v.strip()) >= 6}


def _json_credentials(text: str):
    try:
        value = json.loads(text)
    except ValueError:
        return
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for key, inner in item.items():
                if key in CREDENTIAL_FIELDS and isinstance(inner, str):
                    yield inner
                    if key == "auth":
                        yield base64.b64decode(inner).decode().partition(":")[2]
                else:
                    stack.append(inner)
        elif isinstance(item, list):
            stack += item


def test_no_secret_of_the_lab_anywhere_in_the_bundle(lab, admin_client, lab_bundle) -> None:
    secrets = lab_secrets(lab, admin_client)
    assert len(secrets) > 20  # the scan looks for something
    with tarfile.open(lab_bundle) as tar:
        members = {m.name: tar.extractfile(m).read() for m in tar if m.isfile()}
    assert "manifest.json" in members and any(n.startswith("logs/") for n in members)
    blob = b"\n".join(members.values())
    for value in secrets:
        for form in (value, base64.b64encode(value.encode()).decode()):
            assert form.encode() not in blob, f"a secret of the lab ({len(value)} chars) leaked"
    # what a diagnosis needs is still there: key names, length and first/last character class
    secrets_json = json.loads(members["objects/iris-project/secrets.json"])
    models = next(s for s in secrets_json if s["metadata"]["name"] == "aws-connection-models")
    assert set(models["data"]) >= {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_S3_BUCKET"}
    marker = base64.b64decode(models["data"]["AWS_SECRET_ACCESS_KEY"]).decode()
    assert marker.startswith("<redacted len=40 first=") and "last=" in marker
    assert base64.b64decode(models["data"]["AWS_S3_BUCKET"]).decode() == "iris-project-models"
    assert lab_bundle.stat().st_size < FIVE_MB


def test_one_deployment_bundle_default_name_and_check_without_n(lab, tmp_path) -> None:
    out = doctor(lab, "bundle", "-n", "wrong-path", "fraud", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    [made] = list(tmp_path.glob("rhoai-doctor-lab-admin-*.tar.gz"))
    assert "1 deployments" in out.stdout
    with tarfile.open(made) as tar:
        manifest = json.load(io.BytesIO(tar.extractfile("manifest.json").read()))
    assert manifest["deployments"] == ["wrong-path/fraud"]
    assert manifest["meta"]["context"] == "lab-admin" and manifest["meta"]["captured_at"]
    # the only project in it: no -n needed
    replay = doctor(lab, "check", "--from", str(made), "fraud")
    assert replay.returncode == 1 and replay.stdout.startswith("Diagnosis of wrong-path/fraud")


def test_bad_captures_and_usage_are_one_line(lab, tmp_path) -> None:
    junk = tmp_path / "notes.txt"
    junk.write_text("not a bundle\n")
    for args, words in (
        (("check", "--from", str(tmp_path / "missing.tar.gz"), "x"), "no such capture"),
        (("check", "--from", str(junk), "x"), "not a tar.gz archive"),
        (("--from", str(tmp_path), "get", "projects"), "no namespaces/"),
        (("bundle",), "name one DEPLOYMENT"),
    ):
        out = doctor(lab, *args)
        assert out.returncode == 2, (args, out.stderr)
        assert len(out.stderr.strip().splitlines()) == 1 and words in out.stderr, out.stderr


def test_view_only_user_bundle_records_forbidden_reads(lab, tmp_path) -> None:
    path = tmp_path / "dev.tar.gz"
    out = doctor(
        lab, "bundle", "--context", "developer", "-n", "iris-project", "--all", "-o", str(path)
    )
    assert out.returncode == 0, out.stderr
    with tarfile.open(path) as tar:
        manifest = json.load(io.BytesIO(tar.extractfile("manifest.json").read()))
    live = doctor(
        lab, "check", "--context", "developer", "-n", "iris-project", "iris-model", "-o", "json"
    )
    replay = doctor(lab, "check", "--from", str(path), "iris-model", "-o", "json")
    assert manifest["forbidden"]["iris-project"]["secrets"]["kind"] == "forbidden"
    live_doc, replay_doc = json.loads(live.stdout), json.loads(replay.stdout)
    for doc in (live_doc, replay_doc):
        for one in doc["checks"]:
            one.pop("duration_ms")
    assert replay_doc.pop("source").endswith(" of developer")  # the live run says none
    assert replay_doc == live_doc
    data = next(c for c in replay_doc["checks"] if c["id"] == "data-connection")
    assert "you cannot list secrets in iris-project: forbidden" in data["summary"]


def test_a_planted_partial_symlink_is_never_written_through(lab, tmp_path) -> None:
    """Issue 22: `bundle -o OUT` wrote through a `<OUT>.partial` symlink someone left beside it."""
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    out = tmp_path / "out" / "iris.tar.gz"
    out.parent.mkdir()
    (out.parent / "iris.tar.gz.partial").symlink_to(victim)
    made = doctor(lab, "bundle", "-n", "iris-project", "iris-model", "-o", str(out))
    assert made.returncode == 0, made.stderr
    assert victim.read_text() == "precious\n"
    assert tarfile.is_tarfile(out) and (out.stat().st_mode & 0o777) == 0o600
    assert sorted(p.name for p in out.parent.iterdir()) == ["iris.tar.gz", "iris.tar.gz.partial"]


def test_the_progress_line_shows_a_hostile_context_name_as_text(lab, tmp_path) -> None:
    """Issue 22 (minor): `bundle` printed the context and user it connected as raw; a context
    named with a clipboard write reached the terminal."""
    import yaml

    from tests.helpers.hostile import FREE, raw_found

    config = yaml.safe_load(Path(lab["kubeconfig"]).read_text())
    config["contexts"][0]["name"] = f"lab{FREE}"
    config["current-context"] = f"lab{FREE}"
    hostile = tmp_path / "kubeconfig"
    hostile.write_text(yaml.safe_dump(config))
    out = tmp_path / "b.tar.gz"
    made = doctor(
        lab, "bundle", "--kubeconfig", str(hostile), "-n", "iris-project", "--all", "-o", str(out)
    )
    assert made.returncode == 0, made.stderr
    assert "connected to lab" in made.stderr
    assert set(raw_found(made.stderr).values()) == {0}, made.stderr
    assert "␛]52;" in made.stderr
