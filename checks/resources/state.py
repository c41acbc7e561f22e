"""The one state word every face shows: the dashboard's word for a deployment, plus our reason where the word hides a fault."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from checks.resources.deployments import Deployment
from checks.resources.pods import Pod

if TYPE_CHECKING:
    from checks.resources.llm_services import LLMService


class Severity(StrEnum):
    OK = "ok"
    PROGRESSING = "progressing"
    FAILED = "failed"
    UNKNOWN = "unknown"
    STOPPED = "stopped"


SEVERITY_MARKS = {
    Severity.OK: "✓",
    Severity.PROGRESSING: "…",
    Severity.FAILED: "✗",
    Severity.UNKNOWN: "?",
    Severity.STOPPED: "■",
}
WORD_SEVERITY = {
    "Loaded": Severity.OK,
    "Standby": Severity.OK,
    "Pending": Severity.PROGRESSING,
    "Loading": Severity.PROGRESSING,
    "FailedToLoad": Severity.FAILED,
}
# The dashboard's label for our word (rhoai-3x §8): (v3.4+ / HEAD, v2.38-v3.3).
DASHBOARD_LABELS = {
    "Stopped": ("Stopped", "Stopped"),
    "Stopping": ("Stopping", "Stopping"),
    "Pending": ("Starting", "Starting"),
    "Loading": ("Starting", "Starting"),
    "Loaded": ("Ready", "Started"),
    "Standby": ("Starting", "Started"),
    "FailedToLoad": ("Failed", "Failed"),
}
POD_FAULTS = (
    "OOMKilled",
    "CrashLoopBackOff",
    "ImagePullBackOff",
    "ErrImagePull",
    "InvalidImageName",
    "CreateContainerConfigError",
    "CreateContainerError",
)


@dataclass(frozen=True)
class DeploymentState:
    """The dashboard's word for a deployment, plus our reason where the word hides the fault
    (an OOMKilled KServe model stays "Pending"). `get`, `check` and the console all show this."""

    word: str
    reason: str = ""
    severity: Severity = Severity.UNKNOWN

    @property
    def text(self) -> str:
        return f"{self.word} · {self.reason}" if self.reason else self.word

    @property
    def dashboard(self) -> str:
        """What the dashboard shows for it, by dashboard generation."""
        new, old = DASHBOARD_LABELS.get(self.word, ("?", "?"))
        if new == old:
            return f"dashboard shows {new}"
        return f"dashboard shows {new} (v3.4+; {old} on v2.38-v3.3)"

    @property
    def dashboard_word(self) -> str:
        """The dashboard's label on v3.4+ (and HEAD)."""
        return DASHBOARD_LABELS.get(self.word, ("?", "?"))[0]

    @property
    def stopped(self) -> bool:
        return self.word in ("Stopped", "Stopping")

    @property
    def mark(self) -> str:
        return SEVERITY_MARKS[self.severity]

    @property
    def failed(self) -> bool:
        return self.severity == Severity.FAILED


def _pod_fault(pod: Pod) -> str:
    """Why a runtime pod cannot serve, in kubectl's words; "" when nothing is wrong with it."""
    if pod.reason == "Evicted":
        return "Evicted"
    if pod.unschedulable is not None:
        return "Unschedulable"
    for c in pod.containers:
        current = c.reason if c.state in ("waiting", "terminated") else ""
        if current == "CrashLoopBackOff":
            return f"CrashLoopBackOff ({c.last_reason})" if c.last_reason else current
        if current in POD_FAULTS:
            return current
        if c.last_reason == "OOMKilled":
            return "OOMKilled"
    return ""


def deployment_state(
    dep: Deployment | LLMService, pods: Iterable[Pod], refused: str = ""
) -> DeploymentState:
    """The dashboard's rule (unschedulable pods make it FailedToLoad, else the model's state
    word), with the first runtime pod fault as the reason; a pod fault is a failure whatever
    the word says; with no pods, the ReplicaSet's refusal (`refused`, e.g. a quota) is the fault.
    A stop annotation wins: Stopping while pods remain, then Stopped (rhoai-3x §2)."""
    pods = list(pods)
    if dep.stop_requested:
        if pods:
            return DeploymentState("Stopping", "serving.kserve.io/stop=true", Severity.PROGRESSING)
        return DeploymentState("Stopped", "serving.kserve.io/stop=true", Severity.STOPPED)
    fault = next((f for f in map(_pod_fault, pods) if f), "") or ("" if pods else refused)
    word = "FailedToLoad" if fault == "Unschedulable" else dep.state
    severity = WORD_SEVERITY.get(word, Severity.UNKNOWN)
    if fault:
        severity = Severity.FAILED
    reason = fault
    if not reason and word == "FailedToLoad" and dep.failure and dep.failure.reason:
        reason = dep.failure.reason
    return DeploymentState(word=word, reason=reason, severity=severity)
