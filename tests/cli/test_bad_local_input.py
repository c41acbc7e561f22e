"""Every bad local input — a kubeconfig that is not YAML or not shaped like one, a CA file that
is not there or not PEM, key data that is not base64, a server URL that cannot be dialled, a
token no header can carry, an exec plugin that fails, --resolve that does not parse — is ONE line
on stderr naming the file or flag and the fix, exit code 2: never a traceback, never "internal
error", never the kubernetes library's `ERROR:root:` line, never the token.

None of these needs the lab: the server is https://127.0.0.1:1, which is never dialled."""

from __future__ import annotations

import base64
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.helpers.doctor_cli import run_doctor

ROOT = Path(__file__).resolve().parents[2]
SERVER = "https://127.0.0.1:1"
TOKEN = "s3cr3t-t0ken-do-not-print"
SECRETS = (TOKEN, "s3cr3t", "tökén")


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if k not in ("KUBECONFIG", "AWS_CA_BUNDLE")}
    environ.pop("RHOAI_DOCTOR_ROUTE_CA", None)
    environ.pop("RHOAI_DOCTOR_CONNECT_TO", None)
    environ.pop("RHOAI_DOCTOR_DEBUG", None)
    return run_doctor(
        [*args],
        timeout=60,
        cwd=ROOT,
        env={**environ, **(env or {})},
    )


def refused(*args: str, names: str, env: dict[str, str] | None = None) -> str:
    """Run; assert exit 2 and one line on stderr naming `names`; return that line."""
    out = run(*args, env=env)
    assert out.returncode == 2, (out.returncode, out.stdout, out.stderr)
    lines = out.stderr.splitlines()
    assert len(lines) == 1, out.stderr
    line = lines[0]
    assert line.startswith("error: "), line
    assert names in line, line
    for bad in ("Traceback", "internal error", "ERROR:root"):
        assert bad not in out.stderr + out.stdout, out.stderr
    for secret in SECRETS:
        assert secret not in out.stderr + out.stdout, out.stderr
    return line


def kubeconfig(
    tmp_path: Path,
    cluster: dict[str, Any] | None = None,
    user: dict[str, Any] | None = None,
    context: dict[str, Any] | None = None,
    name: str = "config",
) -> Path:
    """A kubeconfig as `oc login` writes it, with some fields replaced."""
    document = {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [{"name": "c", "cluster": {"server": SERVER, **(cluster or {})}}],
        "users": [{"name": "u", "user": user if user is not None else {"token": TOKEN}}],
        "contexts": [
            {
                "name": "x",
                "context": {"cluster": "c", "user": "u", "namespace": "ns", **(context or {})},
            }
        ],
        "current-context": "x",
    }
    path = tmp_path / name
    path.write_text(yaml.safe_dump(document, allow_unicode=True))
    return path


def get(path: Path | str, *flags: str, env: dict[str, str] | None = None, names: str = "") -> str:
    return refused(
        "get", "deployments", "--kubeconfig", str(path), *flags, names=names or str(path), env=env
    )


def b64(data: bytes | str) -> str:
    return base64.b64encode(data if isinstance(data, bytes) else data.encode()).decode()


@pytest.fixture(scope="module")
def pems() -> dict[str, bytes]:
    """A CA, a client certificate it issued and that certificate's key, and another key."""
    trustme = pytest.importorskip("trustme")
    ca = trustme.CA()
    one, two = ca.issue_cert("one.test"), ca.issue_cert("two.test")
    return {
        "ca": ca.cert_pem.bytes(),
        "cert": one.cert_chain_pems[0].bytes(),
        "key": one.private_key_pem.bytes(),
        "other key": two.private_key_pem.bytes(),
    }


@pytest.fixture
def not_pem(tmp_path: Path) -> Path:
    path = tmp_path / "hostname"
    path.write_text("my-laptop\n")
    return path


# -- the kubeconfig file itself ------------------------------------------------------------


def test_a_kubeconfig_that_is_not_yaml(tmp_path: Path) -> None:
    path = tmp_path / "config"
    path.write_text("clusters: [\n  - foo: : bar\n")
    line = get(path)
    assert "is not valid YAML (line 2, column 3" in line


@pytest.mark.parametrize(
    ("document", "says"),
    [
        ("clusters: 5\n", '"clusters" must be a list'),
        ('users: [ "x" ]\n', "users[0] must be a mapping"),
        ("- just\n- a list\n", "holds a list, not a kubeconfig"),
        (
            "contexts: [{name: x, context: [1]}]\ncurrent-context: x\n",
            'context "x" must be a mapping',
        ),
        ("clusters: [{cluster: {server: x}}]\n", 'clusters[0] has no "name"'),
        ("current-context: [x]\n", '"current-context" must be a context name'),
    ],
)
def test_a_kubeconfig_of_the_wrong_shape(tmp_path: Path, document: str, says: str) -> None:
    path = tmp_path / "config"
    path.write_text(document)
    assert says in get(path)


def test_a_context_naming_a_cluster_that_is_not_there(tmp_path: Path) -> None:
    path = kubeconfig(tmp_path, context={"cluster": "gone"})
    assert 'names cluster "gone", which is not in' in get(path)


def test_a_context_naming_a_user_that_is_not_there(tmp_path: Path) -> None:
    path = kubeconfig(tmp_path, context={"user": "gone"})
    assert 'names user "gone", which is not in' in get(path)


def test_a_token_that_is_a_number_is_named_not_printed(tmp_path: Path) -> None:
    path = kubeconfig(tmp_path, user={"token": 123456789})
    assert '"token" must be a string, not a number: quote it' in get(path)


def test_a_kubeconfig_that_is_a_directory(tmp_path: Path) -> None:
    assert "is a directory" in get(tmp_path)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_a_kubeconfig_that_cannot_be_read(tmp_path: Path) -> None:
    path = kubeconfig(tmp_path)
    path.chmod(0)
    assert "permission denied" in get(path)


def test_a_kubeconfig_that_is_not_there(tmp_path: Path) -> None:
    assert "does not exist" in get(tmp_path / "nope")
    assert "does not exist" in get("~nosuchuser-rhoai/config")


def test_a_kubeconfig_that_never_ends() -> None:
    assert "larger than 16 MiB" in get("/dev/zero")


def test_a_binary_kubeconfig(tmp_path: Path) -> None:
    path = tmp_path / "config"
    path.write_bytes(b"\xff\xfe\x00\x01binary")
    assert "is not UTF-8 text" in get(path)


# -- CAs -----------------------------------------------------------------------------------


def test_certificate_authority_flag_missing(tmp_path: Path) -> None:
    line = get(
        kubeconfig(tmp_path),
        "--certificate-authority",
        "/nope",
        names="--certificate-authority /nope",
    )
    assert "does not exist" in line


def test_certificate_authority_flag_not_pem(tmp_path: Path, not_pem: Path) -> None:
    flag = f"--certificate-authority {not_pem}"
    line = get(kubeconfig(tmp_path), *flag.split(), names=flag)
    assert "holds no PEM certificate" in line


def test_certificate_authority_flag_not_pem_on_a_command_that_calls_models(
    tmp_path: Path, not_pem: Path
) -> None:
    flag = f"--certificate-authority {not_pem}"
    refused(
        "check",
        "-n",
        "p",
        "m",
        "--kubeconfig",
        str(kubeconfig(tmp_path)),
        *flag.split(),
        names=flag,
    )


def test_kubeconfig_certificate_authority_missing(tmp_path: Path) -> None:
    line = get(kubeconfig(tmp_path, cluster={"certificate-authority": "/nope"}))
    assert 'certificate-authority /nope of cluster "c"' in line and "does not exist" in line


def test_kubeconfig_certificate_authority_not_pem(tmp_path: Path, not_pem: Path) -> None:
    line = get(kubeconfig(tmp_path, cluster={"certificate-authority": str(not_pem)}))
    assert f"certificate-authority {not_pem}" in line and "holds no PEM certificate" in line


def test_a_ca_flag_stands_in_for_a_broken_kubeconfig_ca(tmp_path: Path, pems: dict) -> None:
    """--certificate-authority is the fix the message proposes: with it, the kubeconfig's missing
    CA no longer matters (the run gets as far as dialling the server)."""
    ca = tmp_path / "ca.crt"
    ca.write_bytes(pems["ca"])
    path = kubeconfig(tmp_path, cluster={"certificate-authority": "/nope"})
    out = run("get", "deployments", "--kubeconfig", str(path), "--certificate-authority", str(ca))
    assert out.returncode == 2 and "refused" in out.stderr, out.stderr


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b64("garbage"), "holds no PEM certificate"),
        ("%%% not base64", "is not base64"),
        (
            b64("-----BEGIN CERTIFICATE-----\nbroken\n-----END CERTIFICATE-----\n"),
            "no readable PEM",
        ),
    ],
)
def test_kubeconfig_certificate_authority_data_garbage(
    tmp_path: Path, data: str, says: str
) -> None:
    line = get(kubeconfig(tmp_path, cluster={"certificate-authority-data": data}))
    assert 'certificate-authority-data of cluster "c"' in line and says in line


def test_a_ca_is_not_checked_when_verification_is_off(tmp_path: Path) -> None:
    path = kubeconfig(tmp_path, cluster={"certificate-authority": "/nope"})
    out = run("get", "deployments", "--kubeconfig", str(path), "--insecure-skip-tls-verify")
    assert out.returncode == 2 and "refused" in out.stderr and "/nope" not in out.stderr


# -- client certificates -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cert", "key", "says"),
    [
        (b64("garbage"), b64("garbage"), 'client-certificate-data of user "u"'),
        ("%%%", "%%%", 'client-certificate-data of user "u" in kubeconfig'),
    ],
)
def test_kubeconfig_client_certificate_data_garbage(
    tmp_path: Path, cert: str, key: str, says: str
) -> None:
    path = kubeconfig(tmp_path, user={"client-certificate-data": cert, "client-key-data": key})
    assert says in get(path)


def test_kubeconfig_client_key_data_garbage(tmp_path: Path, pems: dict) -> None:
    path = kubeconfig(
        tmp_path,
        user={"client-certificate-data": b64(pems["cert"]), "client-key-data": b64("garbage")},
    )
    assert 'client-key-data of user "u"' in get(path)


def test_kubeconfig_client_key_of_another_certificate(tmp_path: Path, pems: dict) -> None:
    path = kubeconfig(
        tmp_path,
        user={
            "client-certificate-data": b64(pems["cert"]),
            "client-key-data": b64(pems["other key"]),
        },
    )
    line = get(path)
    assert "do not load as a certificate and its private key" in line


def test_kubeconfig_client_certificate_file_missing(tmp_path: Path) -> None:
    path = kubeconfig(tmp_path, user={"client-certificate": "/nope.crt", "client-key": "/nope.key"})
    assert "client-certificate /nope.crt" in get(path)


# -- server URLs ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("server", "says"),
    [
        ("https://[::1", "is not a URL"),
        ("ftp://x", "is not an https:// URL"),
        ("https://h:99999", "has a port outside 1-65535"),
        ("https://", "has no host"),
    ],
)
def test_a_bad_server_flag(tmp_path: Path, server: str, says: str) -> None:
    line = get(kubeconfig(tmp_path), "--server", server, names="--server")
    assert says in line and "https://HOST:PORT" in line


def test_a_bad_server_in_the_kubeconfig(tmp_path: Path) -> None:
    line = get(kubeconfig(tmp_path, cluster={"server": "https://h:99999"}))
    assert 'the server of cluster "c"' in line and "port outside 1-65535" in line


# -- tokens --------------------------------------------------------------------------------


def test_a_non_ascii_token_flag(tmp_path: Path) -> None:
    line = get(kubeconfig(tmp_path), "--token", "tökén", names="--token")
    assert "non-ASCII character" in line


def test_a_non_ascii_api_token_flag_of_check(tmp_path: Path) -> None:
    line = refused(
        "check", "-n", "p", "m", "--kubeconfig", str(kubeconfig(tmp_path)),
        "--api-token", "tökén", names="--api-token",
    )  # fmt: skip
    assert "non-ASCII character" in line


def test_a_non_ascii_model_token_of_infer(tmp_path: Path) -> None:
    line = refused(
        "infer", "-n", "p", "m", "--kubeconfig", str(kubeconfig(tmp_path)),
        "--token", "tökén", names="--token",
    )  # fmt: skip
    assert "non-ASCII character" in line


def test_a_non_ascii_token_in_the_kubeconfig(tmp_path: Path) -> None:
    line = get(kubeconfig(tmp_path, user={"token": "s3cr3t-tökén"}))
    assert 'the token of user "u"' in line and "non-ASCII character" in line


def test_a_token_pasted_with_its_bearer_prefix(tmp_path: Path) -> None:
    line = get(kubeconfig(tmp_path), "--token", f"Bearer {TOKEN}", names="--token")
    assert "starts with 'Bearer '" in line


# -- exec plugins --------------------------------------------------------------------------


def exec_user(command: str) -> dict:
    return {"exec": {"apiVersion": "client.authentication.k8s.io/v1", "command": command}}


def test_an_exec_plugin_that_is_not_there(tmp_path: Path) -> None:
    path = kubeconfig(tmp_path, user=exec_user("/nonexistent/plugin"))
    line = get(path, names="the kubeconfig's exec plugin /nonexistent/plugin failed")
    assert str(path) in line and "No such file" in line


def test_an_exec_plugin_that_fails(tmp_path: Path) -> None:
    script = tmp_path / "plugin.sh"
    script.write_text("#!/bin/sh\necho 'the login expired' >&2\necho 'second line' >&2\nexit 3\n")
    script.chmod(0o755)
    path = kubeconfig(tmp_path, user=exec_user(str(script)))
    line = get(path, names=f"the kubeconfig's exec plugin {script} failed")
    assert "process returned 3" in line and "the login expired" in line


def test_an_exec_plugin_that_answers_no_token(tmp_path: Path) -> None:
    path = kubeconfig(tmp_path, user=exec_user("true"))
    assert "failed to decode" in get(path, names="the kubeconfig's exec plugin true failed")


# -- --resolve, --connect-to, route and S3 CAs -----------------------------------------------


@pytest.mark.parametrize(
    ("flag", "value"),
    [
        ("--resolve", "nocolons"),
        ("--resolve", "h:²:127.0.0.1"),
        ("--connect-to", "h:443:x"),
        ("--connect-to", "h:99999::"),
    ],
)
def test_bad_resolve_and_connect_to(tmp_path: Path, flag: str, value: str) -> None:
    get(kubeconfig(tmp_path), flag, value, names=flag)


def test_route_ca_missing(tmp_path: Path) -> None:
    get(kubeconfig(tmp_path), "--route-ca", "/nope", names="--route-ca /nope")


def test_route_ca_from_the_environment_missing(tmp_path: Path) -> None:
    get(
        kubeconfig(tmp_path),
        env={"RHOAI_DOCTOR_ROUTE_CA": "/nope"},
        names="$RHOAI_DOCTOR_ROUTE_CA /nope",
    )


def test_s3_ca_missing(tmp_path: Path) -> None:
    line = get(kubeconfig(tmp_path), "--s3-ca", "/nope", names="--s3-ca /nope")
    assert "does not exist" in line


def test_s3_ca_not_pem(tmp_path: Path, not_pem: Path) -> None:
    line = get(kubeconfig(tmp_path), "--s3-ca", str(not_pem), names=f"--s3-ca {not_pem}")
    assert "holds no PEM certificate" in line


def test_aws_ca_bundle_missing(tmp_path: Path) -> None:
    get(kubeconfig(tmp_path), env={"AWS_CA_BUNDLE": "/nope"}, names="$AWS_CA_BUNDLE /nope")


def test_s3_ca_reaches_the_s3_client(tmp_path: Path, pems: dict, monkeypatch) -> None:
    """--s3-ca, else $AWS_CA_BUNDLE: the local CA file the S3 reader is given (it stands for the
    pod's ca_bundle file, and is what `inspect s3://` verifies with; the flag is carried by the
    session options every check reads)."""
    from checks.capture.offline import offline_context
    from checks.engine import facts
    from rhoai_doctor.cli import build_parser
    from rhoai_doctor.flags import session_options
    from tests.helpers.recorded import recorded_snapshot

    ca = tmp_path / "s3-ca.crt"
    ca.write_bytes(pems["ca"])
    env_ca = tmp_path / "env-ca.crt"
    env_ca.write_bytes(pems["ca"])
    monkeypatch.setenv("AWS_CA_BUNDLE", str(env_ca))
    snapshot = recorded_snapshot("iris-project")

    def bundle(*argv: str) -> Any:
        options = session_options(build_parser().parse_args(["get", "deployments", *argv]))
        storage = facts.storage(offline_context(snapshot, "iris-model", None, options))
        return storage.target.ca_bundle

    assert bundle("--s3-ca", str(ca)) == str(ca)
    assert bundle() == str(env_ca)
    monkeypatch.delenv("AWS_CA_BUNDLE")
    assert bundle() is None
