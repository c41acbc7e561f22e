"""Which files land in the model directory and which one the runtime loads, as `check` and
`inspect s3://` say it on the lab (lab/scenarios_model_dir.py): one answer, so they agree."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from tests.helpers.doctor_cli import run_doctor

ROOT = Path(__file__).resolve().parents[2]


def doctor(lab: dict, *args: str) -> subprocess.CompletedProcess:
    from lab.control import env_vars

    return run_doctor(
        [*args, "--kubeconfig", lab["kubeconfig"]],
        timeout=120,
        cwd=ROOT,
        env={**os.environ, **env_vars(lab)},
    )


def checked(lab: dict, project: str, name: str) -> tuple[int, dict[str, dict]]:
    out = doctor(lab, "check", "-n", project, name, "-o", "json")
    assert out.stdout, out.stderr
    doc = json.loads(out.stdout)
    return out.returncode, {c["id"]: c for c in doc["checks"]}


def said(result: dict) -> str:
    return "\n".join([result["summary"], *result.get("evidence", [])])


def test_path_iris_judges_iris_not_the_iris_v2_sibling_and_inspect_agrees(lab) -> None:
    """KServe's prefix has no "/" boundary: iris-v2/ is downloaded too (to /mnt/models/-v2),
    but OVMS serves /mnt/models/1: iris/1/model.onnx is the file judged."""
    code, checks = checked(lab, "md-prefix-sibling", "iris")
    table = {k: v["summary"] for k, v in checks.items()}
    assert code == 0, table
    bucket = said(checks["bucket-path"])
    assert "the runtime loads iris/1/model.onnx (version 1)" in bucket, bucket
    assert '"iris" has no "/" boundary: iris-v2 is downloaded too' in bucket, bucket
    assert (
        "/mnt/models/ (predicted, initializer rules odh-v2.29..v3.3)" in bucket
        and "-v2/1/model.onnx" in bucket
    ), bucket
    assert checks["model-format"]["summary"].startswith("iris/1/model.onnx: ONNX"), table
    assert checks["input-shape"]["status"] == "pass", table
    out = doctor(lab, "inspect", "s3://md-prefix-sibling-models/iris", "-n", "md-prefix-sibling")
    assert out.returncode == 0, out.stderr
    assert "model iris/1/model.onnx:" in out.stdout, out.stdout
    assert "-v2/1/model.onnx" in out.stdout  # where the sibling lands, shown


def test_versions_1_and_2_judge_the_version_ovms_serves(lab) -> None:
    code, checks = checked(lab, "md-two-versions", "iris")
    table = {k: v["summary"] for k, v in checks.items()}
    assert code == 0, table
    assert "the runtime loads iris/2/model.onnx (version 2)" in checks["bucket-path"]["summary"]
    assert "OVMS serves the highest, 2" in said(checks["bucket-path"])
    assert checks["model-format"]["summary"].startswith("iris/2/model.onnx: ONNX"), table
    out = doctor(lab, "inspect", "s3://md-two-versions-models/iris/", "-n", "md-two-versions")
    assert "model iris/2/model.onnx:" in out.stdout, out.stdout + out.stderr


def test_modelmesh_with_an_empty_path_pulls_nothing(lab) -> None:
    code, checks = checked(lab, "md-mm-empty-path", "iris-model")
    bucket = checks["bucket-path"]
    assert code == 1 and bucket["status"] == "fail", bucket
    assert "the ModelMesh puller pulls NOTHING" in bucket["summary"]
    # the model id from the deployment's own status, as the OVMS adapter words the failure
    assert "stat /models/iris-model__isvc-" in bucket["summary"]
    assert "/_model: no such file or directory" in bucket["summary"]
    assert "  (empty: nothing is downloaded)" in bucket["evidence"]
    assert "downloads all of the bucket" not in said(bucket)
    assert checks["model-format"]["status"] == "skip"


def test_a_model_after_the_first_1000_objects_is_found(lab) -> None:
    code, checks = checked(lab, "md-1201-files", "catalog")
    table = {k: v["summary"] for k, v in checks.items()}
    assert code == 0, table
    assert checks["model-format"]["summary"].startswith("catalog/1/model.onnx: ONNX"), table


def test_the_1201_files_folder_is_not_called_modelless_while_the_listing_is_cut(lab) -> None:
    """Until the listing pages, a cut listing is said to be cut, not "no .onnx file"."""
    _, checks = checked(lab, "md-1201-files", "catalog")
    table = {k: v["summary"] for k, v in checks.items()}
    assert "no .onnx file under" not in checks["model-format"]["summary"], table


def test_a_single_file_model_over_2_gib_is_refused_by_check_and_inspect(lab) -> None:
    """protobuf cannot parse a message of 2 GiB or more: onnx and onnxruntime refuse the file.
    (The lab keeps the 2 GiB object sparse; nothing reads it whole.)"""
    code, checks = checked(lab, "md-too-large", "big")
    fmt = checks["model-format"]
    assert code == 1 and fmt["status"] == "fail", fmt
    assert fmt["summary"].startswith("big/1/model.onnx: the model is one 2.00 GiB file"), fmt
    assert "protobuf cannot parse a message of 2 GiB or more" in fmt["summary"]
    assert "save_as_external_data=True" in fmt["remediation"]
    out = doctor(lab, "inspect", "s3://md-too-large-models/big/1/model.onnx", "-n", "md-too-large")
    assert out.returncode == 1, out.stdout + out.stderr
    assert len(out.stderr.splitlines()) == 1 and "2 GiB or more" in out.stderr, out.stderr


def test_missing_external_data_is_named_by_check_and_inspect(lab) -> None:
    code, checks = checked(lab, "md-external-missing", "iris")
    fmt = checks["model-format"]
    assert code == 1 and fmt["status"] == "fail", fmt
    assert "external data file iris/1/weights.bin is missing (weight W)" in fmt["summary"], fmt
    uri = "s3://md-external-missing-models/iris/1/model.onnx"
    out = doctor(lab, "inspect", uri, "-n", "md-external-missing")
    assert out.returncode == 1, out.stdout + out.stderr
    assert "external data: 1 weight(s) in weights.bin" in out.stdout
    assert "problem: external data file iris/1/weights.bin is missing (weight W)" in out.stdout


def test_inspect_shows_the_models_doc_version_and_metadata_props(tmp_path: Path) -> None:
    import onnx

    from lab.models import build_pricing

    model = onnx.load_from_string(build_pricing())
    model.doc_string = "Prices with a discount.\nSecond line."
    model.model_version = 7
    model.domain = "com.example"
    onnx.helper.set_model_props(model, {"author": "pricing team", "license": "Apache-2.0"})
    path = tmp_path / "pricing.onnx"
    path.write_bytes(model.SerializeToString())
    out = run_doctor(
        ["inspect", str(path)],
        timeout=60,
        cwd=ROOT,
    )
    assert out.returncode == 0, out.stderr
    assert "model: domain com.example, model_version 7" in out.stdout
    assert "doc_string: Prices with a discount." in out.stdout
    assert "metadata_props: author = pricing team" in out.stdout
    assert "metadata_props: license = Apache-2.0" in out.stdout


def test_the_composers_prefill_reads_the_version_ovms_serves(lab) -> None:
    """`infer` builds its body from the graph the landing names: iris/2, the one served (v1
    is another model's graph: a body from it is refused)."""
    out = doctor(lab, "infer", "-n", "md-two-versions", "iris")
    assert out.returncode == 0, out.stdout + out.stderr
    assert "body from the ONNX graph of s3://md-two-versions-models/iris/2/model.onnx" in out.stdout
    assert "server metadata agrees with the ONNX graph" in out.stdout


def test_a_bundle_replays_the_same_landing(lab, tmp_path: Path) -> None:
    bundle = tmp_path / "md.tar.gz"
    made = doctor(lab, "bundle", "-n", "md-prefix-sibling", "iris", "-o", str(bundle))
    assert made.returncode == 0, made.stdout + made.stderr
    replay = doctor(
        lab, "check", "--from", str(bundle), "-n", "md-prefix-sibling", "iris", "-o", "json"
    )
    doc = {c["id"]: c for c in json.loads(replay.stdout)["checks"]}
    assert "the runtime loads iris/1/model.onnx (version 1)" in doc["bucket-path"]["summary"]
    assert doc["model-format"]["summary"].startswith("iris/1/model.onnx: ONNX")
