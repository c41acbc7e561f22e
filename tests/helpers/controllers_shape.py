"""What KServe, odh-model-controller and the kube Deployment controller create, as facts to hold
the lab's objects to (../shared/reference/controllers.md §1.1-1.6, §3.2-3.3, §5.4).

Each function takes every object the lab's API serves, by kind, and returns the divergences it
finds as one line each, naming the object and the controllers.md section it breaks. The test
module lists the objects exempted on purpose; these functions only know the controllers."""

from __future__ import annotations

from collections.abc import Iterable

import yaml

Objects = dict[str, list[dict]]  # kind -> every object of that kind, as the API served it

RAW = "RawDeployment"
AUTH = "security.opendatahub.io/enable-auth"
VISIBILITY = "networking.kserve.io/visibility"
MODE = "serving.kserve.io/deploymentMode"
STOP = "serving.kserve.io/stop"
SERVING_CERT = "service.beta.openshift.io/serving-cert-secret-name"
ISVC_LABEL = "serving.kserve.io/inferenceservice"
HASH = "pod-template-hash"


def _meta(obj: dict) -> dict:
    return obj["metadata"]


def _in(objs: Objects, kind: str, ns: str | None) -> list[dict]:
    return [o for o in objs.get(kind, []) if _meta(o).get("namespace") == ns]


def _named(objs: Objects, kind: str, ns: str | None, name: str) -> dict | None:
    return next((o for o in _in(objs, kind, ns) if _meta(o)["name"] == name), None)


def _controller(obj: dict) -> dict | None:
    refs = _meta(obj).get("ownerReferences") or []
    return next((r for r in refs if r.get("controller")), None)


def _owned_by(obj: dict, owner: dict) -> bool:
    ref = _controller(obj)
    return bool(
        ref
        and ref.get("kind") == owner["kind"]
        and ref.get("name") == _meta(owner)["name"]
        and ref.get("uid") == _meta(owner)["uid"]
        and ref.get("blockOwnerDeletion") is True
    )


def raw_inference_services(objs: Objects) -> list[dict]:
    """Running Standard/RawDeployment ISVCs (a stopped one has no workload by design, §1.5)."""
    return [
        i
        for i in objs.get("InferenceService", [])
        if RAW in ((i.get("status") or {}).get("deploymentMode"), _annotations(i).get(MODE))
        and _annotations(i).get(STOP) != "true"
    ]


def _annotations(obj: dict) -> dict:
    return _meta(obj).get("annotations") or {}


def _labels(obj: dict) -> dict:
    return _meta(obj).get("labels") or {}


def is_2x(isvc: dict) -> bool:
    """The 2.x dashboard writes the mode annotation; the 3.x one writes none (rhoai-3x.md §1.2)."""
    return _annotations(isvc).get(MODE) == RAW


def auth_on(isvc: dict) -> bool:
    return _annotations(isvc).get(AUTH, "").lower() == "true"


def _where(isvc: dict) -> str:
    return f"{_meta(isvc)['namespace']}/{_meta(isvc)['name']}"


def workload_problems(objs: Objects, isvc: dict) -> list[str]:
    """§1.1: Deployment `<isvc>-predictor` → ReplicaSet `<dep>-<hash>` → Pods `<rs>-<5>`."""
    ns, name, at = _meta(isvc)["namespace"], _meta(isvc)["name"], _where(isvc)
    app = {"app": f"isvc.{name}-predictor"}
    dep = _named(objs, "Deployment", ns, f"{name}-predictor")
    if dep is None:
        return [f"{at}: no Deployment {name}-predictor (§1.1)"]
    wanted = {
        **{k: v for k, v in _labels(isvc).items()},
        ISVC_LABEL: name,
        "component": "predictor",
        **app,
    }
    out = []
    template = dep["spec"]["template"]["metadata"]
    for what, labels in (("Deployment", _labels(dep)), ("pod template", template.get("labels"))):
        missing = {k: v for k, v in wanted.items() if (labels or {}).get(k) != v}
        if missing:
            out.append(f"{at}: {what} labels lack {missing} (§1.1 buildObjectMeta)")
    if dep["spec"]["selector"] != {"matchLabels": app}:
        out.append(f"{at}: Deployment selector {dep['spec']['selector']} is not {app} (§1.1)")
    if (template.get("annotations") or {}).get(SERVING_CERT) != f"{name}-predictor-serving-cert":
        out.append(f"{at}: pod template lacks the serving-cert annotation (§1.1)")
    if not _owned_by(dep, isvc):
        out.append(f"{at}: Deployment is not controlled by the ISVC (§1.1 ownerReferences)")
    if auth_on(isvc) and _annotations(dep).get(AUTH) != _annotations(isvc)[AUTH]:
        out.append(f"{at}: Deployment annotations lack {AUTH} (§1.1: always passed on)")
    hpa = _named(objs, "HorizontalPodAutoscaler", ns, f"{name}-predictor")
    target = {"apiVersion": "apps/v1", "kind": "Deployment", "name": f"{name}-predictor"}
    if hpa is None or hpa["spec"].get("scaleTargetRef") != target or not _owned_by(hpa, isvc):
        out.append(f"{at}: no HPA {name}-predictor on the Deployment, owned by the ISVC (§1.1)")
    return out + _replica_sets_and_pods(objs, dep, at)


def _replica_sets_and_pods(objs: Objects, dep: dict, at: str) -> list[str]:
    ns, dep_name = _meta(dep)["namespace"], _meta(dep)["name"]
    sets = [r for r in _in(objs, "ReplicaSet", ns) if _owned_by(r, dep)]
    if not sets:
        return [f"{at}: no ReplicaSet controlled by Deployment {dep_name} (§1.1, kube sync.go)"]
    out = []
    template_labels = dep["spec"]["template"]["metadata"].get("labels") or {}
    for rs in sets:
        rs_name, digest = _meta(rs)["name"], _labels(rs).get(HASH, "")
        if not digest or rs_name != f"{dep_name}-{digest}":
            out.append(f"{at}: ReplicaSet {rs_name} is not {dep_name}-<{HASH} label> (§1.1)")
        if {**template_labels, HASH: digest} != _labels(rs):
            out.append(f"{at}: ReplicaSet {rs_name} labels are not the template's + {HASH} (§1.1)")
        for pod in [p for p in _in(objs, "Pod", ns) if _owned_by(p, rs)]:
            pod_name = _meta(pod)["name"]
            tail = pod_name.removeprefix(rs_name + "-")
            if tail == pod_name or len(tail) != 5:
                out.append(f"{at}: pod {pod_name} is not {rs_name}-<5 chars> (§1.1)")
            if {**template_labels, HASH: digest}.items() - _labels(pod).items():
                out.append(f"{at}: pod {pod_name} lacks the template labels + {HASH} (§1.1)")
    owned = {_meta(p)["name"] for s in sets for p in _in(objs, "Pod", ns) if _owned_by(p, s)}
    selector = dep["spec"]["selector"].get("matchLabels") or {}
    for pod in _in(objs, "Pod", ns):
        selected = selector and selector.items() <= _labels(pod).items()
        if selected and _meta(pod)["name"] not in owned:
            out.append(f"{at}: pod {_meta(pod)['name']} is not controlled by a ReplicaSet (§1.1)")
    return out


def service_problems(objs: Objects, isvc: dict) -> list[str]:
    """§1.1/§1.2: one Service `<isvc>-predictor`; auth replaces port 80 by 8443 `https`."""
    ns, name, at = _meta(isvc)["namespace"], _meta(isvc)["name"], _where(isvc)
    svc = _named(objs, "Service", ns, f"{name}-predictor")
    if svc is None:
        return [f"{at}: no Service {name}-predictor (§1.1)"]
    out = []
    if svc["spec"].get("selector") != {"app": f"isvc.{name}-predictor"}:
        out.append(f"{at}: Service selector {svc['spec'].get('selector')} (§1.1)")
    if _annotations(svc).get(SERVING_CERT) != f"{name}-predictor-serving-cert":
        out.append(f"{at}: Service lacks the serving-cert annotation (§1.1)")
    if _labels(svc).get(ISVC_LABEL) != name:
        out.append(f"{at}: Service lacks label {ISVC_LABEL}={name} (§1.1; the Route finds it so)")
    if not _owned_by(svc, isvc):
        out.append(f"{at}: Service is not controlled by the ISVC (§1.1)")
    ports = [{k: p.get(k) for k in ("name", "port", "targetPort")} for p in svc["spec"]["ports"]]
    if auth_on(isvc):
        want = {"name": "https", "port": 8443, "targetPort": "https"}
        if ports[:1] != [want] or any(p["port"] == 80 for p in ports):
            out.append(f"{at}: auth on, Service ports {ports}, want {want} and no 80 (§1.2)")
    else:
        first = _first_model_port(objs, ns, name)
        want = {"name": "http", "port": 80, "targetPort": first}
        if ports[:1] != [want]:
            out.append(f"{at}: auth off, Service ports {ports}, want {want} first (§1.2)")
    return out


def _first_model_port(objs: Objects, ns: str, name: str) -> int | None:
    dep = _named(objs, "Deployment", ns, f"{name}-predictor")
    containers = dep["spec"]["template"]["spec"]["containers"] if dep else []
    model = next((c for c in containers if c["name"] == "kserve-container"), None)
    ports = (model or {}).get("ports") or []
    return ports[0]["containerPort"] if ports else 8080


def auth_problems(objs: Objects, isvc: dict) -> list[str]:
    """§1.3/§1.4: the proxy in the pod, the SAR ConfigMap (3.x), the auth-delegator CRB."""
    if not auth_on(isvc):
        return []
    ns, name, at = _meta(isvc)["namespace"], _meta(isvc)["name"], _where(isvc)
    sa = (isvc["spec"]["predictor"].get("serviceAccountName") or "") or "default"
    out = []
    dep = _named(objs, "Deployment", ns, f"{name}-predictor")
    pod_spec = dep["spec"]["template"]["spec"] if dep else {}
    proxy = "oauth-proxy" if is_2x(isvc) else "kube-rbac-proxy"
    container = next((c for c in pod_spec.get("containers", []) if c["name"] == proxy), None)
    if container is None:
        out.append(f"{at}: auth on, the predictor has no {proxy} container (§1.3)")
    elif {"name": "https", "containerPort": 8443} not in [
        {k: p.get(k) for k in ("name", "containerPort")} for p in container.get("ports", [])
    ]:
        out.append(f"{at}: {proxy} has no port 8443 named https (§1.3)")
    if dep and (pod_spec.get("serviceAccountName") or "default") != sa:
        out.append(f"{at}: predictor pods run as {pod_spec.get('serviceAccountName')}, not {sa}")
    if not is_2x(isvc):
        out += _sar_config_problems(objs, isvc, at)
    crb = _named(objs, "ClusterRoleBinding", None, f"{ns}-{sa}-auth-delegator")
    if crb is None:
        return [*out, f"{at}: no ClusterRoleBinding {ns}-{sa}-auth-delegator (§1.4)"]
    if crb.get("roleRef") != {
        "apiGroup": "rbac.authorization.k8s.io",
        "kind": "ClusterRole",
        "name": "system:auth-delegator",
    } or crb.get("subjects") != [{"kind": "ServiceAccount", "name": sa, "namespace": ns}]:
        out.append(f"{at}: {_meta(crb)['name']} roleRef/subjects differ (§1.4)")
    if _labels(crb) or _meta(crb).get("ownerReferences"):
        out.append(f"{at}: {_meta(crb)['name']} has labels or owners; the controller sets none")
    return out


def stray_bindings(objs: Objects) -> list[str]:
    """§1.4: a `<ns>-<sa>-auth-delegator` exists only while a Raw ISVC run as `<sa>` has auth."""
    wanted = {
        f"{_meta(i)['namespace']}-{i['spec']['predictor'].get('serviceAccountName') or 'default'}"
        "-auth-delegator"
        for i in raw_inference_services(objs) + _stopped(objs)
        if auth_on(i)
    }
    return [
        f"{_meta(c)['name']}: no Raw ISVC with auth runs as its service account (§1.4)"
        for c in objs.get("ClusterRoleBinding", [])
        if _meta(c)["name"].endswith("-auth-delegator")
        and (c.get("subjects") or [{}])[0].get("kind") == "ServiceAccount"
        and _meta(c)["name"] not in wanted
        and _meta(c)["name"] != "odh-model-controller-auth-delegator"  # the controller's own
    ]


def _sar_config_problems(objs: Objects, isvc: dict, at: str) -> list[str]:
    ns, name = _meta(isvc)["namespace"], _meta(isvc)["name"]
    cm = _named(objs, "ConfigMap", ns, f"{name}-kube-rbac-proxy-sar-config")
    if cm is None:
        return [f"{at}: no ConfigMap {name}-kube-rbac-proxy-sar-config (§1.1, §1.3)"]
    out = []
    if cm.get("immutable") is not True or not _owned_by(cm, isvc):
        out.append(f"{at}: SAR ConfigMap is not immutable and controlled by the ISVC (§1.1)")
    want = {
        "namespace": ns,
        "apiGroup": "serving.kserve.io",
        "apiVersion": "v1beta1",
        "resource": "inferenceservices",
        "name": name,
        "verb": "get",
    }
    seen = yaml.safe_load((cm.get("data") or {}).get("config-file.yaml") or "null") or {}
    if (seen.get("authorization") or {}).get("resourceAttributes") != want:
        out.append(f"{at}: SAR ConfigMap config-file.yaml differs from §1.3")
    return out


def route_problems(objs: Objects, isvc: dict) -> list[str]:
    """§1.5/§1.6: Route `<isvc>` exactly when the visibility *label* is `exposed`."""
    ns, name, at = _meta(isvc)["namespace"], _meta(isvc)["name"], _where(isvc)
    route = _named(objs, "Route", ns, name)
    exposed = _labels(isvc).get(VISIBILITY) == "exposed"
    if not exposed:
        owned = route is not None and _owned_by(route, isvc)
        return [f"{at}: a Route without the visibility label (§1.5)"] if owned else []
    if route is None:
        return [f"{at}: visibility label exposed, but no Route {name} (§1.5)"]
    auth, spec, out = auth_on(isvc), route["spec"], []
    if _labels(route) != {"inferenceservice-name": name}:
        out.append(f"{at}: Route labels {_labels(route)} (§1.5)")
    if not _owned_by(route, isvc):
        out.append(f"{at}: Route is not controlled by the ISVC (§1.5)")
    if spec.get("to") != {"kind": "Service", "name": f"{name}-predictor", "weight": 100}:
        out.append(f"{at}: Route spec.to {spec.get('to')} (§1.5)")
    ports = ["https", 8443] if auth and is_2x(isvc) else ["https" if auth else "http"]
    if (spec.get("port") or {}).get("targetPort") not in ports:
        out.append(f"{at}: Route targetPort {spec.get('port')} not {ports} (§1.5, §1.6)")
    tls = {
        "termination": "reencrypt" if auth else "edge",
        "insecureEdgeTerminationPolicy": "Redirect",
    }
    if spec.get("tls") != tls or spec.get("wildcardPolicy") != "None":
        out.append(f"{at}: Route tls {spec.get('tls')} / wildcardPolicy, want {tls} (§1.5)")
    timeout = _annotations(route).get("haproxy.router.openshift.io/timeout")
    if not is_2x(isvc) and timeout != "30s":
        out.append(f"{at}: Route timeout annotation {timeout!r}, want '30s' (§1.5)")
    return out


LLM_MAIN = {
    "app.kubernetes.io/component": "llminferenceservice-workload",
    "app.kubernetes.io/part-of": "llminferenceservice",
    "kserve.io/component": "workload",
    "llm-d.ai/role": "both",
}
LLM_SCHEDULER = {
    "app.kubernetes.io/component": "llminferenceservice-router-scheduler",
    "app.kubernetes.io/part-of": "llminferenceservice",
}


def llm_problems(objs: Objects, llm: dict) -> list[str]:
    """§3.2/§3.3: `<name>-kserve`, its workload Service, the scheduler; labels; owners."""
    ns, name, at = _meta(llm)["namespace"], _meta(llm)["name"], _where(llm)
    out: list[str] = []
    scheduled = "scheduler" in (llm["spec"].get("router") or {})
    workloads = [(f"{name}-kserve", LLM_MAIN)]
    if scheduled:
        workloads.append((f"{name}-kserve-router-scheduler", LLM_SCHEDULER))
    for dep_name, labels in workloads:
        want = {**labels, "app.kubernetes.io/name": name}
        dep = _named(objs, "Deployment", ns, dep_name)
        if dep is None:
            out.append(f"{at}: no Deployment {dep_name} (§3.2)")
            continue
        if not _owned_by(dep, llm):
            out.append(f"{at}: Deployment {dep_name} is not controlled by it (§3.2)")
        template = dep["spec"]["template"]["metadata"].get("labels") or {}
        if template != want or dep["spec"]["selector"] != {"matchLabels": want}:
            out.append(f"{at}: {dep_name} template labels/selector {template}, want {want} (§3.3)")
        if ISVC_LABEL in template:
            out.append(f"{at}: {dep_name} carries {ISVC_LABEL}; llm-d workloads do not (§3.3)")
        out += _replica_sets_and_pods(objs, dep, at)
    svc = _named(objs, "Service", ns, f"{name}-kserve-workload-svc")
    want_port = {"name": "https", "appProtocol": "https", "port": 8000, "targetPort": 8000}
    if svc is None:
        out.append(f"{at}: no Service {name}-kserve-workload-svc (§3.2)")
    else:
        ports = [{k: p.get(k) for k in want_port} for p in svc["spec"]["ports"]]
        if ports != [want_port] or not _owned_by(svc, llm):
            out.append(f"{at}: workload Service ports {ports} or owner differ (§3.2)")
    for route in _in(objs, "HTTPRoute", ns):
        if _meta(route)["name"] == f"{name}-kserve-route" and not _owned_by(route, llm):
            out.append(f"{at}: HTTPRoute {name}-kserve-route is not controlled by it (§3.2)")
    return out


def _stopped(objs: Objects) -> list[dict]:
    return [i for i in objs.get("InferenceService", []) if _annotations(i).get(STOP) == "true"]


def every(problems: Iterable[list[str]]) -> list[str]:
    return [line for group in problems for line in group]
