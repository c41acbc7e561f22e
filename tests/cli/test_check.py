"""`rhoai-doctor check` as scripts use it: exit codes, formats, and no secret in any of them."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from xml.etree import ElementTree

import pytest

from checks.catalog import CATALOG
from lab.control import env_vars
from lab.field_scenarios import FIELD_DEPLOYMENTS
from lab.scenarios import SCENARIOS
from tests.helpers import secret_value
from tests.helpers.doctor_cli import run_doctor

ROOT = Path(__file__).resolve().parents[2]


def check(lab: dict, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, **env_vars(lab)}
    return run_doctor(
        ["check", *args],
        timeout=120,
        cwd=ROOT,
        env=env,
    )


def test_healthy_exit_0_and_table_reads_like_flutter_doctor(lab) -> None:
    out = check(lab, "-n", "iris-project", "iris-model")
    assert out.returncode == 0, out.stdout + out.stderr
    lines = out.stdout.splitlines()
    assert lines[0] == "Diagnosis of iris-project/iris-model (modelmesh) — state: Loaded"
    assert sum(line.startswith("[✓]") for line in lines) == len(CATALOG)
    assert lines[1].startswith("Verdict: pass")  # the verdict first, the detail after


def test_failure_exit_1_with_evidence_and_fix(lab) -> None:
    out = check(lab, "-n", "wrong-path", "fraud")
    assert out.returncode == 1
    assert "[✗] Model files in the bucket (bucket-path)" in out.stdout
    assert "    → fix: " in out.stdout
    assert "[-] Model format (model-format): blocked by bucket-path" in out.stdout


def test_json_shape(lab) -> None:
    out = check(lab, "-n", "wrong-secret", "iris-model", "-o", "json")
    doc = json.loads(out.stdout)
    assert set(doc) == {"target", "checks", "verdict"}
    assert doc["target"] == {
        "namespace": "wrong-secret",
        "name": "iris-model",
        "platform": "modelmesh",
        "state": "FailedToLoad · ModelLoadFailed",
        "mode": "ModelMesh",
        "dashboard": "dashboard shows Failed",
    }
    assert doc["verdict"] == "fail"
    assert set(doc["checks"][0]) == {
        "id",
        "title",
        "status",
        "summary",
        "evidence",
        "remediation",
        "duration_ms",
    }


def test_unknown_deployment_is_exit_2(lab) -> None:
    out = check(lab, "-n", "iris-project", "nope")
    assert out.returncode == 2
    assert out.stderr.strip() == (
        'error: deployment "nope" not found in iris-project (deployments there: iris-model)'
    )


@pytest.mark.parametrize("output", ["table", "json", "markdown", "junit"])
def test_no_secret_or_token_in_any_format(lab, admin_client, output) -> None:
    secrets = [
        lab["s3_credentials"]["secret_access_key"],
        lab["s3_credentials"]["access_key_id"],
        *lab["tokens"].values(),
    ]
    for namespace, sa in (
        ("iris-project", "model-server-sa"),
        ("token-no-rolebinding", "model-server-sa"),
        ("pricing-project", "pricing-sa"),
    ):
        secrets.append(secret_value(admin_client, namespace, f"default-name-{sa}", "token"))
    wrong = secret_value(
        admin_client, "wrong-secret", "aws-connection-models", "AWS_SECRET_ACCESS_KEY"
    )
    secrets.append(wrong)
    out = check(lab, "--all", "-A", "-o", output)
    assert out.returncode == 1
    text = out.stdout + out.stderr
    for value in secrets:
        assert value not in text
    if output == "junit":
        for suite in text.split('<?xml version="1.0" encoding="UTF-8"?>')[1:]:
            ElementTree.fromstring(suite.strip())
    if output == "json":
        assert len(json.loads(out.stdout)["reports"]) == len(SCENARIOS) + FIELD_DEPLOYMENTS


def test_an_invalid_or_expired_token_is_named(lab) -> None:
    out = check(
        lab, "-n", "iris-project", "iris-model", "--token", "eyJhbGciOi.not.valid", "-o", "json"
    )
    assert out.returncode == 1
    token = next(c for c in json.loads(out.stdout)["checks"] if c["id"] == "token")
    assert token["status"] == "fail"
    assert token["summary"].startswith("the API server rejects the token (401)")


def test_a_view_only_user_gets_blocked_checks_and_exit_2(lab) -> None:
    """No internal error, no traceback: what needs secrets is blocked, and a report that could
    not judge everything does not pass CI."""
    out = check(lab, "-n", "iris-project", "iris-model", "--context", "developer")
    assert out.returncode == 2, out.stdout + out.stderr
    assert "Traceback" not in out.stderr and "internal error" not in out.stdout
    assert "(model-format): blocked: you cannot list secrets in iris-project" in out.stdout
    assert "(token): blocked: you cannot list secrets in iris-project" in out.stdout
    assert out.stdout.splitlines()[1].startswith("Verdict: error")


def test_tls_not_verified_is_said_loudly(lab) -> None:
    out = check(lab, "-n", "iris-project", "iris-model", "--insecure-skip-tls-verify")
    assert out.stderr.startswith("warning: TLS certificates are NOT verified"), out.stderr
    assert out.stdout.splitlines()[0].endswith("— TLS NOT VERIFIED")
    assert out.returncode == 0, out.stdout + out.stderr


def test_check_all_ends_with_a_summary_of_every_deployment(lab) -> None:
    out = check(lab, "-A", "--all")
    assert out.returncode == 1, out.stderr
    lines = out.stdout.splitlines()
    start = max(i for i, line in enumerate(lines) if line.startswith("DEPLOYMENT"))
    summary = lines[start + 1 : -2]  # then a blank line and the count line
    assert lines[-1].startswith(f"{len(summary)} deployments: ")
    assert len(summary) == len(SCENARIOS) + FIELD_DEPLOYMENTS
    oom = next(line for line in summary if line.startswith("oom-crashloop/iris "))
    assert "Pending · CrashLoopBackOff (OOMKilled)" in oom and "runtime-pods:" in oom


def test_a_crashing_vllm_server_is_explained_from_its_previous_log(lab) -> None:
    out = check(lab, "-n", "vllm-kv-cache", "llama-chat")
    assert out.returncode == 1, out.stdout + out.stderr
    assert "[✗] Runtime pods (runtime-pods): vLLM in llama-chat-predictor-" in out.stdout
    assert "(--max-model-len=32768 is set); set --max-model-len=9168" in out.stdout
    assert (
        '    • previous log of kserve-container: "ValueError: To serve at least one request '
        "with the models's max seq len (32768)"
    ) in out.stdout
    assert "[✓] Model format (model-format): Hugging Face folder for vLLM" in out.stdout
    assert "[✓] Model server (ServingRuntime) (serving-runtime): llama-chat serves vLLM" in (
        out.stdout
    )


def test_a_token_kube_rbac_proxy_refuses_is_named_with_its_words(lab) -> None:
    """RHOAI 3.x Standard: the proxy's own 403 line, who it refused and the missing permission."""
    out = check(lab, "-n", "auth-denied", "iris")
    assert out.returncode == 1, out.stdout + out.stderr
    line = next(x for x in out.stdout.splitlines() if "(token):" in x)
    assert line.startswith("[✗] Token and authorization (token): ")
    assert "iris-sa may not get inferenceservices/iris in auth-denied" in line
    assert (
        "kube-rbac-proxy answers 403 Forbidden (user=system:serviceaccount:auth-denied:iris-sa, "
        "verb=get, resource=inferenceservices, subresource=)"
    ) in line
    assert (
        "→ fix: Recreate the role binding iris-view (iris-sa -> Role iris-view-role" in out.stdout
    )
    assert "[✓] Who may call the model (auth): token auth is enforced" in out.stdout


def test_an_open_model_is_a_loud_warning_not_a_pass(lab) -> None:
    out = check(lab, "-n", "auth-open", "iris")
    assert out.returncode == 0, out.stdout + out.stderr
    assert (
        "[!] Who may call the model (auth): iris is open: it answered 200 to a request with no "
        "token — anyone who can reach the route can call it"
    ) in out.stdout
    assert out.stdout.splitlines()[1].startswith("Verdict: warn")
    strict = check(lab, "-n", "auth-open", "iris", "--fail-on", "warn")
    assert strict.returncode == 1, strict.stdout + strict.stderr


def test_the_routes_tls_step_is_its_requests_own_handshake(lab) -> None:
    """The TLS step is told from the HTTP request's own connection: without the router's CA
    it names the certificate nobody trusts (after DNS and TCP, before any HTTP); with
    --insecure-skip-tls-verify the handshake is done unverified and the model answers."""
    env = {**os.environ, **env_vars(lab)}
    env.pop("RHOAI_DOCTOR_ROUTE_CA")

    def route(*flags: str) -> dict:
        args = ["check", "-n", "iris-project", "iris-model", "-o", "json", *flags]
        out = run_doctor(args, timeout=120, cwd=ROOT, env=env)
        return next(c for c in json.loads(out.stdout)["checks"] if c["id"] == "route")

    untrusted = route()
    host = "iris-model-iris-project.apps.rhoai-lab.test"
    assert untrusted["status"] == "fail", untrusted
    assert untrusted["summary"].startswith(f"TLS: the certificate of {host} is not trusted ("), (
        untrusted
    )
    steps = [line.split(":")[0] for line in untrusted["evidence"]]
    assert "TCP" in steps and not any(s in ("TLS", "HTTP GET /v2/models/iris-model") for s in steps)
    unverified = route("--insecure-skip-tls-verify")
    assert unverified["status"] == "pass", unverified
    assert "TLS: handshake done (certificate not verified)" in unverified["evidence"]
