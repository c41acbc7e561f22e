"""Every kubeconfig field kubectl honours that matters here, against a loopback API server
(tests.helpers.api_stub), driven through `rhoai-doctor get`: tls-server-name, proxy-url,
HTTPS_PROXY / NO_PROXY, the CA (file and data), client certificates (files and data),
insecure-skip-tls-verify, exec plugins (args, env, apiVersion; cached until they expire, run
again after, or on a 401 once) and tokenFile (read again when it changes, or on a 401)."""

from __future__ import annotations

import base64
import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.helpers.api_stub import ApiStub, ConnectProxy
from tests.helpers.doctor_cli import run_doctor
from tests.helpers.faults import Tls, closed_port, make_tls

ROOT = Path(__file__).resolve().parents[2]
NAME = "api.internal.test"  # the only name in the API server's certificate
PLUGIN_V1 = "client.authentication.k8s.io/v1"


@pytest.fixture(scope="module")
def tls(tmp_path_factory: pytest.TempPathFactory) -> Tls:
    return make_tls(tmp_path_factory.mktemp("api-tls"), NAME)


@pytest.fixture(scope="module")
def ip_tls(tmp_path_factory: pytest.TempPathFactory) -> Tls:
    """A certificate for the loopback address itself (through a proxy the URL's host is the
    name checked: httpcore's tunnel does not take tls-server-name)."""
    return make_tls(tmp_path_factory.mktemp("ip-tls"), "127.0.0.1")


def kubeconfig(tmp_path: Path, cluster: dict[str, Any], user: dict[str, Any]) -> Path:
    config = {
        "apiVersion": "v1",
        "kind": "Config",
        "current-context": "c",
        "clusters": [{"name": "k", "cluster": cluster}],
        "users": [{"name": "u", "user": user}],
        "contexts": [{"name": "c", "context": {"cluster": "k", "user": "u", "namespace": "ns"}}],
    }
    path = tmp_path / "config"
    path.write_text(yaml.safe_dump(config))
    return path


def get(path: Path, *what: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """`rhoai-doctor get WHAT --kubeconfig PATH`, with no proxy or kubeconfig from outside."""
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.lower().endswith("_proxy") and not k.startswith(("KUBECONFIG", "RHOAI_DOCTOR"))
    }
    return run_doctor(
        [
            "get",
            *(what or ("projects",)),
            "--kubeconfig",
            str(path),
        ],
        timeout=60,
        cwd=ROOT,
        env={**base, **(env or {})},
    )


def ok(done: subprocess.CompletedProcess) -> None:
    assert done.returncode == 0, (done.returncode, done.stdout, done.stderr)


def one_line_error(done: subprocess.CompletedProcess) -> str:
    assert done.returncode != 0, done.stdout
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr
    return lines[0]


def pem_data(path: str) -> str:
    return base64.b64encode(Path(path).read_bytes()).decode()


# -- TLS: tls-server-name, the CA, client certificates, insecure-skip-tls-verify -------------


def test_tls_server_name_is_sent_as_sni_and_checked_in_the_certificate(tls, tmp_path) -> None:
    with ApiStub(tls, tokens={"t"}) as api:
        cluster = {"server": api.url, "certificate-authority": tls.ca_file}
        ok(get(kubeconfig(tmp_path, {**cluster, "tls-server-name": NAME}, {"token": "t"})))
        assert api.sni == [NAME] and api.tokens_seen() == ["t"]
        # the URL's host (127.0.0.1) is not in the certificate: without the field, as kubectl
        line = one_line_error(get(kubeconfig(tmp_path, cluster, {"token": "t"})))
        assert "TLS verification of" in line
        # and the name given is the one checked: another name fails as well
        wrong = {**cluster, "tls-server-name": "other.internal.test"}
        assert "TLS verification of" in one_line_error(
            get(kubeconfig(tmp_path, wrong, {"token": "t"}))
        )
        assert api.tokens_seen() == ["t"]  # no token went out on a connection not verified


def test_certificate_authority_file_and_data(tls, tmp_path) -> None:
    with ApiStub(tls, tokens={"t"}) as api:
        base = {"server": api.url, "tls-server-name": NAME}
        ok(
            get(
                kubeconfig(tmp_path, {**base, "certificate-authority": tls.ca_file}, {"token": "t"})
            )
        )
        data = {**base, "certificate-authority-data": pem_data(tls.ca_file)}
        ok(get(kubeconfig(tmp_path, data, {"token": "t"})))
        other = make_tls(tmp_path, "elsewhere.test")  # a CA that did not sign the server
        wrong = {**base, "certificate-authority": other.ca_file}
        assert "TLS verification of" in one_line_error(
            get(kubeconfig(tmp_path, wrong, {"token": "t"}))
        )
        assert api.tokens_seen() == ["t", "t"]


@pytest.mark.parametrize("form", ["files", "data"])
def test_client_certificate_and_key(tls, tmp_path, form) -> None:
    client = make_tls(tmp_path, "client.test")  # its own CA, the one the server trusts
    if form == "files":
        user = {"client-certificate": client.cert_file, "client-key": client.key_file}
    else:
        user = {
            "client-certificate-data": pem_data(client.cert_file),
            "client-key-data": pem_data(client.key_file),
        }
    scratch = tmp_path / "tmp"  # where the data forms are written for ssl, 0600
    scratch.mkdir()
    with ApiStub(tls, client_ca=client.ca_file) as api:
        cluster = {"server": api.url, "tls-server-name": NAME, "certificate-authority": tls.ca_file}
        ok(get(kubeconfig(tmp_path, cluster, user), env={"TMPDIR": str(scratch)}))
        assert api.tokens_seen() == [""]  # let in by the certificate alone
    assert list(scratch.iterdir()) == []  # the private key is not left on disk at exit


def test_insecure_skip_tls_verify(tls, tmp_path) -> None:
    with ApiStub(tls, tokens={"t"}) as api:
        cluster = {"server": api.url, "insecure-skip-tls-verify": True}
        done = get(kubeconfig(tmp_path, cluster, {"token": "t"}))
        ok(done)
        assert "TLS" in done.stderr  # said loudly
        assert api.tokens_seen() == ["t"]


# -- proxies ---------------------------------------------------------------------------------


def test_proxy_url_tunnels_to_the_api_server_and_the_token_stays_inside(ip_tls, tmp_path) -> None:
    tls = ip_tls
    with ApiStub(tls, tokens={"t0ken"}) as api, ConnectProxy() as proxy:
        cluster = {"server": api.url, "certificate-authority": tls.ca_file, "proxy-url": proxy.url}
        # kubectl: the kubeconfig's proxy-url wins over the environment's
        env = {"HTTPS_PROXY": f"http://127.0.0.1:{closed_port()}"}
        ok(get(kubeconfig(tmp_path, cluster, {"token": "t0ken"}), env=env))
        assert [head[0] for head in proxy.heads] == [f"CONNECT 127.0.0.1:{api.port} HTTP/1.1"]
        assert not any(
            "t0ken" in line or line.lower().startswith("authorization") for line in proxy.heads[0]
        )
        assert api.tokens_seen() == ["t0ken"]


def test_https_proxy_from_the_environment_unless_no_proxy_names_the_server(
    ip_tls, tmp_path
) -> None:
    tls = ip_tls
    with ApiStub(tls, tokens={"t0ken"}) as api, ConnectProxy() as proxy:
        cluster = {"server": api.url, "certificate-authority": tls.ca_file}
        path = kubeconfig(tmp_path, cluster, {"token": "t0ken"})
        ok(get(path, env={"HTTPS_PROXY": proxy.url}))
        assert [head[0] for head in proxy.heads] == [f"CONNECT 127.0.0.1:{api.port} HTTP/1.1"]
        assert not any("t0ken" in line for line in proxy.heads[0])
        ok(get(path, env={"HTTPS_PROXY": proxy.url, "NO_PROXY": "127.0.0.1"}))
        assert len(proxy.heads) == 1  # the second went around the proxy
        assert api.tokens_seen() == ["t0ken", "t0ken"]


def test_a_socks_or_unknown_proxy_url_is_one_line(tls, tmp_path) -> None:
    cluster = {"server": "https://127.0.0.1:1", "proxy-url": "ftp://proxy.test:21"}
    line = one_line_error(get(kubeconfig(tmp_path, cluster, {"token": "t"})))
    assert "proxy-url" in line and "http://" in line


# -- exec plugins ----------------------------------------------------------------------------


def plugin(tmp_path: Path, expires: str = "", version: str = PLUGIN_V1) -> Path:
    """A plugin that counts its runs and answers token-N on the N-th; it writes down its args,
    its env and the KUBERNETES_EXEC_INFO it was given."""
    status = '"token":"token-\'$n\'"' + (f',"expirationTimestamp":"{expires}"' if expires else "")
    script = tmp_path / "plugin.sh"
    script.write_text(
        "#!/bin/sh\n"
        f"cd {tmp_path}\n"
        "n=$(( $(cat runs 2>/dev/null || echo 0) + 1 )); echo $n > runs\n"
        'echo "$@" > args; echo "$PLUGIN_SETTING" > setting\n'
        'printf "%s" "$KUBERNETES_EXEC_INFO" > info\n'
        f'echo \'{{"apiVersion":"{version}","kind":"ExecCredential","status":{{{status}}}}}\'\n'
    )
    script.chmod(0o755)
    return script


def runs(tmp_path: Path) -> int:
    return int((tmp_path / "runs").read_text())


def exec_user(command: str, version: str = PLUGIN_V1, **more: Any) -> dict:
    return {"exec": {"apiVersion": version, "command": command, **more}}


def api_cluster(api: ApiStub, tls: Tls) -> dict:
    return {"server": api.url, "tls-server-name": NAME, "certificate-authority": tls.ca_file}


def test_exec_plugin_gets_its_args_env_and_exec_info(tls, tmp_path) -> None:
    plugin(tmp_path, version="client.authentication.k8s.io/v1beta1")
    user = exec_user(
        "./plugin.sh",  # relative with a slash: the kubeconfig's folder, as client-go
        "client.authentication.k8s.io/v1beta1",
        args=["--cluster", "lab"],
        env=[{"name": "PLUGIN_SETTING", "value": "from-kubeconfig"}],
        provideClusterInfo=True,
    )
    with ApiStub(tls, tokens={"token-1"}) as api:
        ok(get(kubeconfig(tmp_path, api_cluster(api, tls), user)))
        assert api.tokens_seen() == ["token-1"]
    assert (tmp_path / "args").read_text().strip() == "--cluster lab"
    assert (tmp_path / "setting").read_text().strip() == "from-kubeconfig"
    info = json.loads((tmp_path / "info").read_text())
    assert info["apiVersion"] == "client.authentication.k8s.io/v1beta1"
    assert info["kind"] == "ExecCredential" and info["spec"]["interactive"] is False
    assert info["spec"]["cluster"]["server"] == api.url
    assert info["spec"]["cluster"]["tls-server-name"] == NAME


def test_exec_token_is_reused_until_it_expires(tls, tmp_path) -> None:
    plugin(tmp_path, expires="2999-01-01T00:00:00Z")
    with ApiStub(tls, tokens={"token-1"}) as api:
        ok(
            get(
                kubeconfig(tmp_path, api_cluster(api, tls), exec_user(str(tmp_path / "plugin.sh"))),
                "deployments",
                "-A",
            )
        )
        assert len(api.seen) >= 4 and set(api.tokens_seen()) == {"token-1"}
    assert runs(tmp_path) == 1


def test_an_expired_exec_token_is_fetched_again(tls, tmp_path) -> None:
    plugin(tmp_path, expires="2001-01-01T00:00:00Z")  # expired as soon as it is given
    with ApiStub(tls, tokens={f"token-{n}" for n in range(2, 50)}) as api:
        ok(
            get(
                kubeconfig(tmp_path, api_cluster(api, tls), exec_user(str(tmp_path / "plugin.sh"))),
                "deployments",
                "-A",
            )
        )
        assert len(api.seen) >= 4 and "token-1" not in api.tokens_seen()
    assert runs(tmp_path) >= 2


def test_a_401_runs_the_exec_plugin_again_once(tls, tmp_path) -> None:
    plugin(tmp_path)
    with ApiStub(tls, tokens={"token-2"}) as api:  # the first token was revoked
        ok(get(kubeconfig(tmp_path, api_cluster(api, tls), exec_user(str(tmp_path / "plugin.sh")))))
        assert api.tokens_seen() == ["token-1", "token-2"]
    assert runs(tmp_path) == 2


def test_a_second_401_stands(tls, tmp_path) -> None:
    plugin(tmp_path)
    with ApiStub(tls, tokens=set()) as api:
        line = one_line_error(
            get(kubeconfig(tmp_path, api_cluster(api, tls), exec_user(str(tmp_path / "plugin.sh"))))
        )
        assert "401" in line
        assert api.tokens_seen() == ["token-1", "token-2"]
    assert runs(tmp_path) == 2


# -- tokenFile -------------------------------------------------------------------------------


def test_token_file_is_read_again_on_a_401(tls, tmp_path) -> None:
    token_file = tmp_path / "token"
    token_file.write_text("old\n")

    def rotate(token: str) -> None:  # the kubelet rotates it just as the old one is refused
        if token == "old":
            token_file.write_text("new\n")

    with ApiStub(tls, tokens={"new"}, on_request=rotate) as api:
        ok(get(kubeconfig(tmp_path, api_cluster(api, tls), {"tokenFile": str(token_file)})))
        assert api.tokens_seen() == ["old", "new"]


def test_token_file_is_read_again_when_it_changes(tls, tmp_path) -> None:
    """`get projects` on a cluster without OpenShift projects asks twice, one after the other:
    the file rotated between them, the second request carries the new token, no 401 needed."""
    token_file = tmp_path / "token"
    token_file.write_text("old\n")

    def rotate(token: str) -> None:
        token_file.write_text("rotated\n")

    with ApiStub(
        tls, tokens={"old", "rotated"}, on_request=rotate, missing=("/apis/project",)
    ) as api:
        ok(get(kubeconfig(tmp_path, api_cluster(api, tls), {"tokenFile": "token"})))
        assert [s.path.split("?")[0] for s in api.seen] == [
            "/apis/project.openshift.io/v1/projects",
            "/api/v1/namespaces",
        ]
        assert api.tokens_seen() == ["old", "rotated"]
