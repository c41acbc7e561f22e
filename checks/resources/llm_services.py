"""LLMInferenceServices (llm-d, serving.kserve.io v1alpha1/v1alpha2) as a person thinks of them:
a deployed LLM with a model URI, a router (Gateway API HTTPRoute, gateway refs, scheduler) and a
tree of conditions whose failing leaf is the reason it is not Ready (reference rhoai-3x.md §6).

Reads the fields with the same names a `Deployment` has where they mean the same (name, state,
url, runtime...), so listings show both kinds in one table."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from checks.resources.common import (
    Condition,
    Raw,
    _annotations,
    _conditions,
    _in_dashboard,
    _meta,
    parse_time,
)

ISVC, LLMISVC = "isvc", "llmisvc"
LLMD = "llm-d"
WORKLOAD_LABEL = "app.kubernetes.io/component"
WORKLOAD_VALUE = "llminferenceservice-workload"
DEFAULT_GATEWAY = ("openshift-ingress", "openshift-ai-inference")
STOP_ANNOTATION = "serving.kserve.io/stop"
AUTH_ANNOTATION = "security.opendatahub.io/enable-auth"
# The condition tree KServe's llmisvc lifecycle keeps: top-level condition -> its parts.
CONDITION_TREE: dict[str, tuple[str, ...]] = {
    "Ready": ("PresetsCombined", "WorkloadsReady", "RouterReady", "TokenizerReady"),
    "WorkloadsReady": (
        "MainWorkloadReady",
        "WorkerWorkloadReady",
        "PrefillWorkloadReady",
        "PrefillWorkerWorkloadReady",
        "ScalingReady",
        "PrefillScalingReady",
    ),
    "RouterReady": (
        "GatewaysReady",
        "HTTPRoutesReady",
        "InferencePoolReady",
        "SchedulerWorkloadReady",
    ),
}


@dataclass(frozen=True)
class ConditionNode:
    """One condition and the conditions it sums up (only those the object reports)."""

    condition: Condition
    children: tuple[ConditionNode, ...] = ()

    def line(self) -> str:
        c = self.condition
        text = f"{c.type}={c.status}" + (f" ({c.reason})" if c.reason else "")
        return text + (f": {c.message}" if c.message else "")

    def lines(self, depth: int = 0) -> list[str]:
        out = ["  " * depth + self.line()]
        for child in self.children:
            out += child.lines(depth + 1)
        return out


@dataclass(frozen=True)
class LLMService:
    """An LLMInferenceService, read from whichever served version answered."""

    name: str
    namespace: str
    api_version: str
    display_name: str
    model_uri: str
    model_name: str
    replicas: int | None
    route_refs: tuple[str, ...]  # router.route.http.refs names (empty: KServe manages one)
    managed_route: bool  # router.route present (KServe creates <name>-kserve-route)
    gateway_refs: tuple[tuple[str, str], ...]  # (namespace, name)
    scheduler: bool
    conditions: tuple[Condition, ...]
    url: str
    addresses: tuple[str, ...]
    annotations: tuple[tuple[str, str], ...]
    in_dashboard: bool
    created: datetime | None

    kind = LLMISVC
    platform = LLMD
    mode = LLMD
    runtime = ""
    model_format = ""
    model_format_version = ""
    storage_key = ""
    storage_path = ""
    failure = None
    # what the InferenceService-only readings (mode, visibility, args, ...) find on this kind
    mode_label = ""  # no InferenceService mode: the kind and API version say what it is
    status_mode = ""
    visibility_annotation = ""
    uid = ""
    model_args: tuple[str, ...] = ()
    connection_ref = ""

    @classmethod
    def parse(cls, raw: Raw) -> LLMService:
        meta, annotations = _meta(raw), _annotations(raw)
        spec = raw.get("spec") or {}
        model = spec.get("model") or {}
        router = spec.get("router") or {}
        route = router.get("route")
        http = (route or {}).get("http") or {}
        gateway = router.get("gateway") or {}
        status = raw.get("status") or {}
        replicas = spec.get("replicas")
        return cls(
            name=str(meta.get("name", "")),
            namespace=str(meta.get("namespace", "")),
            api_version=str(raw.get("apiVersion", "")),
            display_name=str(annotations.get("openshift.io/display-name", "")),
            model_uri=str(model.get("uri", "") or ""),
            model_name=str(model.get("name", "") or ""),
            replicas=int(replicas) if replicas is not None else None,
            route_refs=tuple(str(r.get("name", "")) for r in http.get("refs") or []),
            managed_route=route is not None,
            gateway_refs=tuple(
                (str(g.get("namespace", "") or meta.get("namespace", "")), str(g.get("name", "")))
                for g in gateway.get("refs") or []
            ),
            scheduler=router.get("scheduler") is not None,
            conditions=_conditions(raw),
            url=str(status.get("url", "") or ""),
            addresses=tuple(
                str(a.get("url", "")) for a in status.get("addresses") or [] if a.get("url")
            ),
            annotations=tuple(sorted((str(k), str(v)) for k, v in annotations.items())),
            in_dashboard=_in_dashboard(raw),
            created=parse_time(meta.get("creationTimestamp")),
        )

    # -- reading -------------------------------------------------------------------------
    def annotation(self, key: str) -> str:
        return dict(self.annotations).get(key, "")

    @property
    def version(self) -> str:
        return self.api_version.rsplit("/", 1)[-1] or "?"

    @property
    def stopped(self) -> bool:
        return self.annotation(STOP_ANNOTATION).lower() == "true"

    @property
    def stop_requested(self) -> bool:
        return self.stopped

    @property
    def model_type(self) -> str:
        return self.annotation("opendatahub.io/model-type") or "generative"

    @property
    def auth_enabled(self) -> bool:
        """ON unless explicitly "false": the opposite of an InferenceService (§6)."""
        return self.annotation(AUTH_ANNOTATION).lower() != "false"

    @property
    def storage_uri(self) -> str:
        return self.model_uri

    @property
    def internal_url(self) -> str:
        return next((a for a in self.addresses if ".svc.cluster.local" in a), "")

    @property
    def http_route(self) -> str:
        """The route the router uses: a named ref, else the one KServe manages."""
        return self.route_refs[0] if self.route_refs else f"{self.name}-kserve-route"

    @property
    def gateways(self) -> tuple[tuple[str, str], ...]:
        return self.gateway_refs or (DEFAULT_GATEWAY,)

    @property
    def auth_policy(self) -> str:
        return f"{self.http_route}-authn"

    def condition(self, type_: str) -> Condition | None:
        return next((c for c in self.conditions if c.type == type_), None)

    @property
    def state(self) -> str:
        """The dashboard's word from Ready (§6); the stop annotation wins."""
        if self.stopped:
            return "Stopped"
        ready = self.condition("Ready")
        if ready is None:
            return "Unknown"
        if ready.status == "True":
            return "Loaded"
        if ready.reason == "ProgressDeadlineExceeded":
            return "FailedToLoad"
        return "Pending"

    def tree(self) -> tuple[ConditionNode, ...]:
        """Ready at the root, its parts below; conditions the tree does not know come last."""
        placed: set[str] = set()

        def node(type_: str) -> ConditionNode | None:
            found = self.condition(type_)
            if found is None or type_ in placed:
                return None
            placed.add(type_)
            kids = tuple(n for n in (node(t) for t in CONDITION_TREE.get(type_, ())) if n)
            return ConditionNode(found, kids)

        roots = [n for n in (node("Ready"),) if n]
        for top in ("WorkloadsReady", "RouterReady", "PresetsCombined", "TokenizerReady"):
            if (extra := node(top)) is not None:
                roots.append(extra)
        roots += [ConditionNode(c) for c in self.conditions if c.type not in placed]
        return tuple(roots)

    def failing_path(self) -> tuple[Condition, ...]:
        """From the top down to the deepest False condition: the reason it is not Ready. Only
        Ready's tree counts (a False `GroupDegraded` is good news)."""
        for root in self.tree():
            if root.condition.type not in CONDITION_TREE:
                continue
            path = _false_path(root)
            if path:
                return path
        return ()


def _false_path(node: ConditionNode) -> tuple[Condition, ...]:
    if node.condition.status == "True":
        return ()
    for child in node.children:
        deeper = _false_path(child)
        if deeper:
            return (node.condition, *deeper)
    return (node.condition,) if node.condition.status == "False" else ()
