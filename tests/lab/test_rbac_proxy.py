"""The lab's kube-rbac-proxy in front of Standard deployments: real TokenReview and
SubjectAccessReview as the pod's own service account, and Go's plain-text refusals."""

from __future__ import annotations

from kubernetes import client

from tests.lab.test_serving import APPS, SEED_REQUEST, model_token, route_post

TEXT = "text/plain; charset=utf-8"


def host(project: str) -> str:
    return f"iris-{project}.{APPS}"


def test_no_token_gets_a_plain_unauthorized_and_no_challenge(lab) -> None:
    response = route_post(lab, host("auth-healthy"), "/v2/models/iris", method="GET")
    assert response.status_code == 401
    assert response.headers["content-type"] == TEXT
    assert response.text == "Unauthorized\n"
    assert "www-authenticate" not in response.headers


def test_an_allowed_token_reaches_the_model(lab, admin_client) -> None:
    token = model_token(admin_client, "auth-healthy", "iris-sa")
    response = route_post(lab, host("auth-healthy"), "/v2/models/iris/infer", SEED_REQUEST, token)
    assert response.status_code == 200, response.text
    assert {o["name"] for o in response.json()["outputs"]} == {"label", "scores"}


def test_a_token_without_get_on_the_deployment_is_forbidden_in_words(lab, admin_client) -> None:
    token = model_token(admin_client, "auth-denied", "iris-sa")
    response = route_post(lab, host("auth-denied"), "/v2/models/iris/infer", SEED_REQUEST, token)
    assert response.status_code == 403
    assert response.headers["content-type"] == TEXT
    assert response.text == (
        "Forbidden (user=system:serviceaccount:auth-denied:iris-sa, verb=get, "
        "resource=inferenceservices, subresource=)\n"
    )
    assert "www-authenticate" not in response.headers


def test_without_the_delegator_binding_even_a_good_token_is_unauthorized(lab, admin_client) -> None:
    """The proxy's own SA may not create TokenReviews: the review fails, so the caller is 401."""
    rbac = client.RbacAuthorizationV1Api(admin_client)
    names = {b.metadata.name for b in rbac.list_cluster_role_binding().items}
    assert "auth-healthy-default-auth-delegator" in names
    assert "auth-no-delegator-default-auth-delegator" not in names
    token = model_token(admin_client, "auth-no-delegator", "iris-sa")
    response = route_post(
        lab, host("auth-no-delegator"), "/v2/models/iris", token=token, method="GET"
    )
    assert (response.status_code, response.text) == (401, "Unauthorized\n")


def test_an_open_standard_deployment_answers_anyone(lab, admin_client) -> None:
    response = route_post(lab, host("auth-open"), "/v2/models/iris/infer", SEED_REQUEST)
    assert response.status_code == 200, response.text
    isvc = client.CustomObjectsApi(admin_client).get_namespaced_custom_object(
        "serving.kserve.io", "v1beta1", "auth-open", "inferenceservices", "iris"
    )
    annotations = isvc["metadata"].get("annotations") or {}
    assert "security.opendatahub.io/enable-auth" not in annotations
    assert "serving.kserve.io/deploymentMode" not in annotations
    assert isvc["metadata"]["labels"]["networking.kserve.io/visibility"] == "exposed"
    assert isvc["status"]["deploymentMode"] == "RawDeployment"


def test_standard_objects_follow_the_auth_switch(admin_client) -> None:
    core = client.CoreV1Api(admin_client)
    secured = core.read_namespaced_service("iris-predictor", "auth-healthy").spec.ports
    assert [(p.name, p.port, p.target_port) for p in secured] == [("https", 8443, "https")]
    open_ports = core.read_namespaced_service("iris-predictor", "auth-open").spec.ports
    assert [(p.name, p.port) for p in open_ports] == [("http", 80)]
    pod = core.list_namespaced_pod(
        "auth-healthy", label_selector="serving.kserve.io/inferenceservice=iris"
    ).items[0]
    assert [c.name for c in pod.spec.containers] == ["kserve-container", "kube-rbac-proxy"]
    routes = client.CustomObjectsApi(admin_client).list_namespaced_custom_object(
        "route.openshift.io", "v1", "auth-healthy", "routes"
    )["items"]
    assert [(r["metadata"]["name"], r["spec"]["port"]["targetPort"]) for r in routes] == [
        ("iris", "https")
    ]
    assert routes[0]["metadata"]["ownerReferences"][0]["kind"] == "InferenceService"
