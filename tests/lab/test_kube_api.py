"""The lab's Kubernetes API, seen only through the official `kubernetes` client."""

from __future__ import annotations

import json

import pytest
from kubernetes import client, dynamic, watch
from kubernetes.client.rest import ApiException

from lab.scenarios import SCENARIOS
from tests.helpers import DELIBERATE_MUTATION, lab_tls, secret_value, token_client

ISVC = ("serving.kserve.io", "v1beta1", "inferenceservices")


def test_lists_inferenceservices_in_a_project(admin_client) -> None:
    api = client.CustomObjectsApi(admin_client)
    items = api.list_namespaced_custom_object(*ISVC[:2], "iris-project", ISVC[2])["items"]
    assert [i["metadata"]["name"] for i in items] == ["iris-model"]
    assert items[0]["metadata"]["labels"]["opendatahub.io/dashboard"] == "true"


def test_typed_lists_validate_for_every_kind_and_project(admin_client) -> None:
    core = client.CoreV1Api(admin_client)
    for scenario in SCENARIOS:
        ns = scenario.project
        pods = core.list_namespaced_pod(ns).items
        assert pods or scenario.stopped, ns  # a stopped model has no pods (rhoai-3x §2)
        assert core.list_namespaced_secret(ns).items
        assert core.list_namespaced_event(ns).items
        core.list_namespaced_service_account(ns)
        core.list_namespaced_service(ns)
        client.RbacAuthorizationV1Api(admin_client).list_namespaced_role_binding(ns)
        client.AppsV1Api(admin_client).list_namespaced_deployment(ns)
    assert len(core.list_namespace().items) >= len(SCENARIOS)


def test_reads_a_pod_log_by_container_and_tail(admin_client) -> None:
    core = client.CoreV1Api(admin_client)
    pod = core.list_namespaced_pod("wrong-path").items[0]
    log = core.read_namespaced_pod_log(
        pod.metadata.name, "wrong-path", container="storage-initializer"
    )
    assert "No model found in fraud-model" in log
    tail = core.read_namespaced_pod_log(
        pod.metadata.name, "wrong-path", container="storage-initializer", tail_lines=1
    )
    assert tail.strip().splitlines() == [log.strip().splitlines()[-1]]


def test_pod_log_timestamps_and_since_as_the_api_server_answers(lab, admin_client) -> None:
    """timestamps=true leads each line with its time in RFC3339Nano; sinceTime and
    sinceSeconds leave out older lines; both at once is refused (422), as kube-apiserver does
    (the official client has no sinceTime: asked with httpx)."""
    import re
    import ssl

    import httpx

    core = client.CoreV1Api(admin_client)
    name = core.list_namespaced_pod("wrong-path").items[0].metadata.name

    def read(**params: str) -> httpx.Response:
        return httpx.get(
            f"{lab['api']}/api/v1/namespaces/wrong-path/pods/{name}/log",
            params={"container": "storage-initializer", **params},
            headers={"Authorization": f"Bearer {lab['tokens']['lab-admin']}"},
            verify=ssl.create_default_context(cafile=lab["ca_file"]),
            timeout=30,
        )

    plain = read().text.splitlines()
    stamped = read(timestamps="true").text.splitlines()
    stamp = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z) ")
    assert len(stamped) == len(plain) > 1
    for with_time, line in zip(stamped, plain, strict=True):
        assert stamp.match(with_time) and with_time.split(" ", 1)[1] == line
    assert read(sinceTime="2999-01-01T00:00:00Z").text == ""
    assert read(sinceTime="2000-01-01T00:00:00Z").text.splitlines() == plain
    assert read(sinceSeconds=str(3600 * 24 * 365)).text.splitlines() == plain
    both = read(sinceSeconds="1", sinceTime="2000-01-01T00:00:00Z")
    assert both.status_code == 422


def test_pod_log_without_container_on_multi_container_pod_is_400(admin_client) -> None:
    core = client.CoreV1Api(admin_client)
    pod = core.list_namespaced_pod("iris-project").items[0]
    with pytest.raises(ApiException) as raised:
        core.read_namespaced_pod_log(pod.metadata.name, "iris-project")
    assert raised.value.status == 400
    assert "a container name must be specified" in raised.value.body


def test_label_and_field_selectors(admin_client) -> None:
    core = client.CoreV1Api(admin_client)
    pods = core.list_namespaced_pod(
        "iris-project",
        label_selector="modelmesh-service=modelmesh-serving,name in "
        "(modelmesh-serving-model-server)",
    ).items
    assert len(pods) == 1
    assert not core.list_namespaced_pod("iris-project", label_selector="component=predictor").items
    events = core.list_namespaced_event(
        "unschedulable", field_selector=f"involvedObject.name={pods[0].metadata.name}"
    ).items
    assert events == []  # that pod lives in another project
    pod = core.list_namespaced_pod("unschedulable").items[0]
    events = core.list_namespaced_event(
        "unschedulable",
        field_selector=f"involvedObject.kind=Pod,involvedObject.name="
        f"{pod.metadata.name},type=Warning",
    ).items
    assert [e.reason for e in events] == ["FailedScheduling"]


def test_pagination_with_limit_and_continue(admin_client) -> None:
    core = client.CoreV1Api(admin_client)
    first = core.list_event_for_all_namespaces(limit=5)
    assert len(first.items) == 5 and first.metadata._continue
    second = core.list_event_for_all_namespaces(limit=5, _continue=first.metadata._continue)
    assert {e.metadata.uid for e in first.items}.isdisjoint(e.metadata.uid for e in second.items)


def test_watch_streams_existing_objects(admin_client) -> None:
    core = client.CoreV1Api(admin_client)
    seen = [
        event["type"]
        for event in watch.Watch().stream(
            core.list_namespaced_pod, "iris-project", timeout_seconds=1
        )
    ]
    assert seen == ["ADDED"]
    api = client.CustomObjectsApi(admin_client)
    isvcs = [
        e["object"]["metadata"]["name"]
        for e in watch.Watch().stream(
            api.list_namespaced_custom_object,
            *ISVC[:2],
            "pricing-project",
            ISVC[2],
            timeout_seconds=1,
        )
    ]
    assert isvcs == ["pricing"]


def test_discovery_serves_the_dynamic_client(admin_client) -> None:
    dyn = dynamic.DynamicClient(admin_client)
    routes = dyn.resources.get(api_version="route.openshift.io/v1", kind="Route")
    assert routes.get(namespace="iris-project").items[0].spec.path == "/v2/models/iris-model"
    runtimes = dyn.resources.get(api_version="serving.kserve.io/v1alpha1", kind="ServingRuntime")
    assert runtimes.get(namespace="iris-project").items[0].spec.multiModel is True


def test_restricted_user_cannot_list_secrets_in_one_project(developer_client) -> None:
    core = client.CoreV1Api(developer_client)
    with pytest.raises(ApiException) as raised:
        core.list_namespaced_secret("iris-project")
    assert raised.value.status == 403
    assert json.loads(raised.value.body)["message"] == (
        'secrets is forbidden: User "developer" cannot list resource "secrets" in API group '
        '"" in the namespace "iris-project"'
    )
    assert core.list_namespaced_pod("iris-project").items
    assert core.list_namespaced_secret("pricing-project").items


def test_projects_are_filtered_for_the_developer(developer_client, admin_client) -> None:
    api = client.CustomObjectsApi(developer_client)
    names = {
        p["metadata"]["name"]
        for p in api.list_cluster_custom_object("project.openshift.io", "v1", "projects")["items"]
    }
    assert names == {s.project for s in SCENARIOS}
    with pytest.raises(ApiException) as raised:
        client.CoreV1Api(developer_client).list_namespace()
    assert raised.value.status == 403


def test_bad_token_is_401_with_a_status_body(admin_client) -> None:
    configured = token_client(admin_client, "not-a-token")
    with pytest.raises(ApiException) as raised:
        client.CoreV1Api(configured).list_namespaced_pod("iris-project")
    assert raised.value.status == 401
    assert '"reason":"Unauthorized"' in raised.value.body.replace(" ", "")


def test_missing_object_is_404_worded_like_kubernetes(admin_client) -> None:
    with pytest.raises(ApiException) as raised:
        client.CoreV1Api(admin_client).read_namespaced_pod("nope", "iris-project")
    assert raised.value.status == 404
    assert (
        'pods \\"nope\\" not found' in raised.value.body
        or 'pods "nope" not found' in raised.value.body
    )


def test_mutating_requests_are_refused_with_405_and_counted(admin_client, lab) -> None:
    import httpx

    before = httpx.get(f"{lab['api']}/_lab/requests", verify=lab_tls(lab)).json()
    with pytest.raises(ApiException) as raised:
        client.CoreV1Api(admin_client).delete_namespaced_pod(
            "deliberate-mutation-probe", "iris-project"
        )
    assert raised.value.status == 405
    after = httpx.get(f"{lab['api']}/_lab/requests", verify=lab_tls(lab)).json()
    assert len(after["mutations"]) == len(before["mutations"]) + 1
    assert after["mutations"][-1].startswith(DELIBERATE_MUTATION)


def test_review_apis(admin_client, developer_client) -> None:
    token = secret_value(admin_client, "iris-project", "default-name-model-server-sa", "token")
    model_api = token_client(admin_client, token)
    review = client.AuthorizationV1Api(model_api).create_self_subject_access_review(
        client.V1SelfSubjectAccessReview(
            spec=client.V1SelfSubjectAccessReviewSpec(
                resource_attributes=client.V1ResourceAttributes(
                    namespace="iris-project", verb="get", resource="services"
                )
            )
        )
    )
    assert review.status.allowed is True
    who = client.AuthenticationV1Api(developer_client).create_self_subject_review(
        client.V1SelfSubjectReview()
    )
    assert who.status.user_info.username == "developer"
    tokens = client.AuthenticationV1Api(admin_client).create_token_review(
        client.V1TokenReview(spec=client.V1TokenReviewSpec(token=token))
    )
    assert tokens.status.user.username == "system:serviceaccount:iris-project:model-server-sa"
    user = client.CustomObjectsApi(developer_client).get_cluster_custom_object(
        "user.openshift.io", "v1", "users", "~"
    )
    assert user["metadata"]["name"] == "developer"


def test_a_crash_looping_pod_restarts_again_and_watchers_see_it() -> None:
    import asyncio

    from lab.kube.kinds import kind_by_name
    from lab.kube.store import Store
    from lab.ticker import tick

    store = Store()
    store.put(
        {
            "kind": "Pod",
            "metadata": {"name": "p", "namespace": "ns"},
            "spec": {},
            "status": {
                "containerStatuses": [
                    {
                        "name": "c",
                        "restartCount": 3,
                        "state": {"waiting": {"reason": "CrashLoopBackOff"}},
                    }
                ]
            },
        }
    )
    store.put(
        {
            "kind": "Event",
            "metadata": {"name": "e", "namespace": "ns"},
            "reason": "BackOff",
            "count": 7,
            "involvedObject": {"namespace": "ns", "name": "p", "kind": "Pod"},
        }
    )

    async def watch_one_tick() -> str:
        watcher = store.watch(kind_by_name("Pod"), "ns", lambda _: True, None)
        assert tick(store) == 1
        event = await asyncio.wait_for(watcher.queue.get(), 1)
        return event.type

    assert asyncio.run(watch_one_tick()) == "MODIFIED"
    pod = store.get(kind_by_name("Pod"), "ns", "p")
    assert pod["status"]["containerStatuses"][0]["restartCount"] == 4
    assert store.get(kind_by_name("Event"), "ns", "e")["count"] == 8
