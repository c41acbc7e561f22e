"""The lab's OCI registry look-alike answers as the distribution spec says: a Bearer challenge,
a token only for the right Basic credentials, 404 MANIFEST_UNKNOWN for a tag it does not hold."""

from __future__ import annotations

import base64
import json
import re

import httpx

from lab.scenarios import REGISTRY_REPOSITORIES
from tests.helpers import secret_value


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
