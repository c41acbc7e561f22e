"""The command line as a new user meets it: version, help, examples, one exit-code table obeyed
by every command, nested --data, inspect of an S3 folder."""

from __future__ import annotations

import json
import pickle
import re
import subprocess
from pathlib import Path

import pytest

from rhoai_doctor.exit_codes import ROWS, markdown_table
from tests.helpers.doctor_cli import run_doctor

ROOT = Path(__file__).resolve().parents[2]
SUBCOMMANDS = ("get", "inspect", "check", "infer", "lab")


def cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return run_doctor(
        [*args],
        timeout=60,
        cwd=ROOT,
        env=env,
    )


def on_lab(lab: dict, *args: str) -> subprocess.CompletedProcess:
    return cli(*args, "--kubeconfig", lab["kubeconfig"])


def infer(lab: dict, *args: str) -> subprocess.CompletedProcess:
    import os

    from lab.control import env_vars

    env = {**os.environ, **env_vars(lab)}
    return cli("infer", *args, "--kubeconfig", lab["kubeconfig"], env=env)


def test_version_and_help_say_what_no_command_does() -> None:
    version = cli("--version")
    assert version.returncode == 0 and re.match(r"rhoai-doctor \S+", version.stdout)
    top = cli("--help")
    assert "With no COMMAND, rhoai-doctor opens the console" in top.stdout
    for code, _ in ROWS:
        assert re.search(rf"^  {int(code)}\s", top.stdout, re.M), code


def test_readme_and_help_carry_the_same_exit_code_table() -> None:
    readme = (ROOT / "README.md").read_text()
    assert markdown_table() in readme
    assert readme.count("| code | meaning |") == 1  # one table, not one per section


@pytest.mark.parametrize("command", SUBCOMMANDS)
def test_every_subcommand_has_examples_and_the_exit_codes(command: str) -> None:
    out = cli(command, "--help")
    assert out.returncode == 0
    examples = out.stdout.split("examples:\n", 1)[1]
    assert f"rhoai-doctor {command}" in examples or "rhoai-doctor lab" in examples
    assert "exit codes: 0 all good, 1 a finding" in out.stdout


def test_get_takes_the_name_after_the_flags_as_kubectl(lab: dict) -> None:
    out = on_lab(lab, "get", "isvc", "-n", "iris-project", "iris-model")
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[1].split()[0] == "iris-model"
    extra = on_lab(lab, "get", "isvc", "-n", "iris-project", "iris-model", "surplus")
    assert extra.returncode == 2 and "unrecognized arguments:" in extra.stderr
    assert "surplus" in extra.stderr


def test_nested_data_is_a_batch(lab: dict) -> None:
    rows = "[[5.1,3.5,1.4,0.2],[6.2,3.4,5.4,2.3]]"
    curl = infer(lab, "-n", "iris-project", "iris-model", "--data", rows, "--curl")
    assert curl.returncode == 0, curl.stderr
    body = json.loads(curl.stdout.split("--data '", 1)[1].rsplit("'", 1)[0])
    tensor = body["inputs"][0]
    assert tensor["shape"] == [2, 4] and tensor["data"] == [5.1, 3.5, 1.4, 0.2, 6.2, 3.4, 5.4, 2.3]
    sent = infer(lab, "-n", "iris-project", "iris-model", "--data", rows, "-o", "json")
    assert sent.returncode == 0, sent.stderr
    answer = {o["name"]: o for o in json.loads(sent.stdout)["response"]["outputs"]}
    assert answer["label"]["shape"] == [2] and answer["scores"]["shape"] == [2, 3]
    wrong = infer(lab, "-n", "iris-project", "iris-model", "--data", "[[1,2,3],[4,5,6]]")
    assert wrong.returncode == 2 and wrong.stderr.splitlines() == [
        "error: --data is 2x3 but input X takes Nx4 (shape [-1, 4]): nest it as the model's rows"
    ]
    ragged = infer(lab, "-n", "iris-project", "iris-model", "--data", "[[1,2,3,4],[5]]")
    assert ragged.returncode == 2 and "ragged" in ragged.stderr


def test_a_model_that_is_not_onnx_exits_1_from_every_command(lab: dict, tmp_path: Path) -> None:
    """One failure, one code: not the cluster-unreachable code (2) from infer, 1 from check."""
    pkl = tmp_path / "mymodel.pkl"
    pkl.write_bytes(pickle.dumps({"weights": [1, 2, 3]}))
    assert cli("inspect", str(pkl)).returncode == 1
    sent = infer(lab, "-n", "pickle-model", "purchase-amount")
    assert sent.returncode == 1, sent.stdout + sent.stderr
    assert (
        sent.stderr.startswith("error: cannot build a request: ") and "mymodel.pkl" in sent.stderr
    )
    checked = on_lab(lab, "check", "-n", "pickle-model", "purchase-amount")
    assert checked.returncode == 1
    folder = on_lab(lab, "inspect", "s3://pickle-model-models/purchase/", "-n", "pickle-model")
    assert folder.returncode == 1 and "no ONNX file here" in folder.stdout
    assert "purchase/mymodel.pkl" in folder.stdout
    # ... and a bucket that does not exist is a finding about the connection, as check says
    assert infer(lab, "-n", "bucket-typo", "iris").returncode == 1
    assert on_lab(lab, "check", "-n", "bucket-typo", "iris").returncode == 1
    # what could not be looked at stays 2
    forbidden = on_lab(lab, "infer", "-n", "iris-project", "iris-model", "--context", "developer")
    assert forbidden.returncode == 2, forbidden.stderr


def test_inspect_a_folder_lists_it_and_reads_its_model(lab: dict) -> None:
    for uri in ("s3://iris-project-models/iris/", "s3://iris-project-models/iris"):
        out = on_lab(lab, "inspect", uri, "-n", "iris-project")  # the only connection
        assert out.returncode == 0, out.stdout + out.stderr
        assert "HTML" not in out.stdout + out.stderr
        assert "through data connection aws-connection-models: 1 object" in out.stdout
        assert re.search(r"iris/rf_iris\.onnx\s+689\s+yes", out.stdout), out.stdout
        assert "model iris/rf_iris.onnx:" in out.stdout and "scores" in out.stdout
    doc = json.loads(
        on_lab(
            lab, "inspect", "s3://iris-project-models/iris/", "-n", "iris-project", "-o", "json"
        ).stdout
    )
    assert doc["model"] == "iris/rf_iris.onnx" and doc["objects"][0]["size"] == 689
    assert [i["name"] for i in doc["signature"]["inputs"]] == ["X"]
    missing = on_lab(lab, "inspect", "s3://iris-project-models/nope/", "-n", "iris-project")
    assert missing.stderr.splitlines() == [
        "error: nothing at s3://iris-project-models/nope/; the bucket holds: iris/"
    ]
    unknown = on_lab(lab, "inspect", "s3://x/y", "-n", "iris-project", "--connection", "nope")
    assert unknown.returncode == 2
    assert 'data connection "nope" not found in iris-project (there: aws-connection-models)' in (
        unknown.stderr
    )


def test_an_s3_ca_file_ssl_cannot_load_is_named_when_s3_is_dialled(
    lab: dict, tmp_path: Path
) -> None:
    """--s3-ca is checked for its PEM form at start (boto3 loads it itself, so ours would be
    thrown away); one ssl refuses is named as the file, not as a failed verification."""
    import base64

    body = base64.encodebytes(b"0\x82\x01\x00" + b"\x01" * 256).decode()
    shaped = tmp_path / "shaped.crt"
    shaped.write_text(f"-----BEGIN CERTIFICATE-----\n{body}-----END CERTIFICATE-----\n")
    uri, project = "s3://s3-ca-not-in-pod-models/", "s3-ca-not-in-pod"  # its S3 is over TLS
    refused = on_lab(lab, "inspect", uri, "-n", project, "--s3-ca", str(shaped))
    assert refused.returncode == 2, refused.stdout + refused.stderr
    [line] = refused.stderr.splitlines()
    assert line.startswith(f"error: {shaped} (--s3-ca / $AWS_CA_BUNDLE) holds no certificate")
    assert "ssl can load" in line and "PEM lib" in line
    read = on_lab(lab, "inspect", uri, "-n", project, "--s3-ca", lab["ca_file"])
    assert read.returncode == 0 and "model: domain ai.onnx" in read.stdout, read.stderr


def test_lab_up_says_already_running_and_the_next_step(lab: dict) -> None:
    state = str(Path(lab["kubeconfig"]).parent)
    out = cli("lab", "up", "--state", state)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("the lab is already running")
    assert f'next: eval "$(rhoai-doctor lab env --state {state})"' in out.stdout


def test_check_all_ends_with_a_summary_table(lab: dict) -> None:
    out = on_lab(lab, "check", "-n", "migr-half", "--all")
    lines = out.stdout.rstrip().splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("DEPLOYMENT"))
    assert lines[header].split() == ["DEPLOYMENT", "VERDICT", "STATE", "ROOT", "CAUSE"]
    rows = lines[header + 1 : -2]  # then a blank line and the count line
    assert lines[-1] == "2 deployments: 2 error"
    assert len(rows) == 2 and all(r.startswith("migr-half/") for r in rows)
