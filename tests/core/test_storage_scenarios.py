"""The storage scenarios (lab/scenarios_storage.py) diagnosed as `check` diagnoses them: S3 read
as the storage initializer's boto3 reads it, so what the pod can read passes and what it cannot
fails with the pod's reason."""

from __future__ import annotations

from checks.engine.runner import Status
from lab.control import env_vars
from tests.core.test_diagnosis_scenarios import run_diagnosis


def _table(report) -> str:
    return "\n".join(f"{r.id}: {r.status} {r.summary}" for r in report.results)


def test_keys_with_a_dot_segment_are_read_not_blamed_on_the_secret(lab, kubeconfig) -> None:
    report = run_diagnosis(lab, kubeconfig, "s3-dot-segments", "iris")
    assert {r.status for r in report.results} == {Status.PASS}, _table(report)
    assert report.result("model-format").summary.startswith("./iris/1/model.onnx: ONNX")


def test_a_private_ca_in_the_clusters_configmap_is_trusted_as_the_pod_trusts_it(
    lab, kubeconfig
) -> None:
    """The ConfigMap is read with one GET and verifies the endpoint (with certifi); this
    machine's trust store lacks the lab CA, and the evidence says it would have refused."""
    report = run_diagnosis(lab, kubeconfig, "s3-private-ca", "iris")
    assert {r.status for r in report.results} == {Status.PASS}, _table(report)
    evidence = "\n".join(report.result("data-connection").evidence)
    assert "TLS verified with the ConfigMap odh-kserve-custom-ca-bundle (cabundle.crt) and " in (
        evidence
    )
    assert "this machine's trust store would refuse the certificate of https://127.0.0.1" in (
        evidence
    )


def test_a_ca_only_this_machine_trusts_fails_as_the_pod_would(lab, kubeconfig) -> None:
    """$AWS_CA_BUNDLE holds the lab CA here, but the pod has no ConfigMap: it fails, and so
    does the check, saying the local CA would have passed."""
    import asyncio

    from checks.cluster.connect import ConnectionOptions
    from checks.options import SessionOptions
    from checks.session import Session

    environ = {**env_vars(lab), "AWS_CA_BUNDLE": lab["ca_file"]}
    connection = ConnectionOptions(kubeconfig=str(kubeconfig), context="lab-admin")
    options = SessionOptions.build(connection, environ=environ)

    async def go():
        async with Session(options) as session:
            return await session.diagnose("s3-ca-not-in-pod", "iris-model")

    report = asyncio.run(go())
    data = report.result("data-connection")
    assert data.status == Status.FAIL, _table(report)
    assert "failed with certifi, boto3's default CA bundle, as the pod does" in data.summary
    assert "accepts it, but the pod does not use it" in data.summary
    assert "odh-kserve-custom-ca-bundle" in data.summary


def test_an_anonymous_connection_reads_its_public_bucket_unsigned(lab, kubeconfig) -> None:
    """serving.kserve.io/s3-useanoncredential on the service account's secret: the keys in it
    are placeholders S3 does not know, and are never sent."""
    report = run_diagnosis(lab, kubeconfig, "s3-anonymous", "iris")
    assert {r.status for r in report.results} == {Status.PASS}, _table(report)
    evidence = "\n".join(report.result("data-connection").evidence)
    assert "unsigned (anonymous)" in evidence
    assert "the secret models-bucket of the service account" in evidence


def test_verify_ssl_off_passes_says_so_and_prints_nothing_else(lab) -> None:
    """storage-config's verify_ssl "0" in front of a CA the pod lacks: the pod's boto3 reads
    the model, so the check passes, saying TLS was not verified; urllib3's own warning (a
    path and a URL per connection) never reaches the user's stderr."""
    import json
    import os

    from tests.helpers.doctor_cli import run_doctor

    env = {**os.environ, **env_vars(lab)}
    done = run_doctor(["check", "-n", "s3-verify-off", "iris", "-o", "json"], timeout=120, env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stderr == ""
    data = next(r for r in json.loads(done.stdout)["checks"] if r["id"] == "data-connection")
    assert data["status"] == "pass", data
    assert "TLS not verified: verify_ssl is off" in data["evidence"][-1], data["evidence"]
