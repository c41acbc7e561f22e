"""Issue 22 C1: your own login's (kubeconfig) token goes to the API server only. A recording
server stands where the model's route should be (--connect-to): `infer`, `infer --chat` and
`check` send it nothing carrying the login's token, on models with and without token auth, unless
--token-from-kubeconfig asks; a host that is not an admitted Route needs a second flag."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from lab.control import env_vars
from tests.helpers.doctor_cli import run_doctor
from tests.helpers.faults import make_tls
from tests.helpers.recorder import Recorder
from tests.helpers.relay import Relay, replace_everywhere

ROOT = Path(__file__).resolve().parents[2]
WITHHELD = (
    "no token sent: the model has no token secret; your own login's token is only sent with "
    "--token-from-kubeconfig"
)
# (project, deployment, extra args): with a token secret and without, v2 and OpenAI
MODELS = {
    "no-token-v2": ("auth-open", "iris", ()),
    "token-v2": ("pricing-project", "pricing", ()),
    "token-modelmesh": ("iris-project", "iris-model", ()),
    # no vLLM model of the lab lacks a token secret: one that is not there stands for it
    "no-token-chat": ("llm-project", "granite", ("--chat", "hi", "--token-secret", "none-such")),
    "token-chat": ("llm-project", "granite", ("--chat", "hi")),
}


def host(project: str, name: str) -> str:
    if project == "iris-project":
        return "iris-model-iris-project.apps.rhoai-lab.test"
    return f"{name}-{project}.apps.rhoai-lab.test"


def run(lab: dict, command: str, *args: str, recorder: Recorder, tls, target: str):
    env = {**os.environ, **env_vars(lab)}
    env.pop("RHOAI_DOCTOR_CONNECT_TO")
    flags = ["--connect-to", f"{target}:443:{recorder.address}", "--route-ca", tls.ca_file]
    return run_doctor(
        [command, *args, *flags],
        timeout=120,
        cwd=ROOT,
        env=env,
    )


@pytest.fixture(scope="module")
def tls(tmp_path_factory):
    hosts = {host(p, n) for p, n, _ in MODELS.values()}
    return make_tls(tmp_path_factory.mktemp("recorder-tls"), *sorted(hosts))


@pytest.mark.parametrize("case", sorted(MODELS))
@pytest.mark.parametrize("command", ["infer", "check"])
def test_the_login_token_never_reaches_the_model_host(lab, tls, case, command) -> None:
    project, name, extra = MODELS[case]
    if command == "check" and extra:
        return  # check has no --chat: the v2 cases cover it
    args = ("-n", project, name, *(extra if command == "infer" else ()))
    with Recorder(tls) as recorder:
        out = run(lab, command, *args, recorder=recorder, tls=tls, target=host(project, name))
    assert recorder.seen, out.stdout + out.stderr  # the route was called, here
    for token in lab["tokens"].values():
        assert recorder.carrying(token) == []
    if case == "no-token-v2" and command == "infer":
        assert WITHHELD in out.stdout + out.stderr
    if case == "no-token-chat":
        assert "no token sent: token secret none-such not found; your own login's" in out.stderr


def test_asked_for_it_goes_to_the_admitted_route_only(lab, tls) -> None:
    with Recorder(tls) as recorder:
        out = run(
            lab,
            "infer",
            "-n",
            "auth-open",
            "iris",
            "--token-from-kubeconfig",
            recorder=recorder,
            tls=tls,
            target=host("auth-open", "iris"),
        )
    assert recorder.carrying(lab["tokens"]["lab-admin"]), out.stdout + out.stderr
    assert "--token-from-kubeconfig, to iris-auth-open.apps.rhoai-lab.test" in out.stdout


def test_a_host_that_is_not_a_visible_route_needs_the_second_flag(lab, tls, tmp_path) -> None:
    """The developer cannot read the mesh's Routes: the serverless model's host is not one the
    tool can vouch for. Refused in one line naming the host, exit 2; the second flag sends it."""
    target = "pricing-pricing-project.apps.rhoai-lab.test"
    base = ("--context", "developer", "-n", "pricing-project", "pricing")
    asked = (*base, "--token-secret", "none-such", "--token-from-kubeconfig")
    with Recorder(tls) as recorder:
        refused = run(lab, "infer", *asked, recorder=recorder, tls=tls, target=target)
        assert recorder.seen == []
        vouched = run(
            lab,
            "infer",
            *asked,
            "--send-login-token-to",
            target,
            recorder=recorder,
            tls=tls,
            target=target,
        )
    assert refused.returncode == 2, refused.stderr
    lines = refused.stderr.strip().splitlines()
    assert len(lines) == 1 and f"not sent to {target}" in lines[0]
    assert f"--send-login-token-to {target}" in lines[0]
    assert recorder.carrying(lab["tokens"]["developer"]), vouched.stdout + vouched.stderr


def test_the_second_flag_alone_is_a_usage_error(lab, tls) -> None:
    with Recorder(tls) as recorder:
        out = run(
            lab,
            "infer",
            "-n",
            "auth-open",
            "iris",
            "--send-login-token-to",
            "evil.example",
            recorder=recorder,
            tls=tls,
            target="evil.example",
        )
    assert out.returncode == 2
    assert "--send-login-token-to needs --token-from-kubeconfig" in out.stderr


def relayed(lab: dict, tmp_path: Path, old: str, new: str, *args: str, recorder, port: int):
    """infer through a relay that rewrites the model's status.url (the project editor's doing)."""
    (tmp_path / "api").mkdir(exist_ok=True)
    with Relay(lab, replace_everywhere(old, new), tmp_path / "api") as relay:
        env = {**os.environ, **env_vars(lab), "KUBECONFIG": str(relay.kubeconfig)}
        env.pop("RHOAI_DOCTOR_CONNECT_TO")
        host = new.split("://", 1)[1]
        return run_doctor(
            [
                "infer",
                "-n",
                "auth-open",
                "iris",
                *args,
                "--connect-to",
                f"{host}:{port}:{recorder.address}",
            ],
            timeout=120,
            cwd=ROOT,
            env=env,
        )


def test_never_over_plain_http_even_when_asked(lab, tmp_path) -> None:
    url = "iris-auth-open.apps.rhoai-lab.test"
    asked = ("--token-from-kubeconfig", "--send-login-token-to", url)
    with Recorder() as recorder:
        out = relayed(
            lab, tmp_path, f"https://{url}", f"http://{url}", *asked, recorder=recorder, port=80
        )
    assert recorder.seen, out.stdout + out.stderr
    assert recorder.carrying(lab["tokens"]["lab-admin"]) == []
    assert "your own login's token is never sent over plain HTTP" in out.stdout


def test_a_status_url_pointing_elsewhere_is_refused_in_one_line(lab, tmp_path) -> None:
    evil = "https://collector.example.test"
    with Recorder(make_tls(tmp_path, "collector.example.test")) as recorder:
        out = relayed(
            lab,
            tmp_path,
            "https://iris-auth-open.apps.rhoai-lab.test",
            evil,
            "--token-from-kubeconfig",
            recorder=recorder,
            port=443,
        )
    assert recorder.seen == []
    assert out.returncode == 2
    assert out.stderr.strip().splitlines() == [
        "error: your login's token was not sent to collector.example.test: "
        "collector.example.test is not the host of a Route of iris; if you trust that host, "
        "add --send-login-token-to collector.example.test"
    ]
