"""runtime-pods: are the pods behind the model up? Fails only for pod-level causes (OOM, image,
scheduling, eviction); a pod that crashes while fetching or loading the model is the storage or
model checks' business, so it is only a warning here."""

from __future__ import annotations

from checks import resources
from checks.engine import facts, facts_standard
from checks.engine.context import CheckContext
from checks.engine.runner import Outcome
from checks.errors import KubeError, Unmet
from checks.knowledge.vllm_runtime import GenerativeSetup, generative_setup

MODELCAR_INIT = "modelcar-init"
# what registries and the kubelet say about a refused pull (wording varies per registry)
REGISTRY_WORDS = (
    "unauthorized",
    "manifest unknown",
    "not found",
    "denied",
    "no such host",
    "x509",
)
IMAGE_REASONS = ("ImagePullBackOff", "ErrImagePull", "InvalidImageName")
CONFIG_REASONS = ("CreateContainerConfigError", "CreateContainerError")


def _pod_line(pod: resources.Pod) -> str:
    return (
        f"pod {pod.name}: {pod.display_status}, ready {pod.ready_count()}, restarts {pod.restarts}"
    )


class RuntimePods:
    id = "runtime-pods"
    title = "Runtime pods"
    depends_on = ("serving-runtime",)

    async def run(self, ctx: CheckContext) -> Outcome:
        dep, pods = ctx.deployment, ctx.pods
        if stopped := facts_standard.stopped_reason(ctx):
            return Outcome.skipped(stopped)
        if "pods" in ctx.snapshot.errors:
            raise KubeError("forbidden", ctx.snapshot.error_line("pods") or "forbidden")
        if not pods:
            if dep.platform == resources.MODELMESH:
                return Outcome.failed(
                    f"no pods for modelmesh-serving-{dep.runtime}: the runtime "
                    "is scaled to zero or its Deployment cannot create pods",
                    "Check the runtime's replicas and the namespace's events "
                    "(quota, FailedCreate).",
                )
            refusal = facts_standard.pod_refusal(ctx)
            if refusal is not None:
                return Outcome.failed(refusal.summary, refusal.remediation, *refusal.evidence)
            return Outcome.failed(
                "no predictor pods for this deployment",
                "Check minReplicas and the project's events (FailedCreate).",
                *facts_standard.predictor_lines(ctx),
            )
        evidence = [_pod_line(p) for p in pods]
        setup = generative_setup(ctx.snapshot, dep)
        if setup is not None:
            evidence += setup.evidence()
        for pod in pods:
            outcome = self._modelcar(ctx, pod, evidence)
            if outcome is not None:
                return outcome
        for pod in pods:
            outcome = self._pod_fault(pod, evidence, setup)
            if outcome is not None:
                return outcome
        for pod in pods:
            for c in pod.containers:
                if c.state == "waiting" and c.reason == "CrashLoopBackOff":
                    if setup is not None and not c.init:
                        crashed = await self._vllm_crash(ctx, pod, c, setup, evidence)
                        if crashed is not None:
                            return crashed
                    place = "fetching" if c.init else "loading"
                    tail = (c.last_message or "").strip().splitlines()[-1:] or [""]
                    return Outcome.warned(
                        f"{c.name} in {pod.name} keeps crashing while {place} the model "
                        f"(restarts {c.restarts}){': ' + tail[0] if tail[0] else ''}",
                        "See the storage and model checks above for why.",
                        *evidence,
                    )
        ready = sum(p.ready for p in pods)
        if not ready:
            return Outcome.warned(
                f"0/{len(pods)} runtime pods ready", "Read the pod's events and logs.", *evidence
            )
        return Outcome.passed(f"{ready}/{len(pods)} runtime pod(s) ready", *evidence)

    @staticmethod
    async def _vllm_crash(
        ctx: CheckContext,
        pod: resources.Pod,
        c: resources.ContainerState,
        setup: GenerativeSetup,
        evidence: list[str],
    ) -> Outcome | None:
        """Why vLLM died, from its previous instance's log; None (the generic wording) when the
        log cannot be read or names no known failure."""
        from checks.knowledge.crash_signatures import (  # a crash's words, when one
            last_line,
            match_log,
        )

        where = f"termination message of {c.name}"
        cause = match_log(c.last_message)  # FallbackToLogsOnError puts the log's end there
        if cause is None:
            try:
                log = await facts.previous_log(ctx, pod.name, c.name)
            except (KubeError, Unmet) as error:
                evidence.append(f"previous log of {c.name}: not readable ({error})")
                return None
            where = f"previous log of {c.name}"
            cause = match_log(log)
        if cause is None:
            tail = last_line(log)
            evidence.append(f'{where}, last line: "{tail}"' if tail else f"{where}: empty")
            return None
        evidence.append(f'{where}: "{cause.line}"')
        exit_code = f", last exit {c.last_exit_code}" if c.last_exit_code is not None else ""
        summary = (
            f"vLLM in {pod.name} crashes at start-up (restarts {c.restarts}{exit_code}): "
            f"{cause.meaning}"
        )
        if cause.max_model_len is not None:
            configured = setup.arg("--max-model-len")
            summary += (
                f" (--max-model-len={configured} is set)" if configured else ""
            ) + f"; set --max-model-len={cause.max_model_len}"
        if cause.signature == "offline-download":
            return Outcome.warned(summary, cause.fix + " See the model checks above.", *evidence)
        return Outcome.failed(summary, cause.fix, *evidence)

    @staticmethod
    def _pod_fault(
        pod: resources.Pod, evidence: list[str], setup: GenerativeSetup | None = None
    ) -> Outcome | None:
        if pod.reason == "Evicted":
            return Outcome.failed(
                f"pod {pod.name} was evicted: {pod.message}",
                "Raise the memory limit (ModelMesh sizes the models-dir "
                "emptyDir from it) or use smaller models.",
                *evidence,
            )
        if (cond := pod.unschedulable) is not None:
            fix = (
                "Lower the model server's CPU/memory/GPU requests, or add "
                "capacity (nodes, GPUs, tolerations for tainted nodes)."
            )
            if setup is not None and "gpu" in cond.message.lower():
                profile = setup.hardware_profile
                asked = f" ({setup.gpus})" if setup.gpus else ""
                fix = (
                    f"No node has the GPUs this deployment asks for{asked}: pick a hardware "
                    f"profile whose GPUs exist (opendatahub.io/hardware-profile-name"
                    f"{', now ' + profile if profile else ''}) or lower the nvidia.com/gpu "
                    "limit, or add GPU nodes (and tolerations for their taints)."
                )
            return Outcome.failed(
                f"pod {pod.name} cannot be scheduled: {cond.message}", fix, *evidence
            )
        for c in pod.containers:
            if c.last_reason == "OOMKilled" or c.reason == "OOMKilled":
                return Outcome.failed(
                    f"container {c.name} was OOMKilled (exit {c.last_exit_code or 137}) and "
                    f"restarted {c.restarts} times" + (f", now {c.reason}" if c.reason else ""),
                    "Raise the memory limit of the model server (the model needs more memory "
                    "than it is given), or serve a smaller model.",
                    *evidence,
                )
            if c.reason in IMAGE_REASONS:
                return Outcome.failed(
                    f"container {c.name} cannot pull its image: {c.reason} {c.message}".rstrip(),
                    "Check the image name and the pull secret.",
                    *evidence,
                )
            if c.reason in CONFIG_REASONS:
                return Outcome.failed(
                    f"container {c.name}: {c.reason}: {c.message}",
                    "Fix the referenced secret or config map.",
                    *evidence,
                )
        return None

    @staticmethod
    def _modelcar(ctx: CheckContext, pod: resources.Pod, evidence: list[str]) -> Outcome | None:
        """oci:// models: KServe's modelcar-init checks /models in the image before the runtime
        starts (opendatahub-io/kserve storage.go). Its NOK line is the fault itself; a pull
        failure is the registry's answer, which data-connection asks for itself."""
        for c in pod.containers:
            if not (c.init and c.name.startswith(MODELCAR_INIT)):
                continue
            said = c.last_message or c.message
            if "NOK" in said or "/models does not exist" in said:
                line = next((x for x in said.splitlines() if "NOK" in x), said).strip()
                return Outcome.failed(
                    f"the modelcar image {c.image} has no files under /models: {c.name} in "
                    f"{pod.name} says {line!r} (exit {c.last_exit_code}, restarts {c.restarts})",
                    "Rebuild the image with the model files under /models (e.g. COPY model/ "
                    "/models/ on a ubi-micro or busybox base: modelcar-init runs sh), push "
                    "it, and redeploy.",
                    *evidence,
                )
            if c.reason in IMAGE_REASONS:
                words = [
                    e.message
                    for e in ctx.snapshot.events_for(pod.namespace, {pod.name})
                    if e.reason == "Failed" and "pull" in e.message.lower()
                ]
                told = next(
                    (m for m in (c.message, *words) if any(w in m.lower() for w in REGISTRY_WORDS)),
                    "",
                )
                registry = told.rsplit(": ", 2)[-2:] if told else []
                said = f" (registry: {': '.join(registry)})" if registry else ""
                return Outcome.warned(
                    f"{c.name} cannot pull the model image {c.image}: {c.reason}{said}",
                    "The data-connection check asks the registry with the pull secret: fix the "
                    "credentials or the image tag it names.",
                    *evidence,
                    *(f"event: {w}" for w in words[:2]),
                )
        return None
