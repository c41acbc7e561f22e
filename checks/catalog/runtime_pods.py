"""runtime-pods: are the pods behind the model up? A pod that cannot become ready fails here
whatever the reason (OOM, image, scheduling, eviction, a container crash-looping, killed by its
liveness probe or exiting on start), with the decisive lines of the dead instance's log and the
pod's events. When the storage or model checks found what makes it crash (a wrong path, a model
the runtime cannot read), the crash is reported as their consequence, not as a second cause."""

from __future__ import annotations

from checks import resources
from checks.engine import facts_standard, pod_crash, reconcile
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
# what makes a container die that the storage and model checks judge from the bucket themselves
FETCH_CAUSES = ("data-connection", "bucket-path")
LOAD_CAUSES = ("data-connection", "bucket-path", "model-format")


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
            if unreconciled := reconcile.never_reconciled(ctx):
                return Outcome.skipped(f"no pods: {unreconciled} (see deployment-status)")
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
        crash = pod_crash.crashing(ctx, pods)
        if crash is not None:
            return await self._crash(ctx, crash, setup, evidence)
        ready = sum(p.ready for p in pods)
        if not ready:
            evidence += pod_crash.readiness_lines(ctx, pods)
            if pod_crash.young(ctx, pods):
                return Outcome.warned(
                    f"0/{len(pods)} runtime pods ready: still starting",
                    "Wait a minute and re-run; read the pod's events and logs if it stays so.",
                    *evidence,
                )
            return Outcome.failed(
                f"0/{len(pods)} runtime pods ready, for more than "
                f"{int(pod_crash.STARTING.total_seconds() // 60)} minutes: every request to the "
                "model gets the router's 503 until one is",
                "Read the pod's events (readiness probe) and the model server's log: it has not "
                "said it is ready.",
                *evidence,
            ).unless(*LOAD_CAUSES)
        return Outcome.passed(f"{ready}/{len(pods)} runtime pod(s) ready", *evidence)

    async def _crash(
        self,
        ctx: CheckContext,
        crash: pod_crash.Crash,
        setup: GenerativeSetup | None,
        evidence: list[str],
    ) -> Outcome:
        """A container keeps the pod from becoming ready: that fails, whatever its log says."""
        pod, c = crash.pod, crash.container
        # ModelMesh's runtime pod is shared: one model's files do not crash it
        shared = ctx.deployment.platform == resources.MODELMESH
        fetch, load = ((), ()) if shared else (FETCH_CAUSES, LOAD_CAUSES)
        if setup is not None and not c.init and not crash.liveness:
            crashed = await self._vllm_crash(ctx, pod, c, setup, evidence)
            if crashed is not None:
                return crashed
        else:
            evidence += await pod_crash.log_lines(ctx, crash)
        evidence += pod_crash.event_lines(ctx, pod)
        exit_code = f", last exit {c.last_exit_code}" if c.last_exit_code is not None else ""
        counted = f"(restarts {c.restarts}{exit_code})"
        if crash.liveness:
            return Outcome.failed(
                f"{c.name} in {pod.name} {crash.how} {counted}: {crash.liveness}",
                f"The model server does not answer its {crash.probe} probe in time (often: it "
                "is still loading a large model). Raise the probe's initialDelaySeconds / "
                "failureThreshold in the ServingRuntime (or add a startupProbe), or read the "
                "log lines above for what it was doing.",
                *evidence,
            ).unless(*load)
        quoted = [e for e in evidence if e.startswith(("termination", "previous")) and ': "' in e]
        said = quoted[-1].split(': "', 1)[1].rstrip('"') if quoted else ""
        if c.init:
            place = "while fetching the model" if "storage" in c.name else "before the pod starts"
            return Outcome.failed(
                f"init container {c.name} in {pod.name} keeps crashing {place} {counted}: the "
                f"model server never starts{': ' + said if said else ''}",
                f"Fix what {c.name}'s log says (quoted below); `oc logs {pod.name} -c {c.name} "
                f"--previous -n {pod.namespace}` shows all of it.",
                *evidence,
            ).unless(*fetch)
        return Outcome.failed(
            f"{c.name} in {pod.name} keeps crashing while loading the model {counted}"
            + (": it " + crash.how if crash.how == "exited on start" else "")
            + (f": {said}" if said else ""),
            f"Fix what {c.name}'s log says (quoted below); `oc logs {pod.name} -c {c.name} "
            f"--previous -n {pod.namespace}` shows all of it.",
            *evidence,
        ).unless(*load)

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
                log = await pod_crash.previous_log(ctx, pod.name, c.name)
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
            return Outcome.failed(summary, cause.fix, *evidence).unless(*LOAD_CAUSES)
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
