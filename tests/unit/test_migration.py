"""The migration check on recorded projects: a healthy 2.x project gets the deprecation as a
note and never a warning; the same project with a 3.x sign (a kube-rbac-proxy sidecar, a -raw
pair, a stale ModelMesh label) gets a warning naming what to do."""

from __future__ import annotations

import copy

import pytest

from checks import resources
from checks.catalog.migration import Migration, pairs
from checks.engine.runner import Status
from tests.helpers import judge, recorded_raw, recorded_snapshot


def project(name: str, modelmesh: str | None) -> resources.Project:
    labels = {"opendatahub.io/dashboard": "true"}
    if modelmesh is not None:
        labels["modelmesh-enabled"] = modelmesh
    return resources.Project.parse({"metadata": {"name": name, "labels": labels}})


@pytest.mark.parametrize(
    ("ns", "name", "flag", "mode"),
    [
        ("pricing-project", "pricing", "false", "Serverless"),
        ("iris-project", "iris-model", "true", "ModelMesh"),
    ],
)
def test_a_2x_project_gets_a_note_not_a_warning(ns, name, flag, mode) -> None:
    outcome = judge(Migration(), ns, name, {"project": project(ns, flag)})
    assert outcome.status == Status.PASS, outcome
    assert outcome.summary.startswith(
        f"{mode} serves on 2.x (no 3.x sign in this project); note: deprecated"
    )
    assert any(e.startswith("3.x sign: none in this project") for e in outcome.evidence)


def test_iris_ovms_runtime_is_only_noted_on_2x() -> None:
    outcome = judge(
        Migration(), "iris-project", "iris-model", {"project": project("iris-project", "true")}
    )
    assert (
        "finding: runtime model-server (template ovms) is removed in 3.x; used by: iris-model"
        in outcome.evidence
    )


def test_a_kube_rbac_proxy_sidecar_makes_the_deprecation_a_warning() -> None:
    raw = copy.deepcopy(recorded_raw("pricing-project"))
    pod = next(p for p in raw["pods"] if p["metadata"]["name"].startswith("pricing-predictor"))
    pod["spec"]["containers"].append({"name": "kube-rbac-proxy", "image": "kube-rbac-proxy:v0.18"})
    outcome = judge(
        Migration(),
        "pricing-project",
        "pricing",
        {"project": project("pricing-project", "false")},
        raw=raw,
    )
    assert outcome.status == Status.WARN, outcome
    assert outcome.summary.startswith(
        "migration pending: pricing is Serverless, deprecated and removed"
    )
    assert "serverless-to-raw.sh" in outcome.summary
    assert any("kube-rbac-proxy sidecar" in e for e in outcome.evidence)


def test_the_half_migrated_project_warns_with_the_pair_side_by_side() -> None:
    outcome = judge(Migration(), "migr-half", "fraud", {"project": project("migr-half", "true")})
    assert outcome.status == Status.WARN
    assert outcome.summary.startswith(
        "half-migrated: fraud-raw is Loaded: the original fraud (Serverless) can be deleted; "
        "namespace migr-half is still labelled modelmesh-enabled=true with nothing serving ModelMesh"
    )
    assert "(+2 more)" in outcome.summary  # the ovms runtime and fraud's own deprecation
    assert "modelmesh-enabled=false" in outcome.remediation


def test_a_copy_that_is_not_ready_says_keep_the_original() -> None:
    raw = copy.deepcopy(recorded_raw("migr-half"))
    copy_isvc = next(i for i in raw["inferenceservices"] if i["metadata"]["name"] == "fraud-raw")
    copy_isvc["status"]["modelStatus"]["states"] = {
        "activeModelState": "",
        "targetModelState": "Pending",
    }
    outcome = judge(
        Migration(), "migr-half", "fraud-raw", {"project": project("migr-half", "false")}, raw=raw
    )
    assert outcome.status == Status.WARN
    assert "fraud-raw is not ready yet (Pending): keep fraud until it is" in outcome.summary


def test_pairs_need_a_deprecated_original_and_a_raw_copy() -> None:
    deps = recorded_snapshot("migr-half").deployments
    assert [(a.name, b.name) for a, b in pairs(deps)] == [("fraud", "fraud-raw")]
    assert pairs([d for d in deps if d.name == "fraud"]) == []


def test_an_unreadable_namespace_is_said_not_guessed() -> None:
    outcome = judge(Migration(), "pricing-project", "pricing")
    assert outcome.status == Status.PASS
    assert (
        "namespace pricing-project: labels not readable (modelmesh-enabled unknown)"
        in outcome.evidence
    )
