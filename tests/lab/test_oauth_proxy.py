"""The lab's 2.x oauth-proxy in front of a KServe Raw deployment (controllers.md §2): a caller it
does not accept is sent to the OpenShift login — 302, the authorize URL, a CSRF cookie, Go's
redirect body for a GET and none for a POST — and an allowed token reaches the model."""

from __future__ import annotations

import httpx

from tests.helpers import lab_tls, secret_value

HOST = "iris-auth-2x-denied.apps.rhoai-lab.test"
REQUEST = {"inputs": [{"name": "X", "shape": [1, 4], "datatype": "FP32", "data": [3, 4, 3, 2]}]}


def call(lab: dict, method: str, path: str, token: str | None = None) -> httpx.Response:
    headers = {"Host": HOST, **({"Authorization": f"Bearer {token}"} if token else {})}
    with httpx.Client(verify=lab_tls(lab), timeout=10) as http:
        return http.request(
            method,
            f"https://{lab['router']}{path}",
            json=REQUEST if method == "POST" else None,
            headers=headers,
            extensions={"sni_hostname": HOST},
        )


def test_no_token_is_redirected_to_the_openshift_login(lab) -> None:
    response = call(lab, "GET", "/v2/models/iris")
    assert response.status_code == 302
    location = response.headers["location"]
    assert location.startswith("https://oauth-openshift.apps.rhoai-lab.test/oauth/authorize?")
    assert "client_id=system%3Aserviceaccount%3Aauth-2x-denied%3Adefault" in location
    assert "_oauth_proxy_csrf=" in response.headers["set-cookie"]
    assert response.text.startswith('<a href="https://oauth-openshift.') and "Found</a>." in (
        response.text
    )
    assert "www-authenticate" not in response.headers


def test_a_token_rbac_refuses_gets_the_same_redirect_and_a_post_no_body(lab, admin_client) -> None:
    token = secret_value(admin_client, "auth-2x-denied", "default-name-iris-sa", "token")
    response = call(lab, "POST", "/v2/models/iris/infer", token)
    assert response.status_code == 302
    assert "/oauth/authorize?" in response.headers["location"]
    assert response.content == b""


def test_an_allowed_token_reaches_the_model(lab) -> None:
    admin = lab["tokens"]["lab-admin"]
    response = call(lab, "POST", "/v2/models/iris/infer", admin)
    assert response.status_code == 200, response.text
    assert {o["name"] for o in response.json()["outputs"]} == {"label", "scores"}
