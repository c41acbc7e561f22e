"""The lab's OCI registry look-alike answers as the distribution spec says: a Bearer challenge,
a token only for the right Basic credentials, 404 MANIFEST_UNKNOWN for a tag it does not hold."""

from __future__ import annotations

import asyncio
import base64
import json
import re

import httpx

from checks.endpoints.routes import RouteAccess
from checks.storage.oci_registry import ImageRef, head_manifest
from lab.scenarios import REGISTRY_REPOSITORIES
from tests.helpers import secret_value
from tests.helpers.faults import closed_port


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def token(lab: dict, credentials: str) -> httpx.Response:
    host = lab["registry"]
    challenge = httpx.head(f"http://{host}/v2/modelcars/iris/manifests/1.0")
    assert challenge.status_code == 401
    header = challenge.headers["www-authenticate"]
    assert header.startswith("Bearer ")
    fields = dict(re.findall(r'(\w+)="([^"]*)"', header))
    assert fields["scope"] == "repository:modelcars/iris:pull"
    realm = fields.pop("realm")
    return httpx.get(realm, params=fields, headers={"Authorization": credentials})


def test_wrong_credentials_get_no_token(lab) -> None:
    answer = token(lab, basic("lab-puller", "not-the-password"))
    assert answer.status_code == 401
    assert answer.json()["errors"][0]["code"] == "UNAUTHORIZED"


def test_the_oci_pull_secret_gets_a_token_and_the_manifest(lab, admin_client) -> None:
    config = secret_value(admin_client, "conn-oci-empty", "iris-oci", ".dockerconfigjson")
    auth = json.loads(config)["auths"][lab["registry"]]["auth"]
    answer = token(lab, f"Basic {auth}")
    assert answer.status_code == 200
    bearer = {"Authorization": f"Bearer {answer.json()['token']}"}
    base = f"http://{lab['registry']}/v2"
    assert "1.0" in REGISTRY_REPOSITORIES["modelcars/iris-nomodels"]
    found = httpx.head(f"{base}/modelcars/iris-nomodels/manifests/1.0", headers=bearer)
    assert found.status_code == 200 and found.headers["docker-content-digest"].startswith("sha256:")
    missing = httpx.get(f"{base}/modelcars/iris/manifests/9.9", headers=bearer)
    assert missing.status_code == 404
    assert missing.json()["errors"][0]["code"] == "MANIFEST_UNKNOWN"


def test_the_tools_registry_probe_reads_each_answer(lab, admin_client) -> None:
    """checks.storage.oci_registry against the look-alike: the token dance, then 200, 404, or 401."""
    config = secret_value(admin_client, "conn-oci-empty", "iris-oci", ".dockerconfigjson")
    good = json.loads(config)["auths"][lab["registry"]]["auth"]
    host = lab["registry"]

    async def ask(uri: str, auth: str | None):
        routes = RouteAccess(timeout=2.0)
        try:
            ref = ImageRef.parse(uri)
            assert ref is not None
            return await head_manifest(routes, ref, auth)
        finally:
            await routes.aclose()

    ok = asyncio.run(ask(f"oci://{host}/modelcars/iris:1.0", good))
    assert ok.kind == "ok" and ok.status == 200
    assert any("with the token: 200" in step for step in ok.steps)
    missing = asyncio.run(ask(f"oci://{host}/modelcars/iris:2.0", good))
    assert missing.kind == "manifest-unknown"
    assert missing.summary.startswith("manifest unknown: modelcars/iris:2.0 does not exist")
    refused = asyncio.run(
        ask(f"oci://{host}/modelcars/iris:1.0", base64.b64encode(b"x:y").decode())
    )
    assert (
        refused.kind == "unauthorized"
        and "rejects the pull secret's credentials" in refused.summary
    )
    anonymous = asyncio.run(ask(f"oci://{host}/modelcars/iris:1.0", None))
    assert anonymous.kind == "unauthorized" and "has none for it" in anonymous.summary
    dead = asyncio.run(ask(f"oci://127.0.0.1:{closed_port()}/m:1", good))
    assert dead.kind == "unreachable" and dead.status is None
