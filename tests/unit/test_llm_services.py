"""LLMInferenceServices on recorded objects: the condition tree and its failing leaf at either
served version, the dashboard's state word, auth ON by default, the v1alpha1 fallback and the
Gateway API / Kuadrant 404 against real local servers."""

from __future__ import annotations

import asyncio
import copy
import dataclasses
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from checks import resources
from checks.capture.offline import offline_context
from checks.catalog.deployment_status import DeploymentStatus
from checks.cluster.connect import ClusterConfig
from checks.cluster.kind_lists import list_kind
from checks.cluster.kube import KubeClient
from checks.engine.runner import Status, run_one
from tests.helpers import recorded_raw, recorded_snapshot
from tests.helpers.faults import FaultServer


def _svc(project: str = "llmd-httproute") -> dict:
    return copy.deepcopy(recorded_raw(project)["llminferenceservices"][0])


@pytest.mark.parametrize("version", ["v1alpha2", "v1alpha1"])
def test_condition_tree_and_failing_leaf_at_either_version(version) -> None:
    raw = _svc()
    raw["apiVersion"] = f"serving.kserve.io/{version}"
    svc = resources.LLMService.parse(raw)
    assert svc.version == version
    (ready, *rest) = svc.tree()
    assert rest == []
    assert ready.condition.type == "Ready"
    kids = {n.condition.type: n for n in ready.children}
    assert set(kids) == {"PresetsCombined", "WorkloadsReady", "RouterReady"}
    assert [n.condition.type for n in kids["WorkloadsReady"].children] == ["MainWorkloadReady"]
    assert [n.condition.type for n in kids["RouterReady"].children] == [
        "HTTPRoutesReady",
        "InferencePoolReady",
        "SchedulerWorkloadReady",
    ]
    path = svc.failing_path()
    assert [c.type for c in path] == ["Ready", "RouterReady", "HTTPRoutesReady"]
    assert (
        path[-1].message
        == "The following HTTPRoutes are not ready: llmd-httproute/qwen-kserve-route"
    )
    assert ready.lines()[4] == "  RouterReady=False (HTTPRoutesNotReady): " + path[-1].message
    assert svc.http_route == "qwen-kserve-route" and svc.auth_policy == "qwen-kserve-route-authn"
    assert svc.gateways == (("openshift-ingress", "openshift-ai-inference"),)


def test_explicit_gateway_refs_and_unknown_conditions_are_kept() -> None:
    raw = _svc("llmd-healthy")
    raw["status"]["conditions"].append({"type": "GroupDegraded", "status": "False"})
    svc = resources.LLMService.parse(raw)
    assert svc.gateways == (("llmd-healthy", "inference-gateway"),)
    assert svc.tree()[-1].condition.type == "GroupDegraded"
    assert svc.failing_path() == ()  # a False outside Ready's tree is no reason for not Ready


@pytest.mark.parametrize(
    ("ready", "annotations", "word"),
    [
        ({"status": "True"}, {}, "Loaded"),
        ({"status": "False", "reason": "ProgressDeadlineExceeded"}, {}, "FailedToLoad"),
        ({"status": "False", "reason": "MinimumReplicasUnavailable"}, {}, "Pending"),
        (None, {}, "Unknown"),
        ({"status": "True"}, {"serving.kserve.io/stop": "True"}, "Stopped"),
        ({"status": "True"}, {"serving.kserve.io/stop": "false"}, "Loaded"),
    ],
)
def test_state_word_as_the_dashboard_says_it(ready, annotations, word) -> None:
    raw = _svc("llmd-healthy")
    raw["status"]["conditions"] = [{"type": "Ready", **ready}] if ready else []
    raw["metadata"]["annotations"].update(annotations)
    assert resources.LLMService.parse(raw).state == word


@pytest.mark.parametrize(
    ("value", "on"), [(None, True), ("true", True), ("false", False), ("False", False)]
)
def test_auth_is_on_unless_explicitly_false(value, on) -> None:
    raw = _svc("llmd-healthy")
    if value is not None:
        raw["metadata"]["annotations"]["security.opendatahub.io/enable-auth"] = value
    assert resources.LLMService.parse(raw).auth_enabled is on


def test_snapshot_state_carries_the_leaf_reason_and_lists_both_kinds() -> None:
    snap = recorded_snapshot("llmd-httproute")
    (svc,) = snap.all_deployments
    assert svc.kind == "llmisvc"
    assert snap.state_of(svc).text == "Pending · HTTPRoutesNotReady"
    assert [p.name for p in snap.pods_for(svc)] == [
        p.name for p in snap.pods if "router" not in p.name
    ]


class _OnlyV1alpha1(BaseHTTPRequestHandler):
    """An API server that serves llminferenceservices at v1alpha1 only."""

    def do_GET(self) -> None:
        if "/v1alpha1/" in self.path:
            body = json.dumps(
                {"kind": "LLMInferenceServiceList", "items": [_svc_without_version()]}
            )
            self.send_response(200)
        else:
            body = json.dumps(
                {
                    "kind": "Status",
                    "code": 404,
                    "reason": "NotFound",
                    "message": "the server could not find the requested resource",
                }
            )
            self.send_response(404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, *_: object) -> None:
        pass


def _svc_without_version() -> dict:
    raw = _svc()
    raw.pop("apiVersion")
    return raw


def test_v1alpha1_is_read_when_v1alpha2_is_not_served() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _OnlyV1alpha1)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"

    async def go() -> list[dict]:
        async with KubeClient(ClusterConfig(server=url, namespace="llmd-httproute")) as kube:
            return await list_kind(kube, "llminferenceservices", "llmd-httproute")

    try:
        (item,) = asyncio.run(go())
    finally:
        server.shutdown()
    assert resources.LLMService.parse(item).api_version == "serving.kserve.io/v1alpha1"


def test_gateway_and_kuadrant_apis_missing_is_one_line_each() -> None:
    snap = recorded_snapshot("llmd-healthy")
    with FaultServer("404") as server:

        async def go():
            kube = KubeClient(ClusterConfig(server=server.url, namespace="llmd-healthy"))
            ctx = dataclasses.replace(offline_context(snap, "granite"), kube=kube, recorded={})
            try:
                return await run_one(DeploymentStatus(), ctx)
            finally:
                await kube.aclose()

        outcome = asyncio.run(go())
    assert outcome.status == Status.WARN
    assert outcome.summary == (
        "Loaded, but Gateway API (gateway.networking.k8s.io/v1) is not installed"
    )
    missing = [e for e in outcome.evidence if "is not installed" in e]
    assert missing == [
        "Gateway API (gateway.networking.k8s.io/v1) is not installed",
        "Kuadrant (kuadrant.io/v1 AuthPolicy) is not installed",
    ]
