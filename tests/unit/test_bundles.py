"""The bundle is the fixture format: every bundle in tests/unit/fixtures/bundles/ is replayed
with no cluster and must decide what the diagnosis recorded when it was captured decided (the
same verdict, root causes and status of every check; the words are compared in full, live
against offline, by tests/cli/test_bundle.py), and single checks are
judged on a bundle's recorded facts (an S3 listing, a signature, a review, a crashed log...).

A user's bundle becomes a regression test by dropping it in that folder. When the diagnosis it
recorded was wrong (the bug being fixed), write what is right beside it as
`<bundle>.expect.json`: {"<namespace>/<deployment>": {"verdict": "pass", "root_causes": [],
"checks": {"<check id>": "<status>", ...}}} — only the keys given are compared.
"""

from __future__ import annotations

import json

import pytest

from checks.catalog.auth import AuthCheck
from checks.catalog.bucket_path import BucketPath
from checks.catalog.data_connection import DataConnectionCheck
from checks.catalog.model_format import ModelFormat
from checks.catalog.route import RouteCheck
from checks.catalog.runtime_pods import RuntimePods
from checks.catalog.token import TokenCheck
from checks.engine.runner import Status
from checks.storage.s3 import Listing
from tests.helpers import listing
from tests.helpers.bundles import BUNDLES, bundle, judge_bundle, replay

ALL = sorted(p.name for p in BUNDLES.glob("*.tar.gz"))


def roots(doc: dict) -> list[str]:
    """The root causes as every face names them: the checks that failed (the rest skip)."""
    return [c["id"] for c in doc["checks"] if c["status"] == "fail"]


@pytest.mark.parametrize("name", ALL)
def test_every_bundle_replays_to_its_recorded_diagnosis(name: str) -> None:
    expect_file = BUNDLES / name.replace(".tar.gz", ".expect.json")
    expected = json.loads(expect_file.read_text()) if expect_file.exists() else {}
    pairs = replay(name)
    assert pairs, f"{name} holds no diagnosis"
    for recorded, replayed in pairs:
        target = replayed["target"]
        where = f"{target['namespace']}/{target['name']}"
        statuses = {c["id"]: c["status"] for c in replayed["checks"]}
        want = expected.get(where)
        if want is None:  # what was decided, check by check (wording may improve; a check
            # added since the capture is not in it and is not compared)
            assert replayed["target"] == recorded["target"], where
            assert replayed["verdict"] == recorded["verdict"], where
            was = {c["id"]: c["status"] for c in recorded["checks"] if c["id"] in statuses}
            assert {k: statuses[k] for k in was} == was, where
            assert roots(replayed) == [r for r in roots(recorded) if r in statuses], where
            continue
        if "verdict" in want:
            assert replayed["verdict"] == want["verdict"], where
        if "root_causes" in want:
            assert roots(replayed) == want["root_causes"], where
        for check, status in (want.get("checks") or {}).items():
            assert statuses[check] == status, (where, check)


# -- single checks on recorded facts --------------------------------------------------------
def test_bucket_path_names_the_nearest_prefix_from_the_recorded_listing() -> None:
    outcome = judge_bundle(BucketPath(), "wrong-path")
    assert outcome.status == Status.FAIL
    assert '"fraud-model"' in outcome.summary and '"fraud/"' in outcome.summary


def test_an_edited_fact_reaches_another_branch() -> None:
    """The recorded facts decode to the checks' own types: replace the listing and the healthy
    deployment's bucket-path fails."""
    recorded = bundle("iris-project").facts["iris-project/iris-model"]["listing"]
    # recorded by a build from before checks/ had rooms: the class's old path still decodes
    assert recorded["$t"] == "obj" and recorded["cls"].endswith(".Listing")
    assert judge_bundle(BucketPath(), "iris-project").status == Status.PASS
    empty = listing()
    assert isinstance(empty, Listing)
    outcome = judge_bundle(BucketPath(), "iris-project", listing=empty, nearest=("", ["iris/"]))
    assert outcome.status == Status.FAIL


def test_data_connection_keeps_the_recorded_s3_refusal() -> None:
    outcome = judge_bundle(DataConnectionCheck(), "wrong-secret")
    assert outcome.status == Status.FAIL and "SignatureDoesNotMatch" in outcome.summary


def test_model_format_reads_the_recorded_signature() -> None:
    outcome = judge_bundle(ModelFormat(), "opset-too-new")
    assert outcome.status == Status.FAIL
    assert "opset 23" in outcome.summary and "<= 22" in outcome.summary


def test_token_judges_the_recorded_access_review() -> None:
    outcome = judge_bundle(TokenCheck(), "token-no-rolebinding")
    assert outcome.status == Status.FAIL
    assert "model-server-sa" in outcome.summary and "no role binding" in outcome.summary


def test_runtime_pods_read_the_crash_in_the_recorded_previous_log() -> None:
    outcome = judge_bundle(RuntimePods(), "vllm-cuda-oom")
    assert outcome.status == Status.FAIL
    text = outcome.summary + " ".join(outcome.evidence)
    assert "CUDA out of memory" in text and "crashes at start-up" in text


def test_a_uri_connection_judged_on_the_recorded_probe() -> None:
    outcome = judge_bundle(DataConnectionCheck(), "conn-uri-dns")
    assert outcome.status == Status.FAIL
    assert "does not resolve" in outcome.summary and "models.example.invalid" in outcome.summary


def test_auth_warns_on_the_recorded_anonymous_answer() -> None:
    outcome = judge_bundle(AuthCheck(), "auth-open")
    assert outcome.status == Status.WARN and "anyone who can reach the route" in outcome.summary


def test_route_disabled_from_the_recorded_objects() -> None:
    outcome = judge_bundle(RouteCheck(), "route-disabled")
    assert outcome.status == Status.FAIL and "enable-route" in outcome.remediation + outcome.summary


def test_a_fact_missing_from_the_capture_skips_in_words() -> None:
    """A must-gather (or an older bundle) has no S3 facts: the check says so, no traceback."""
    capture = bundle("wrong-path")
    saved = capture.facts["wrong-path/fraud"]
    capture.facts["wrong-path/fraud"] = {}
    try:
        outcome = judge_bundle(BucketPath(), "wrong-path")
    finally:
        capture.facts["wrong-path/fraud"] = saved
    assert outcome.status == Status.SKIP and "not in the capture" in outcome.summary


def test_a_token_captured_with_a_trailing_newline_is_still_said_offline() -> None:
    """The marker keeps the last character's class: the replay still tells the user their
    token secret ends with a newline (`echo $TOKEN | base64`), without holding the token."""
    import base64

    from checks.capture.secrets import redact_secret

    capture = bundle("iris-project")
    secrets = capture.objects["iris-project"]["secrets"]
    index = next(
        i for i, s in enumerate(secrets) if s["type"] == "kubernetes.io/service-account-token"
    )
    saved = secrets[index]
    live = {
        **saved,
        "data": {**saved["data"], "token": base64.b64encode(b"a-real-token\n").decode()},
    }
    secrets[index] = redact_secret(live)
    try:
        assert "a-real-token" not in str(secrets[index])
        outcome = judge_bundle(TokenCheck(), "iris-project")
    finally:
        secrets[index] = saved
    assert "(it had surrounding whitespace, removed)" in " ".join(outcome.evidence)
