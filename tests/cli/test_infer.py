"""`rhoai-doctor infer` against the lab: prefill, validation before sending, explanations, the
local comparison, and the curl it exports."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from lab.control import env_vars
from lab.scenarios import SCENARIOS
from tests.helpers import secret_value
from tests.helpers.doctor_cli import run_doctor

ROOT = Path(__file__).resolve().parents[2]
SEED = {"inputs": [{"name": "X", "shape": [1, 4], "datatype": "FP32", "data": [3, 4, 3, 2]}]}


def lab_env(lab: dict) -> dict:
    return {**os.environ, **env_vars(lab)}


def infer(lab: dict, *args: str) -> subprocess.CompletedProcess:
    return run_doctor(
        ["infer", *args],
        timeout=120,
        cwd=ROOT,
        env=lab_env(lab),
    )


def request_file(tmp_path: Path, body: dict | str) -> str:
    path = tmp_path / "request.json"
    path.write_text(body if isinstance(body, str) else json.dumps(body))
    return str(path)


def test_prefilled_request_returns_200_and_matches_onnxruntime(lab) -> None:
    out = infer(lab, "-n", "iris-project", "iris-model", "--compare-local", "-o", "json")
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert doc["status"] == 200
    assert {o["name"] for o in doc["response"]["outputs"]} == {"label", "scores"}
    assert [c["agrees"] for c in doc["comparison"]] == [True, True]


def test_two_input_kserve_model_prefill(lab) -> None:
    out = infer(lab, "-n", "pricing-project", "pricing", "--example")
    body = json.loads(out.stdout)
    assert [(i["name"], i["shape"]) for i in body["inputs"]] == [
        ("features", [1, 3]),
        ("discount", [1, 1]),
    ]
    sent = infer(lab, "-n", "pricing-project", "pricing", "--compare-local")
    assert sent.returncode == 0, sent.stdout + sent.stderr
    assert "price" in sent.stdout and "agrees" in sent.stdout


def test_the_seed_request_asking_for_output0_is_not_sent(lab, tmp_path) -> None:
    body = {**SEED, "outputs": [{"name": "output0"}]}
    out = infer(lab, "-n", "iris-project", "iris-model", "--request", request_file(tmp_path, body))
    assert out.returncode == 1
    assert "the request was not sent" in out.stderr
    assert 'requested output "output0" is not an output of the model' in out.stderr


BAD = {
    "name": ({"inputs": [{**SEED["inputs"][0], "name": "predict"}]}, 'input "predict"'),
    "datatype": ({"inputs": [{**SEED["inputs"][0], "datatype": "FP64"}]}, "datatype FP64"),
    "rank": ({"inputs": [{**SEED["inputs"][0], "shape": [4]}]}, "1 dimensions"),
    "dims": (
        {"inputs": [{**SEED["inputs"][0], "shape": [1, 3], "data": [1, 2, 3]}]},
        "dimension 1 is 3",
    ),
    "count": ({"inputs": [{**SEED["inputs"][0], "data": [1, 2, 3]}]}, "3 values"),
    "json": ('{"inputs": [', "not valid JSON"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_malformed_requests_are_caught_locally(lab, tmp_path, case) -> None:
    body, words = BAD[case]
    out = infer(lab, "-n", "iris-project", "iris-model", "--request", request_file(tmp_path, body))
    assert out.returncode == 1
    assert "the request was not sent" in out.stderr and words in out.stderr


@pytest.mark.parametrize(
    ("case", "words"),
    [
        ("name", "Missing input with specific name"),
        ("datatype", "Invalid input precision"),
        ("dims", "Invalid input shape"),
        ("count", "Invalid number of values"),
    ],
)
def test_forced_requests_get_the_servers_answer_explained(lab, tmp_path, case, words) -> None:
    out = infer(
        lab,
        "-n",
        "pricing-project",
        "pricing",
        "--request",
        request_file(tmp_path, _for_pricing(case)),
        "--force",
        "-o",
        "json",
    )
    assert out.returncode == 1
    doc = json.loads(out.stdout)
    assert doc["status"] == 400 and doc["answered_by"] == "model server"
    assert words in doc["explanation"] and " — " in doc["explanation"]


def _for_pricing(case: str) -> dict:
    features = {"name": "features", "shape": [1, 3], "datatype": "FP32", "data": [1, 2, 3]}
    discount = {"name": "discount", "shape": [1, 1], "datatype": "FP32", "data": [0.1]}
    broken = {
        "name": {**features, "name": "feature"},
        "datatype": {**features, "datatype": "FP64"},
        "dims": {**features, "shape": [1, 2], "data": [1, 2]},
        "count": {**features, "data": [1, 2]},
    }[case]
    return {"inputs": [broken, discount]}


def test_missing_token_and_missing_route_are_explained(lab) -> None:
    out = infer(lab, "-n", "token-no-rolebinding", "iris-model", "-o", "json")
    doc = json.loads(out.stdout)
    assert doc["status"] == 403 and doc["answered_by"] == "oauth-proxy"
    assert "role binding" in doc["explanation"]
    bad = infer(lab, "-n", "pricing-project", "pricing", "--token", "not-a-token", "-o", "json")
    assert json.loads(bad.stdout)["status"] == 401
    assert "Authorino" in json.loads(bad.stdout)["explanation"]
    missing = infer(lab, "-n", "route-disabled", "iris-model")
    assert missing.returncode == 2
    assert "has no external URL" in missing.stderr and "Traceback" not in missing.stderr


def test_the_exported_curl_gets_the_same_answer(lab, admin_client) -> None:
    import shutil

    if shutil.which("curl") is None:
        subprocess.run(
            ["apt-get", "install", "-y", "-q", "curl"],
            check=False,
            capture_output=True,
            timeout=300,
        )
    command = infer(lab, "-n", "iris-project", "iris-model", "--data", "[3,4,3,2]", "--curl")
    assert command.returncode == 0 and "$TOKEN" in command.stdout
    token = secret_value(admin_client, "iris-project", "default-name-model-server-sa", "token")
    by_curl = subprocess.run(
        ["bash", "-c", command.stdout],
        capture_output=True,
        text=True,
        timeout=60,
        env={**lab_env(lab), "TOKEN": token},
    )
    ours = infer(lab, "-n", "iris-project", "iris-model", "--data", "[3,4,3,2]", "-o", "json")
    assert json.loads(by_curl.stdout)["outputs"] == json.loads(ours.stdout)["response"]["outputs"]


def test_repeat_reports_latency_percentiles(lab) -> None:
    out = infer(
        lab,
        "-n",
        "iris-project",
        "iris-model",
        "--repeat",
        "20",
        "--concurrency",
        "4",
        "-o",
        "json",
    )
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert doc["count"] == 20 and doc["errors"] == 0 and doc["statuses"] == {"200": 20}
    assert 0 < doc["p50_ms"] <= doc["p95_ms"] <= doc["p99_ms"]


def test_the_servers_metadata_is_compared_with_the_graph(lab) -> None:
    out = infer(lab, "-n", "pricing-project", "pricing", "--example")
    assert "# server metadata agrees with the ONNX graph" in out.stderr


def test_metadata_disagreements_are_named() -> None:
    from checks.engine.facts import metadata_disagreements
    from checks.model_files.onnx import read_signature
    from lab.models import build_iris_kmeans

    signature = read_signature(build_iris_kmeans())
    metadata = {
        "inputs": [
            {"name": "X", "datatype": "FP64", "shape": [-1, 3]},
            {"name": "extra", "datatype": "FP32", "shape": [1]},
        ]
    }
    assert metadata_disagreements(metadata, signature) == [
        'input "X": server says FP64, graph says FP32',
        'input "X": server shape [-1, 3], graph shape [-1, 4]',
        'the server lists input "extra" the graph does not have',
    ]


@pytest.mark.parametrize(
    "scenario", [s for s in SCENARIOS if not s.healthy], ids=lambda s: s.project
)
def test_infer_on_a_broken_deployment_says_why_in_words(lab, scenario) -> None:
    out = infer(lab, "-n", scenario.project, scenario.deployment, "--compare-local")
    assert out.returncode in (1, 2), out.stdout + out.stderr
    assert "Traceback" not in out.stderr
    if out.stderr.startswith("error: "):  # 2 could not look, 1 a finding about the model
        assert len(out.stderr.strip().splitlines()) == 1, out.stderr
    else:
        assert out.returncode == 1, out.stdout + out.stderr
        assert " — " in out.stdout.splitlines()[1]  # "<code> in <ms> — <explanation>"


def test_a_view_only_user_gets_one_line_not_a_traceback(lab) -> None:
    """The developer context may not read secrets in iris-project: no body can be built from
    the model, which is said in one line naming why and the way out."""
    out = infer(lab, "-n", "iris-project", "iris-model", "--context", "developer")
    assert out.returncode == 2, out.stdout + out.stderr
    assert out.stderr.splitlines() == [
        "error: cannot build a request: the model file could not be read: you cannot list "
        "secrets in iris-project: forbidden; pass --request FILE.json"
    ]


def test_a_burst_against_a_dead_route_stops_early_and_says_why(lab) -> None:
    """Nothing listens where the route leads: the burst stops after a few, not after 50."""
    out = infer(
        lab,
        "-n",
        "pricing-project",
        "pricing",
        "--repeat",
        "50",
        "--concurrency",
        "4",
        "--connect-to",
        "*.apps.rhoai-lab.test:443:127.0.0.1:9",
    )
    assert out.returncode == 1, out.stdout + out.stderr
    import re

    stopped = re.search(r"stopped early: (\d+) requests in a row got no answer", out.stdout)
    assert stopped and int(stopped.group(1)) < 50, out.stdout
    assert "refused the connection" in out.stdout and "Traceback" not in out.stderr


def test_burst_errors_are_grouped_by_reason(lab, tmp_path) -> None:
    """A route whose proxy answers 403 to every request: the burst counts them under that reason
    (table and JSON), not as a bare error count."""
    from tests.helpers.faults import FaultServer, make_tls

    tls = make_tls(tmp_path, f"*.{lab['apps_domain']}")
    with FaultServer("403", tls) as server:
        route = ("--connect-to", f"*.{lab['apps_domain']}:443:127.0.0.1:{server.port}")
        burst = ("--repeat", "12", "--concurrency", "3", "--route-ca", tls.ca_file)
        table = infer(lab, "-n", "iris-project", "iris-model", *burst, *route)
        doc = json.loads(
            infer(lab, "-n", "iris-project", "iris-model", *burst, *route, "-o", "json").stdout
        )
    assert table.returncode == 1, table.stderr
    assert "errors by reason: 12x 403: " in table.stdout, table.stdout
    assert doc["errors"] == 12 and list(doc["errors_by_reason"].values()) == [12]
    assert next(iter(doc["errors_by_reason"])).startswith("403: ")


def test_infer_through_kube_rbac_proxy_explains_its_403_in_one_line(lab) -> None:
    out = infer(lab, "-n", "auth-denied", "iris")
    assert out.returncode == 1, out.stdout + out.stderr
    line = out.stdout.splitlines()[1]
    assert line.startswith("403 in ") and " — 403 from kube-rbac-proxy: Forbidden (user=" in line
    assert "system:serviceaccount:auth-denied:iris-sa may not get inferenceservices/iris" in line
    assert "Role iris-view-role and RoleBinding iris-view" in line
