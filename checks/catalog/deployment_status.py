"""deployment-status: what the deployment reports, read with its known traps (docs/domain.md §2): a stale
lastFailureInfo on a Loaded model is not a failure; OOMKilled leaves KServe models Pending."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from checks import facts_standard
from checks.context import CheckContext
from checks.engine import Outcome, Status


class DeploymentStatus:
    id = "deployment-status"
    title = "Deployment status"
    depends_on = (
        "data-connection",
        "bucket-path",
        "model-format",
        "serving-runtime",
        "runtime-pods",
    )

    async def run(self, ctx: CheckContext) -> Outcome:
        dep = ctx.deployment
        state = ctx.snapshot.state_of(dep)
        evidence = [
            f"state: {dep.state} (active {dep.active_state or '-'}, target "
            f"{dep.target_state or '-'}, transition {dep.transition_status or '-'})",
            f"{state.dashboard}; ours: {state.text}",
            facts_standard.mode_line(dep),
            *facts_standard.predictor_lines(ctx),
        ]
        evidence += [
            f"condition {c.type}={c.status}" + (f" ({c.reason})" if c.reason else "")
            for c in dep.conditions
            if c.type in ("Ready", "PredictorReady", "Stopped")
        ]
        if state.stopped:
            return self._stopped(ctx, state.word, evidence)
        failure = dep.failure
        if failure:
            evidence.append(
                f"lastFailureInfo: {failure.reason}: {failure.message.splitlines()[-1] if failure.message else ''}"
            )
        if dep.failed:
            message = (failure.message.strip().splitlines() or [""])[-1] if failure else ""
            return Outcome.failed(
                f"the model failed to load: {message or dep.state}",
                "Read the runtime's logs (storage-initializer, adapter) for the full error.",
                *evidence,
            )
        if dep.state == "Loaded":
            if dep.failure_is_stale:
                return Outcome.passed(
                    "Loaded (the lastFailureInfo message is stale and was ignored)", *evidence
                )
            return Outcome.passed("Loaded", *evidence)
        if dep.state == "Standby":
            return Outcome.passed("Standby: ModelMesh loads it on the first request", *evidence)
        young = dep.created and datetime.now(UTC) - dep.created < timedelta(minutes=5)
        if young:
            return Outcome.warned(
                f"{dep.state}: still starting", "Wait a minute and re-run.", *evidence
            )
        return Outcome.warned(
            f"{dep.state} for {'a while' if dep.created else 'unknown time'}; "
            "the model is not serving",
            "Check the runtime pods and events.",
            *evidence,
        )

    @staticmethod
    def _stopped(ctx: CheckContext, word: str, evidence: list[str]) -> Outcome:
        """Stopped is a state, not a failure: KServe deleted the workload on purpose (§2)."""
        dep = ctx.deployment
        route = ctx.snapshot.route_for(dep)
        if route is not None:
            evidence.append(
                f"note: route {route.name} is left behind (odh-model-controller keeps it while "
                "the model is stopped); it answers 503 until the model is started"
            )
        pods = len(ctx.pods)
        summary = (
            f"Stopping: serving.kserve.io/stop is true and {pods} pod(s) are still shutting down"
            if word == "Stopping"
            else "Stopped: serving.kserve.io/stop is true; the model is offline by choice "
            "and uses no resources"
        )
        return Outcome(Status.PASS, summary, tuple(evidence), facts_standard.START_FIX)
