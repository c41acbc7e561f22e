"""Whatever a person types or keeps on disk, the readers answer or raise one of our own errors
(a DoctorError, printed as one line), never anything else: the kubeconfig reader the CLI uses
(random YAML documents and random kubeconfig shapes), --resolve / --connect-to, and the v2
request and answer readers (arbitrary JSON: outputs that are not objects, nested lists, nulls,
huge numbers). Each property runs in well under 3 s."""

from __future__ import annotations

import asyncio
import json
import string
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from checks.cluster.connect import ClusterConfig, ConnectionOptions, context_names, resolve
from checks.endpoints.explain import explain
from checks.endpoints.probe import HttpAnswer, who_answered
from checks.endpoints.v2 import Problem, parse_request, validate
from checks.errors import DoctorError
from checks.model_files.onnx.signature import TensorSpec
from checks.options import SessionOptions
from checks.session import Session
from checks.transport.addressing import Override, overrides, parse_connect_to, parse_resolve
from rhoai_doctor.printing import outputs_table

PROPERTY = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SECRET = "s3cr3t"  # every token and key the strategies write holds it; no message may


# -- the kubeconfig reader -----------------------------------------------------------------


def scalars() -> st.SearchStrategy[Any]:
    return st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(10**30), max_value=10**30),
        st.floats(allow_nan=True, allow_infinity=True),
        st.text(max_size=20),
    )


def values() -> st.SearchStrategy[Any]:
    """Any YAML value, of a few levels."""
    return st.recursive(
        scalars(),
        lambda inner: st.one_of(
            st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
        ),
        max_leaves=12,
    )


PLUGIN_KEYS = ("exec", "auth-provider")


def maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Mostly the well-typed value, sometimes any value at all."""
    return st.one_of(strategy, strategy, strategy, values())


def fields(known: dict[str, st.SearchStrategy[Any]]) -> st.SearchStrategy[dict]:
    """A mapping holding some of the known keys (well- or ill-typed) and some unknown ones."""
    extra = st.dictionaries(
        st.text(max_size=8).filter(lambda k: k not in PLUGIN_KEYS), values(), max_size=2
    )
    chosen = st.fixed_dictionaries({}, optional={k: maybe(v) for k, v in known.items()})
    return st.tuples(chosen, extra).map(lambda pair: {**pair[1], **pair[0]})


NAMES = st.sampled_from(["a", "b", "lab", ""]) | st.text(max_size=6)
PATHS = st.sampled_from(
    ["/nope", "/etc/hostname", "/tmp", "~nosuchuser/ca.crt", "relative/ca.crt", ""]
)
B64 = st.sampled_from(["Z2FyYmFnZQ==", "%%%", "", "czNjcjN0LWtleQ==", "LS0tLS1CRUdJTg=="])
SERVERS = st.sampled_from(
    [
        "https://127.0.0.1:1",
        "https://[::1",
        "ftp://x",
        "https://h:99999",
        "127.0.0.1:1",
        "http://h:0",
        "https://",
        "https://h x",
    ]
) | st.text(max_size=12)
TOKENS = st.sampled_from(
    [
        f"{SECRET}-t0ken",
        f"tökén-{SECRET}",
        f"{SECRET} with space",
        f"Bearer {SECRET}",
        f"{SECRET}\n",
    ]
)
# Plugins only ever run what cannot harm: a missing file, false, true.
EXEC = st.fixed_dictionaries(
    {
        "apiVersion": st.sampled_from(
            ["client.authentication.k8s.io/v1beta1", "client.authentication.k8s.io/v1", "x"]
        ),
        "command": st.sampled_from(["/nonexistent/plugin", "false", "true"]),
    }
)
AUTH_PROVIDER = st.fixed_dictionaries({"name": st.sampled_from(["unknown", ""])})

CLUSTER = fields(
    {
        "server": SERVERS,
        "certificate-authority": PATHS,
        "certificate-authority-data": B64,
        "insecure-skip-tls-verify": st.booleans(),
    }
)
USER = (
    fields(
        {
            "token": TOKENS,
            "tokenFile": PATHS,
            "client-certificate-data": B64,
            "client-key-data": B64,
            "client-certificate": PATHS,
            "client-key": PATHS,
        }
    )
    | st.builds(lambda e: {"exec": e}, EXEC)
    | st.builds(lambda a: {"auth-provider": a}, AUTH_PROVIDER)
)
CONTEXT = fields({"cluster": NAMES, "user": NAMES, "namespace": NAMES})


def entries(singular: str, body: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    entry = fields({"name": NAMES, singular: body})
    return maybe(st.lists(entry, max_size=3))


KUBECONFIGS = fields(
    {
        "apiVersion": st.just("v1"),
        "kind": st.just("Config"),
        "clusters": entries("cluster", CLUSTER),
        "users": entries("user", USER),
        "contexts": entries("context", CONTEXT),
        "current-context": NAMES,
    }
)


def wired(cluster: dict, user: dict, context: dict) -> dict:
    """One context naming one cluster and one user: the shape `oc login` writes."""
    return {
        "clusters": [{"name": "c", "cluster": cluster}],
        "users": [{"name": "u", "user": user}],
        "contexts": [{"name": "x", "context": {"cluster": "c", "user": "u", **context}}],
        "current-context": "x",
    }


# Mostly well-formed files whose values vary: these reach the TLS, token and server checks.
WIRED = st.builds(
    wired,
    st.builds(lambda server, rest: {"server": server, **rest}, SERVERS, CLUSTER),
    USER,
    fields({"namespace": NAMES, "cluster": NAMES, "user": NAMES}),
)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("kubeconfigs")


async def connected(options: ConnectionOptions) -> ClusterConfig:
    """What every command does first: resolve, then build the API client (TLS context, token
    header) and route access; then one request is built, as the first call would."""
    session = Session(SessionOptions(connection=options))
    try:
        cluster = await session.resolve()
        session.kube._http.build_request("GET", "/version")
        return cluster
    finally:
        await session.close()


def load(folder: Path, text: str | bytes, **flags: Any) -> ClusterConfig | DoctorError:
    """What the CLI does with a kubeconfig, allowing only our own errors, each one line without
    a secret in it."""
    path = folder / "config"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text)
    options = ConnectionOptions(kubeconfig=str(path), **flags)
    assert isinstance(context_names(options), list)
    try:
        resolve(options)  # most files stop here; the rest go on as a command would
        return asyncio.run(connected(options))
    except DoctorError as error:
        message = str(error)
        assert "\n" not in message and message.strip(), repr(message)
        assert SECRET not in message, message
        assert "czNjcjN0" not in message, message  # the base64 of the secret
        return error


@PROPERTY
@given(config=WIRED | KUBECONFIGS)
def test_any_kubeconfig_shape_is_read_or_refused_in_one_line(folder: Path, config: dict) -> None:
    load(folder, yaml.safe_dump(config, allow_unicode=True))


@PROPERTY
@given(config=WIRED | KUBECONFIGS, server=SERVERS, token=TOKENS, ca=PATHS)
def test_flags_over_any_kubeconfig_are_used_or_refused_in_one_line(
    folder: Path, config: dict, server: str, token: str, ca: str
) -> None:
    load(
        folder,
        yaml.safe_dump(config, allow_unicode=True),
        server=server or None,
        token=token,
        certificate_authority=ca or None,
    )


@PROPERTY
@given(document=values())
@example(document=5)
@example(document={"clusters": 5})
@example(document={"users": ["x"]})
@example(document={"contexts": [{"name": [1]}]})
@example(document={"current-context": ["x"]})
def test_any_yaml_document_is_refused_in_one_line(folder: Path, document: Any) -> None:
    load(folder, yaml.safe_dump(document, allow_unicode=True))


@PROPERTY
@given(text=st.text(alphabet=string.printable + "[]{}:-&*!|>'\"%@`ö\x00", max_size=80))
@example(text="clusters: [\n  - foo: : bar\n")
@example(text="a: &x [*x]\ncontexts: *x\n")
@example(text="[" * 1500)
@example(text="!!python/object:os.system {}")
def test_any_text_as_a_kubeconfig_is_refused_in_one_line(folder: Path, text: str) -> None:
    load(folder, text)


def test_binary_and_huge_kubeconfigs_are_refused_in_one_line(folder: Path) -> None:
    assert isinstance(load(folder, b"\xff\xfe\x00garbage"), DoctorError)
    refused = load(folder, b"# " + b"x" * (17 * 1024 * 1024))
    assert isinstance(refused, DoctorError) and "larger than 16 MiB" in str(refused)


# -- --resolve and --connect-to ------------------------------------------------------------

SPECS = st.text(alphabet=string.printable + "[]²٣é", max_size=40) | st.builds(
    lambda parts: ":".join(parts),
    st.lists(
        st.sampled_from(["h", "*.x", "", "443", "0", "65536", "²", "[::1]", "1" * 40]), max_size=5
    ),
)


def parsed(parse: Any, spec: str) -> Override | DoctorError:
    try:
        rule = parse(spec)
    except DoctorError as error:
        assert "\n" not in str(error).replace(spec, "")
        return error
    assert rule.port is None or 0 < rule.port < 65536
    assert rule.target_port is None or 0 < rule.target_port < 65536
    return rule


@PROPERTY
@given(spec=SPECS)
@example(spec="h:²:1.2.3.4")
@example(spec="h:" + "9" * 5000 + ":1.2.3.4")
def test_resolve_specs_parse_or_are_refused(spec: str) -> None:
    parsed(parse_resolve, spec)


@PROPERTY
@given(spec=SPECS)
@example(spec="h:443:[::1]:²")
@example(spec="h:443:[::1")
def test_connect_to_specs_parse_or_are_refused(spec: str) -> None:
    parsed(parse_connect_to, spec)
    try:
        overrides((spec,), (spec,))
    except DoctorError:
        pass


# -- v2 requests and answers ---------------------------------------------------------------

JSON = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(10**400), max_value=10**400),
        st.floats(allow_nan=False),
        st.text(max_size=10),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=5), st.dictionaries(st.text(max_size=8), inner, max_size=5)
    ),
    max_leaves=20,
)
DATATYPES = st.sampled_from(["FP32", "INT64", "BYTES", "fp32", "", "SEQUENCE(FP32)"]) | JSON
TENSOR = fields(
    {
        "name": st.sampled_from(["X", "Y", "label"]) | JSON,
        "datatype": DATATYPES,
        "shape": st.lists(st.integers(min_value=-2, max_value=10**30), max_size=4) | JSON,
        "data": JSON,
    }
)
REQUEST = fields(
    {
        "inputs": st.lists(TENSOR | JSON, max_size=3) | JSON,
        "outputs": st.lists(st.fixed_dictionaries({"name": JSON}) | JSON, max_size=3) | JSON,
        "parameters": JSON,
    }
)


class Signature:
    inputs = (
        TensorSpec("X", "FP32", (None, 4)),
        TensorSpec("Y", "INT64", None),
        TensorSpec("Z", "BYTES", ("batch", 2, None)),
    )
    outputs = (TensorSpec("label", "INT64", (None,)), TensorSpec("scores", "FP32", (None, 3)))


def checked(text: str) -> list[Problem]:
    body, problems = parse_request(text)
    if body is not None:
        problems = validate(body, Signature())
    assert all(isinstance(p, Problem) and isinstance(p.message, str) for p in problems)
    return problems


@PROPERTY
@given(body=REQUEST)
@example(body={"inputs": [{"name": "X", "datatype": "FP32", "shape": [10**200] * 30, "data": 1}]})
@example(
    body={"inputs": [{"name": "X", "datatype": "FP32", "shape": [1, 4], "data": []}], "outputs": 5}
)
@example(body={"inputs": [], "outputs": [{"name": []}, {"name": {"a": 1}}, None, 7]})
def test_any_v2_request_is_judged_not_crashed_on(body: dict) -> None:
    checked(json.dumps(body))


@PROPERTY
@given(text=st.text(max_size=60) | JSON.map(json.dumps))
@example(text="[" * 100_000)
@example(text="1" * 5000)
@example(text='{"inputs": [' + "[" * 3000 + "]" * 3000 + "]}")
def test_any_text_as_a_v2_request_is_judged_not_crashed_on(text: str) -> None:
    checked(text)


def test_data_nested_deeper_than_the_stack_is_counted() -> None:
    data: list = [1.0]
    for _ in range(50_000):
        data = [data]
    body = {"inputs": [{"name": "X", "datatype": "FP32", "shape": [1, 4], "data": data}]}
    assert [p.kind for p in validate(body, Signature())][:1] == ["count"]


WHO = st.sampled_from(
    [
        "OpenShift router",
        "oauth-proxy",
        "Authorino",
        "ModelMesh REST proxy",
        "model server",
        "a web page",
        "unknown",
    ]
) | st.text(max_size=10)


@PROPERTY
@given(
    body=JSON,
    status=st.integers(min_value=100, max_value=599),
    content_type=st.sampled_from(["application/json", "text/html", "text/plain", ""]),
)
@example(body={"outputs": "x"}, status=200, content_type="application/json")
@example(
    body={
        "outputs": [None, 5, {"name": [1], "data": {"a": 1}, "shape": None}, {"data": [[1]] * 9}]
    },
    status=200,
    content_type="application/json",
)
@example(
    body={"code": None, "message": [1, {"a": None}]}, status=400, content_type="application/json"
)
@example(body={"error": 10**300}, status=500, content_type="application/json")
def test_any_json_answer_is_named_and_explained(body: Any, status: int, content_type: str) -> None:
    response = httpx.Response(
        status, headers={"content-type": content_type}, content=json.dumps(body).encode()
    )
    answer = who_answered(response)
    assert isinstance(explain(answer, "m"), str)
    assert isinstance(outputs_table(body), str)


@PROPERTY
@given(
    status=st.integers(min_value=-1, max_value=1000),
    who=WHO,
    detail=st.text(max_size=200),
    model=st.text(max_size=10),
)
@example(status=500, who="ModelMesh REST proxy", detail="x" * 5000 + "INTERNAL: ", model="")
def test_explain_says_something_for_any_answer(
    status: int, who: str, detail: str, model: str
) -> None:
    assert isinstance(explain(HttpAnswer(status, who, detail), model), str)
