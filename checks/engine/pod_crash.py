"""Why a predictor pod cannot become ready, in its own components' words: the container that keeps
dying (an init container, so the pod never starts; or the model server), whether the kubelet
kills it for a failed liveness probe or it exits by itself, the decisive lines of its previous
instance's log (bounded) and the pod's warning events.

A pod that cannot become ready is a cause, whatever its log says: every request to the model gets
the router's 503 until it is fixed (issue 23 item 5)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from checks import resources
from checks.engine.context import CheckContext
from checks.errors import KubeError, Unmet
from checks.knowledge.crash_signatures import decisive_lines, quote

MAX_EVENTS = 4  # the pod's warning events quoted as evidence
STARTING = timedelta(minutes=10)  # a pod younger than this that is not ready may still be loading
PREVIOUS_LOG_LINES = 300  # the fatal line of a vLLM start-up is within its last few hundred
PREVIOUS_LOG_BYTES = 256 * 1024


@dataclass(frozen=True)
class Crash:
    """One container that keeps the pod from becoming ready."""

    pod: resources.Pod
    container: resources.ContainerState
    liveness: (
        str  # the kubelet's "Liveness probe failed: ..." message when it kills it ("" otherwise)
    )

    @property
    def probe(self) -> str:
        """Which probe the kubelet kills it for: liveness, or startup."""
        return "startup" if self.liveness.lower().startswith("startup") else "liveness"

    @property
    def how(self) -> str:
        c = self.container
        if self.liveness:
            return f"is killed by its {self.probe} probe and restarted"
        if c.state == "terminated":
            return "exited on start"
        return "keeps crashing"


def _dies(c: resources.ContainerState) -> bool:
    if c.state == "waiting" and c.reason == "CrashLoopBackOff":
        return True
    if c.state == "terminated" and c.reason not in ("", "Completed"):
        return True
    return not c.ready and c.restarts > 0 and c.last_reason not in ("", "Completed")


def warning_events(ctx: CheckContext, pod: resources.Pod) -> list[resources.Event]:
    return [e for e in ctx.snapshot.events_for(pod.namespace, {pod.name}) if e.is_warning]


def event_lines(ctx: CheckContext, pod: resources.Pod) -> list[str]:
    """The pod's warning events, as evidence: reason, count, message (visible, bounded)."""
    return [
        f"event on pod {pod.name}: {e.reason} ({e.count}x): {quote(e.message)}"
        for e in warning_events(ctx, pod)[:MAX_EVENTS]
    ]


def _probe_kill(ctx: CheckContext, pod: resources.Pod, name: str) -> str:
    """The probe's failure when the kubelet kills `name` for a failed liveness or startup probe
    ("Container X failed liveness probe, will be restarted"), quoted; '' otherwise."""
    events = ctx.snapshot.events_for(pod.namespace, {pod.name})
    for probe in ("liveness", "startup"):
        killed = any(
            e.reason == "Killing"
            and f"failed {probe} probe" in e.message
            and f"ontainer {name} " in e.message
            for e in events
        )
        if killed:
            said = next(
                (
                    e.message
                    for e in events
                    if e.reason == "Unhealthy" and e.message.lower().startswith(probe)
                ),
                f"container {name} failed {probe} probe",
            )
            return quote(said)
    return ""


def crashing(ctx: CheckContext, pods: list[resources.Pod]) -> Crash | None:
    """The first container keeping a not-ready pod down: init containers first (the main ones
    have not run yet), then the model server."""
    for pod in pods:
        if pod.ready:
            continue
        ordered = sorted(pod.containers, key=lambda c: not c.init)
        for c in ordered:
            probe = "" if c.init else _probe_kill(ctx, pod, c.name)
            if probe or _dies(c):
                return Crash(pod, c, probe)
    return None


async def log_lines(ctx: CheckContext, crash: Crash) -> list[str]:
    """What the container's last instance said before it died: the termination message when it
    has one (storage-initializer writes its log's end there), else its previous log (bounded)."""
    c, pod = crash.container, crash.pod
    if c.last_message.strip():
        return [
            f'termination message of {c.name}: "{line}"' for line in decisive_lines(c.last_message)
        ]
    try:
        log = await previous_log(ctx, pod.name, c.name)
    except (KubeError, Unmet) as error:
        return [f"previous log of {c.name}: not readable ({error})"]
    lines = decisive_lines(log)
    if not lines:
        return [f"previous log of {c.name}: empty"]
    return [f'previous log of {c.name}: "{line}"' for line in lines]


def young(ctx: CheckContext, pods: list[resources.Pod]) -> bool:
    """Every pod started less than STARTING ago: not ready may still mean loading."""
    return all(p.created is not None and ctx.now - p.created < STARTING for p in pods)


def readiness_lines(ctx: CheckContext, pods: list[resources.Pod]) -> list[str]:
    """The kubelet's readiness (or startup) probe failures: why a running pod is not ready."""
    return [
        f"event on pod {p.name}: {e.reason} ({e.count}x): {quote(e.message)}"
        for p in pods
        for e in warning_events(ctx, p)
        if e.reason == "Unhealthy"
    ][:MAX_EVENTS]


async def previous_log(ctx: CheckContext, pod: str, container: str) -> str:
    """The tail of a container's previous (crashed) instance log, bounded in lines and bytes.
    Raises KubeError (forbidden, not found) like any API read."""
    return await ctx.fact(
        f"previous-log:{pod}/{container}",
        lambda: ctx.kube.log(
            ctx.namespace,
            pod,
            container,
            tail_lines=PREVIOUS_LOG_LINES,
            previous=True,
            limit_bytes=PREVIOUS_LOG_BYTES,
        ),
    )
