"""Generative (LLM) runtimes, vLLM first: how to recognise one, and the settings a person tunes
when it does not start (reference rhoai-3x §5).

A vLLM deployment is judged by what vLLM needs (a Hugging Face folder, GPUs, `--max-model-len`
that fits the KV cache), never by the ONNX/OVMS rules the predictive runtimes follow.
"""

from __future__ import annotations

from dataclasses import dataclass

from checks import resources
from checks.cluster.kube import Raw
from checks.cluster.snapshot import Snapshot

VLLM_FORMAT = "vllm"  # supportedModelFormats / modelFormat name, compared lower-case
VLLM_ENTRYPOINT = "vllm.entrypoints.openai.api_server"
VLLM_TEMPLATE_PREFIX = "vllm-"  # vllm-cuda-runtime-template, vllm-rocm-..., vllm-cpu-...
RUNTIME_ANNOTATION = "opendatahub.io/kserve-runtime"  # pod annotation "vllm" on the template
MODEL_TYPE_ANNOTATION = "opendatahub.io/model-type"  # '["generative"]' on the template
HARDWARE_PROFILE = "opendatahub.io/hardware-profile-name"
HARDWARE_PROFILE_NAMESPACE = "opendatahub.io/hardware-profile-namespace"
ROUTE_TIMEOUT = "haproxy.router.openshift.io/timeout"
DEFAULT_ROUTE_TIMEOUT = "30s"  # odh-model-controller's DefaultOpenshiftRouteTimeout
GPU_RESOURCES = ("nvidia.com/gpu", "amd.com/gpu", "habana.ai/gaudi", "intel.com/gpu")
SERVING_CONTAINER = "kserve-container"


@dataclass(frozen=True)
class GenerativeSetup:
    """What a vLLM deployment runs with: the merged arguments, GPUs and hardware profile."""

    why: str  # what told us this is vLLM
    args: tuple[str, ...]  # runtime args, then the ISVC's spec.predictor.model.args
    model_args: tuple[str, ...]
    hardware_profile: str  # "<namespace>/<name>" or ""
    gpus: str  # "nvidia.com/gpu requests 1, limits 1", or "" when none asked

    def arg(self, name: str) -> str | None:
        return arg_value(self.args, name)

    def evidence(self) -> list[str]:
        lines = [f"vLLM runtime ({self.why})"]
        if self.args:
            lines.append("args (runtime + model.args): " + " ".join(self.args))
        lines.append(f"hardware profile: {self.hardware_profile or '-'}")
        lines.append(f"GPUs: {self.gpus or 'none requested'}")
        return lines


def arg_value(args: tuple[str, ...] | list[str], name: str) -> str | None:
    """The value of `--name=V` or `--name V`; the last one wins, as with argparse."""
    found: str | None = None
    for i, arg in enumerate(args):
        if arg.startswith(name + "="):
            found = arg.split("=", 1)[1]
        elif arg == name:
            following = args[i + 1] if i + 1 < len(args) else ""
            found = "" if following.startswith("--") else following
    return found


def _find(items: list[Raw], namespace: str, name: str) -> Raw:
    for item in items:
        meta = item.get("metadata") if isinstance(item, dict) else None
        if isinstance(meta, dict) and (meta.get("namespace"), meta.get("name")) == (
            namespace,
            name,
        ):
            return item
    return {}


def _dict(value: object) -> dict:
    return value if isinstance(value, dict) else {}


def _strings(value: object) -> tuple[str, ...]:
    return tuple(str(v) for v in value) if isinstance(value, list) else ()


def _serving_container(spec: dict) -> dict:
    containers = [c for c in spec.get("containers") or [] if isinstance(c, dict)]
    named = [c for c in containers if c.get("name") == SERVING_CONTAINER]
    return (named or containers or [{}])[0]


def vllm_reason(deployment: Raw, runtime: Raw) -> str:
    """Why this deployment is vLLM ("" when it is not): the format, the template, the pod
    annotation, the model-type annotation or the container command."""
    model = _dict(_dict(_dict(deployment.get("spec")).get("predictor")).get("model"))
    if str(_dict(model.get("modelFormat")).get("name", "")).lower() == VLLM_FORMAT:
        return "model format vLLM"
    meta, spec = _dict(runtime.get("metadata")), _dict(runtime.get("spec"))
    annotations = _dict(meta.get("annotations"))
    template = str(annotations.get("opendatahub.io/template-name", ""))
    if template.startswith(VLLM_TEMPLATE_PREFIX):
        return f"template {template}"
    if str(_dict(spec.get("annotations")).get(RUNTIME_ANNOTATION, "")) == "vllm":
        return f"{RUNTIME_ANNOTATION}: vllm"
    container = _serving_container(spec)
    command = " ".join(_strings(container.get("command")) + _strings(container.get("args")))
    if VLLM_ENTRYPOINT in command:
        return f"command {VLLM_ENTRYPOINT}"
    if any(str(f.get("name", "")).lower() == VLLM_FORMAT for f in _formats(spec)):
        return "runtime serves format vLLM"
    if "generative" in str(annotations.get(MODEL_TYPE_ANNOTATION, "")):
        return f"{MODEL_TYPE_ANNOTATION}: generative"
    return ""


def _formats(spec: dict) -> list[dict]:
    return [f for f in spec.get("supportedModelFormats") or [] if isinstance(f, dict)]


def _gpus(pods: list[Raw], fallback: dict) -> str:
    """GPU requests/limits of the serving container in the pods (or, with no pod yet, the
    ISVC's model resources)."""
    sources = [_serving_container(_dict(p.get("spec"))) for p in pods] or [fallback]
    for container in sources:
        resources_ = _dict(container.get("resources"))
        requests, limits = _dict(resources_.get("requests")), _dict(resources_.get("limits"))
        for gpu in GPU_RESOURCES:
            if gpu in requests or gpu in limits:
                return f"{gpu} requests {requests.get(gpu, '-')}, limits {limits.get(gpu, '-')}"
    return ""


def generative_setup(snapshot: Snapshot, dep: resources.AnyDeployment) -> GenerativeSetup | None:
    """The vLLM view of a deployment, or None when it is not served by vLLM."""
    isvc = _find(snapshot.raw.get("inferenceservices") or [], dep.namespace, dep.name)
    runtime = _find(snapshot.raw.get("servingruntimes") or [], dep.namespace, dep.runtime)
    why = vllm_reason(isvc, runtime)
    if not why:
        return None
    model = _dict(_dict(_dict(isvc.get("spec")).get("predictor")).get("model"))
    container = _serving_container(_dict(runtime.get("spec")))
    model_args = _strings(model.get("args"))
    annotations = _dict(_dict(isvc.get("metadata")).get("annotations"))
    profile = str(annotations.get(HARDWARE_PROFILE, "") or "")
    if profile:
        profile_ns = str(annotations.get(HARDWARE_PROFILE_NAMESPACE, "") or "")
        profile = f"{profile_ns}/{profile}" if profile_ns else profile
    names = {p.name for p in snapshot.pods_for(dep)}
    pods = [
        p
        for p in snapshot.raw.get("pods") or []
        if isinstance(p, dict) and _dict(p.get("metadata")).get("name") in names
    ]
    return GenerativeSetup(
        why=why,
        args=_strings(container.get("args")) + model_args,
        model_args=model_args,
        hardware_profile=profile,
        gpus=_gpus(pods, model),
    )


def route_timeout(snapshot: Snapshot, dep: resources.AnyDeployment) -> str | None:
    """The router timeout in front of the deployment (None: no route)."""
    route = snapshot.route_for(dep)
    if route is None:
        return None
    raw = _find(snapshot.raw.get("routes") or [], route.namespace, route.name)
    annotations = _dict(_dict(raw.get("metadata")).get("annotations"))
    value = str(annotations.get(ROUTE_TIMEOUT, "") or "")
    return value or f"{DEFAULT_ROUTE_TIMEOUT} (router default)"
