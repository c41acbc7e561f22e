"""The access layer (checks/) against the lab: connection, snapshot, typed model, storage."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from pathlib import Path

import pytest

from checks import resources
from checks.cluster import connect
from checks.cluster.connect import ConnectionOptions
from checks.cluster.kube import KubeClient
from checks.cluster.project_list import load_projects
from checks.cluster.snapshot import KIND_PATHS, Snapshot, load_snapshot
from checks.errors import ConnectError
from checks.storage.s3 import S3Target, Storage, StorageError


def snapshot_of(kubeconfig: Path, namespace: str, context: str = "lab-admin") -> Snapshot:
    cluster = connect.resolve(
        ConnectionOptions(kubeconfig=str(kubeconfig), context=context, namespace=namespace)
    )

    async def load() -> Snapshot:
        async with KubeClient(cluster) as kube:
            return await load_snapshot(kube, namespace)

    return asyncio.run(load())


def test_connection_follows_the_kubeconfig_context(kubeconfig: Path, monkeypatch) -> None:
    monkeypatch.setenv("KUBECONFIG", f"/nonexistent/config:{kubeconfig}")
    cluster = connect.resolve(ConnectionOptions(context="developer"))
    assert cluster.namespace == "iris-project"
    assert cluster.context == "developer" and cluster.token
    assert cluster.server.startswith("https://127.0.0.1:")
    with pytest.raises(ConnectError, match='context "nope" not found'):
        connect.resolve(ConnectionOptions(context="nope"))


def test_every_kind_is_parsed_from_the_lab(kubeconfig: Path) -> None:
    snap = snapshot_of(kubeconfig, "iris-project")
    assert snap.errors == {}
    assert set(snap.raw) == set(KIND_PATHS)
    dep = snap.deployment("iris-model")
    assert dep is not None and dep.platform == resources.MODELMESH and dep.state == "Loaded"
    assert dep.model_format == "onnx" and dep.storage_key == "aws-connection-models"
    assert dep.failure is not None and dep.failure_is_stale
    server = snap.server_for(dep)
    assert server is not None and server.enable_route and server.enable_auth
    assert [f.label() for f in server.formats] == ["openvino_ir:opset1", "onnx:1", "tensorflow:2"]
    pods = snap.pods_for(dep)
    assert len(pods) == 1 and pods[0].ready and pods[0].ready_count() == "5/5"
    connection = snap.connection_for(dep)
    assert connection is not None and connection.missing_keys() == []
    assert connection.endpoint.startswith("http://127.0.0.1:")
    assert "secret_access_key" not in repr(connection)
    assert [t.service_account for t in snap.tokens_for(dep)] == ["model-server-sa"]
    route = snap.route_for(dep)
    assert route is not None and route.admitted and route.path == "/v2/models/iris-model"
    assert any(
        b.binds_service_account("iris-project", "model-server-sa") for b in snap.role_bindings
    )
    assert snap.events and all(isinstance(e, resources.Event) for e in snap.events)
    assert "aws-connection-models" in snap.storage_config["iris-project"]


def test_kserve_relations_and_mesh_route(kubeconfig: Path) -> None:
    snap = snapshot_of(kubeconfig, "pricing-project")
    dep = snap.deployment("pricing")
    assert dep is not None and dep.platform == resources.KSERVE and dep.mode == "Serverless"
    assert dep.auth_enabled and dep.url.startswith("https://pricing-pricing-project.")
    route = snap.route_for(dep)
    assert route is not None and route.namespace == "istio-system"
    assert route.termination == "passthrough"
    assert [p.display_status for p in snap.pods_for(dep)] == ["Running"]


def test_pod_states_are_read(kubeconfig: Path) -> None:
    oom = snapshot_of(kubeconfig, "oom-crashloop").pods[0]
    main = next(c for c in oom.containers if c.name == "kserve-container")
    assert (main.reason, main.last_reason, main.last_exit_code) == (
        "CrashLoopBackOff",
        "OOMKilled",
        137,
    )
    assert oom.display_status == "CrashLoopBackOff"
    pending = snapshot_of(kubeconfig, "unschedulable").pods[0]
    assert pending.unschedulable is not None
    assert "Insufficient memory" in pending.unschedulable.message
    init = snapshot_of(kubeconfig, "wrong-path").pods[0]
    assert init.display_status == "Init:CrashLoopBackOff"


def test_restricted_user_gets_per_kind_forbidden(kubeconfig: Path) -> None:
    snap = snapshot_of(kubeconfig, "iris-project", context="developer")
    assert set(snap.errors) == {"secrets", "rolebindings"}
    assert snap.error_line("secrets") == "you cannot list secrets in iris-project: forbidden"
    assert snap.deployments and snap.servers and snap.pods and snap.events and snap.routes


def test_projects_for_each_user(kubeconfig: Path) -> None:
    async def names(context: str) -> list[str]:
        cluster = connect.resolve(ConnectionOptions(kubeconfig=str(kubeconfig), context=context))
        async with KubeClient(cluster) as kube:
            return [p.name for p in await load_projects(kube)]

    admin = asyncio.run(names("lab-admin"))
    developer = asyncio.run(names("developer"))
    assert "istio-system" in admin and "istio-system" not in developer
    assert "iris-project" in developer


def _storage(kubeconfig: Path, namespace: str, **overrides) -> Storage:
    snap = snapshot_of(kubeconfig, namespace)
    target = S3Target.from_connection(snap.connections[0])
    if overrides:
        target = S3Target(**{**target.__dict__, **overrides})
    return Storage(target)


def test_storage_lists_and_reads(kubeconfig: Path) -> None:
    storage = _storage(kubeconfig, "iris-project")
    assert storage.list("iris").keys == ["iris/rf_iris.onnx"]
    size = storage.size("iris/rf_iris.onnx")
    assert storage.read_range("iris/rf_iris.onnx", 0, 9) == storage.read("iris/rf_iris.onnx")[:10]
    assert size > 100


@pytest.mark.parametrize(
    ("namespace", "kind", "words"),
    [
        ("wrong-secret", "bad-credentials", "SignatureDoesNotMatch"),
        ("bucket-typo", "no-such-bucket", 'bucket "modles" does not exist'),
        ("console-endpoint", "not-s3", "HTML page"),
        ("no-scheme", "no-scheme", "no http:// or https://"),
    ],
)
def test_storage_errors_are_classified(
    kubeconfig: Path, namespace: str, kind: str, words: str
) -> None:
    with pytest.raises(StorageError) as raised:
        _storage(kubeconfig, namespace).check_bucket()
    assert raised.value.kind == kind
    assert words in str(raised.value)


def test_unknown_access_key_and_refused_endpoint(kubeconfig: Path) -> None:
    with pytest.raises(StorageError) as raised:
        _storage(kubeconfig, "iris-project", access_key_id="AKIANOTAKEY000000000").check_bucket()
    assert raised.value.code == "InvalidAccessKeyId"
    with pytest.raises(StorageError) as raised:
        _storage(kubeconfig, "iris-project", endpoint="http://127.0.0.1:9").check_bucket()
    assert raised.value.kind == "refused"


def test_keys_with_odd_characters_are_signed_as_s3_checks_them(kubeconfig: Path) -> None:
    """The lab's S3 verifies every signature: a space, a plus, a tilde, an equals sign or a
    non-ASCII letter in a prefix or key is encoded once, the same way on both sides."""
    storage = _storage(kubeconfig, "iris-project")
    assert storage.list("iris folder/ü+1~x=y&z").keys == []
    with pytest.raises(StorageError) as raised:
        storage.read_range("iris/no such ü+model.onnx", 0, 15)
    assert raised.value.kind == "no-such-key"


def test_storage_over_tls_checks_the_endpoint_certificate(tmp_path: Path) -> None:
    """An https endpoint reached through --connect-to: the certificate is checked against the
    endpoint's own name with the CA given (a login page behind it is then named), and without
    that CA the failure is TLS, not the page."""
    from checks.transport.addressing import parse_connect_to
    from tests.helpers.faults import FaultServer, make_tls

    tls = make_tls(tmp_path, "s3.example.test")
    with FaultServer("html", tls) as server:
        target = S3Target(
            "https://s3.example.test",
            "models",
            "us-east-1",
            "AK",
            "SK",
            overrides=(parse_connect_to(f"s3.example.test:443:127.0.0.1:{server.port}"),),
        )
        for ca, kind in ((tls.ca_file, "not-s3"), (None, "tls")):
            with pytest.raises(StorageError) as raised:
                Storage(replace(target, ca_bundle=ca)).check_bucket()
            assert raised.value.kind == kind, raised.value


def test_nearest_prefixes_point_at_the_real_folder(kubeconfig: Path) -> None:
    storage = _storage(kubeconfig, "wrong-path")
    assert storage.list("fraud-model").keys == []
    parent, entries = storage.nearest_prefixes("fraud-model")
    assert parent == "" and entries == ["fraud/"]
    root = _storage(kubeconfig, "bucket-root")
    assert root.nearest_prefixes("models/fraud") == ("", ["model.onnx"])


def test_storage_resolve_reaches_an_endpoint_by_a_name_dns_does_not_know(kubeconfig) -> None:
    from urllib.parse import urlsplit

    from checks.transport.addressing import parse_resolve

    real = _storage(kubeconfig, "iris-project").target
    port = urlsplit(real.endpoint).port
    unresolvable = f"http://minio-api.rhoai-lab.invalid:{port}"
    blind = _storage(kubeconfig, "iris-project", endpoint=unresolvable)
    with pytest.raises(StorageError) as raised:
        blind.check_bucket()
    assert raised.value.kind in ("dns", "refused")
    resolved = _storage(
        kubeconfig,
        "iris-project",
        endpoint=unresolvable,
        overrides=(parse_resolve(f"minio-api.rhoai-lab.invalid:{port}:127.0.0.1"),),
    )
    assert resolved.list("iris").keys == ["iris/rf_iris.onnx"]


def test_exec_plugin_users_get_their_token_from_the_plugin(lab, tmp_path) -> None:
    """An exec plugin user (checks.cluster.exec_credential runs it, no kubernetes library) reaches the lab."""
    import json as _json

    import yaml

    config = yaml.safe_load(Path(lab["kubeconfig"]).read_text())
    credential = _json.dumps(
        {
            "apiVersion": "client.authentication.k8s.io/v1",
            "kind": "ExecCredential",
            "status": {"token": lab["tokens"]["developer"]},
        }
    )
    script = tmp_path / "credential.sh"
    script.write_text(f"#!/bin/sh\necho '{credential}'\n")
    script.chmod(0o755)
    config["users"] = [
        {
            "name": "plugin",
            "user": {
                "exec": {
                    "apiVersion": "client.authentication.k8s.io/v1",
                    "command": str(script),
                    "interactiveMode": "Never",
                }
            },
        }
    ]
    config["contexts"] = [
        {
            "name": "plugin",
            "context": {"cluster": "rhoai-lab", "user": "plugin", "namespace": "pricing-project"},
        }
    ]
    config["current-context"] = "plugin"
    path = tmp_path / "config"
    path.write_text(yaml.safe_dump(config))
    cluster = connect.resolve(ConnectionOptions(kubeconfig=str(path)))
    assert cluster.token == lab["tokens"]["developer"]
    assert cluster.namespace == "pricing-project"

    async def who() -> str:
        async with KubeClient(cluster) as kube:
            return await kube.whoami()

    assert asyncio.run(who()) == "developer"


def test_in_cluster_service_account_inside_a_workbench_pod(lab, tmp_path, monkeypatch) -> None:
    """No kubeconfig, KUBERNETES_SERVICE_HOST set, the pod's token files: as in a workbench."""
    from urllib.parse import urlsplit

    import checks.cluster.connect as connect_module

    account = tmp_path / "serviceaccount"
    account.mkdir()
    (account / "token").write_text(lab["tokens"]["developer"])
    (account / "namespace").write_text("pricing-project\n")
    (account / "ca.crt").write_text(Path(lab["ca_file"]).read_text())
    api = urlsplit(lab["api"])
    monkeypatch.setattr(connect_module, "IN_CLUSTER_DIR", account)
    monkeypatch.setenv("KUBERNETES_SERVICE_HOST", api.hostname)
    monkeypatch.setenv("KUBERNETES_SERVICE_PORT", str(api.port))
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("KUBECONFIG", raising=False)
    cluster = connect.resolve(ConnectionOptions())
    assert cluster.source == "in-cluster service account"
    assert cluster.namespace == "pricing-project"

    async def deployments() -> list[str]:
        async with KubeClient(cluster) as kube:
            return [d.name for d in (await load_snapshot(kube, cluster.namespace)).deployments]

    assert asyncio.run(deployments()) == ["pricing"]


def test_an_answer_over_the_ceiling_is_stopped_and_named(tmp_path: Path) -> None:
    """A server announcing a body larger than any LIST page is refused before it is read."""
    import socket
    import threading

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)

    def serve() -> None:
        conn, _ = listener.accept()
        conn.recv(65536)
        conn.sendall(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            b"Content-Length: 999999999999\r\n\r\n{"
        )
        conn.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    cluster = connect.ClusterConfig(
        server=f"http://127.0.0.1:{listener.getsockname()[1]}", namespace="x", token="t"
    )

    async def go() -> Snapshot:
        async with KubeClient(cluster) as kube:
            return await load_snapshot(kube, "x", ("pods",))

    snapshot = asyncio.run(go())
    listener.close()
    line = snapshot.error_line("pods") or ""
    assert "answered more than 64 MiB: stopped" in line, line
