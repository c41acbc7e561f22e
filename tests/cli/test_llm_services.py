"""LLMInferenceServices through the real entry point: listed with the deployments (KIND
llmisvc), diagnosed by `check -n NS NAME`, the InferenceService-only checks stepping aside with
the reason, and the migration check on the half-migrated project."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.test_check import check
from tests.cli.test_get import run


def test_get_deployments_all_namespaces_lists_llm_services_with_their_kind(
    kubeconfig: Path,
) -> None:
    out = run("get", "deployments", "-A", "--kubeconfig", str(kubeconfig))
    assert out.returncode == 0, out.stderr
    header, *lines = out.stdout.splitlines()
    assert "KIND" in header.split()
    by_name = {tuple(line.split()[:2]): line.split() for line in lines}
    qwen = by_name[("llmd-httproute", "qwen")]
    assert "llmisvc" in qwen and "llm-d" in qwen, qwen
    assert "Pending" in qwen
    assert "Loaded" in by_name[("llmd-healthy", "granite")]
    assert "isvc" in by_name[("iris-project", "iris-model")]


def test_get_llmisvc_alias_and_json_show_the_version_read(kubeconfig: Path) -> None:
    out = run(
        "get",
        "llmisvc",
        "granite",
        "-n",
        "llmd-healthy",
        "--kubeconfig",
        str(kubeconfig),
        "-o",
        "json",
    )
    assert out.returncode == 0, out.stderr
    obj = json.loads(out.stdout)  # one named object: its manifest, bare (as kubectl)
    assert obj["apiVersion"] == "serving.kserve.io/v1alpha2"
    assert obj["kind"] == "LLMInferenceService"
    assert obj["spec"]["model"]["uri"] == "hf://ibm-granite/granite-3.3-2b-instruct"


def test_check_on_an_llm_service_names_the_route_and_skips_isvc_checks(lab) -> None:
    out = check(lab, "-n", "llmd-httproute", "qwen")
    assert out.returncode == 1, out.stdout + out.stderr
    lines = out.stdout.splitlines()
    assert "LLMInferenceService serving.kserve.io/v1alpha2" in lines[0]
    status = next(line for line in lines if "(deployment-status)" in line)
    assert "HTTPRoutesReady=False (HTTPRoutesNotReady)" in status
    assert "qwen-kserve-route" in status and "not ready" in status
    runtime = next(line for line in lines if "(serving-runtime)" in line)
    assert "LLMInferenceService: no ServingRuntime" in runtime
    bucket = next(line for line in lines if "(bucket-path)" in line)
    assert "LLMInferenceService: no bucket path" in bucket
    assert "Traceback" not in out.stderr


def test_check_on_the_half_migrated_project_warns_with_the_pair(lab) -> None:
    out = check(lab, "-n", "migr-half", "fraud", "-o", "json")
    report = json.loads(out.stdout)
    assert report["verdict"] == "warn"
    migration = next(c for c in report["checks"] if c["id"] == "migration")
    assert migration["status"] == "warn"
    assert (
        "fraud-raw is Loaded: the original fraud (Serverless) can be deleted"
        in migration["summary"]
    )
    assert "modelmesh-enabled=true" in migration["summary"]
    evidence = "\n".join(migration["evidence"])
    assert "pair: fraud: mode Serverless (Knative), runtime fraud" in evidence
    assert "pair: fraud-raw: mode Standard (RawDeployment), runtime fraud-raw" in evidence
    assert "runtime ovms (template ovms) is removed in 3.x; used by: nothing" in evidence
    assert "serverless-to-raw.sh" in migration["remediation"]


def test_infer_on_an_llm_service_is_one_line_naming_the_openai_api(lab) -> None:
    from tests.cli.test_infer import infer

    out = infer(lab, "-n", "llmd-healthy", "granite")
    assert out.returncode == 2, out.stdout + out.stderr
    (line,) = out.stderr.strip().splitlines()
    assert line.startswith("error: granite is an LLMInferenceService")
    assert "/v1/chat/completions" in line
