"""deployment-status: what the deployment reports, read with its known traps (docs/domain.md §2): a stale
lastFailureInfo on a Loaded model is not a failure; OOMKilled leaves KServe models Pending."""

from __future__ import annotations

from datetime import timedelta

from checks import resources
from checks.engine import facts, facts_standard, gateway, reconcile
from checks.engine.context import CheckContext
from checks.engine.runner import Outcome, Status
from checks.errors import DoctorError, Unmet


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
        if isinstance(dep, resources.LLMService):
            return await llm_status(ctx, dep)
        if unreconciled := reconcile.never_reconciled(ctx):
            return await self._unreconciled(ctx, unreconciled)
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
            served = await self._served(ctx)
            if served:  # what came back decides: the status only explains
                evidence.append(served)
                return Outcome.warned(
                    f"the model answers ({served.split(': ', 1)[-1]}), although its status says "
                    f"it failed to load: {message or dep.state} — the status is stale, or "
                    "another copy serves while this one fails",
                    "Read the runtime's logs (storage-initializer, adapter) for the failure the "
                    "status records; re-run once the deployment has reconciled.",
                    *evidence,
                )
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
        young = dep.created and ctx.now - dep.created < timedelta(minutes=5)
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
    async def _served(ctx: CheckContext) -> str:
        """The model's own 2xx to the route probe (the route check's request, memoised), as an
        evidence line; '' when it was not asked, not answered, or not by the model."""
        url, _ = facts.expected_url(ctx)
        if url is None:
            return ""
        try:
            answer = (await facts.route_probe(ctx, url)).answer
        except (Unmet, DoctorError):
            return ""
        if answer is None or not (200 <= answer.status < 300 and answer.who == "model server"):
            return ""
        return f"the route's request: {answer.status} from the model server"

    @staticmethod
    async def _unreconciled(ctx: CheckContext, unreconciled: str) -> Outcome:
        """No status at all: no controller took the object. Its pods, Service and Route cannot
        exist, so the cause is why the controller skips or refuses it."""
        dep = ctx.isvc
        why = await reconcile.refusals(ctx)
        evidence = [
            f"status: absent (no conditions, no modelStatus, no deploymentMode); created "
            f"{resources.age(dep.created, ctx.now) + ' ago' if dep.created else 'at an unknown time'}",
            facts_standard.mode_line(dep),
            *(f"the controller would refuse or skip it: {line}" for line in why),
        ]
        if reconcile.fresh(ctx):
            return Outcome.warned(
                f"{dep.state}: created moments ago, not reconciled yet",
                "Re-run in a minute.",
                *evidence,
            )
        if why:
            return Outcome.failed(
                f"{unreconciled}: {why[0]}",
                "Fix what the controller refuses (above) and re-apply the InferenceService; "
                "its status appears within seconds once a controller takes it.",
                *evidence,
            )
        return Outcome.failed(
            f"{unreconciled}: nothing in it is refused, so the controller is not running or "
            "not watching this namespace",
            "Check the kserve-controller-manager (and odh-model-controller) pods and logs in "
            "redhat-ods-applications: `oc get pods -n redhat-ods-applications`.",
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


async def exposure(ctx: CheckContext, svc: resources.LLMService) -> tuple[list[str], list[str]]:
    """(evidence, problems) of the HTTPRoute, its Gateway(s) and the AuthPolicy; an API the
    cluster does not serve is said once, not once per object."""
    evidence: list[str] = []
    problems: list[str] = []
    said: set[str] = set()

    def note(found: gateway.Lookup) -> None:
        if found.problem in gateway.MISSING_API.values():
            if found.problem not in said:
                said.add(found.problem)
                evidence.append(found.problem)
                problems.append(found.problem)
            return
        if not found.found:
            evidence.append(f"{found.what}: {found.problem}")
            if found.known:
                problems.append(f"{found.what}: {found.problem}")
            return
        bad = found.false_conditions()
        evidence.append(f"{found.what}: " + ("; ".join(bad) if bad else "accepted"))
        problems.extend(f"{found.what}: {line}" for line in bad)

    note(await gateway.http_route(ctx, svc))
    for found in await gateway.gateways(ctx, svc):
        note(found)
    auth = resources.llm_services.AUTH_ANNOTATION
    if svc.auth_enabled:
        evidence.append(
            "auth: ON (the default for LLMInferenceService, unlike an InferenceService: only "
            f'{auth}: "false" turns it off)'
        )
        note(await gateway.auth_policy(ctx, svc))
    else:
        evidence.append(
            f'auth: OFF ({auth}: "false"): anyone who reaches the gateway may call the model'
        )
    return evidence, problems


async def llm_status(ctx: CheckContext, svc: resources.LLMService) -> Outcome:
    """Ready and its condition tree; the deepest False condition is the reason, with the
    HTTPRoute/Gateway's own words when the router is what is not ready."""
    evidence = [
        f"LLMInferenceService {svc.namespace}/{svc.name} read as {svc.api_version or '?'}",
        f"model: {svc.model_uri or '-'}"
        + (f" (served as {svc.model_name})" if svc.model_name else ""),
        f"state: {svc.state}",
        *(f"condition {line}" for node in svc.tree() for line in node.lines()),
    ]
    if svc.stopped:
        return Outcome.passed(
            f"Stopped ({resources.llm_services.STOP_ANNOTATION}=true): not serving, on purpose",
            *evidence,
        )
    exposed, problems = await exposure(ctx, svc)
    evidence += exposed
    ready = svc.condition("Ready")
    if ready is None:
        return Outcome.warned(
            "Unknown: the LLMInferenceService reports no Ready condition yet",
            "Check that the KServe controller runs and reconciles LLMInferenceServices.",
            *evidence,
        )
    if ready.status == "True":
        if problems:
            return Outcome.warned(
                f"Loaded, but {problems[0]}",
                "Check the Gateway and AuthPolicy odh-model-controller should create.",
                *evidence,
            )
        return Outcome.passed("Loaded (Ready=True)", *evidence)
    path = svc.failing_path()
    words = [f"{c.type}={c.status}" for c in path[1:-1]]
    leaf = path[-1] if path else ready
    words.append(
        f"{leaf.type}={leaf.status}"
        + (f" ({leaf.reason})" if leaf.reason else "")
        + (f": {leaf.message}" if leaf.message else "")
    )
    summary = ": ".join(words)
    remedy = (
        f"Fix what {leaf.type} names; `oc describe llminferenceservice {svc.name} -n "
        f"{svc.namespace}` shows the same conditions."
    )
    if leaf.type in resources.llm_services.CONDITION_TREE["RouterReady"] and problems:
        summary += "; " + problems[0]
        absent = [
            f"{ns}/{name}"
            for ns, name in svc.gateways
            if f"gateway {ns}/{name}: not found" in problems
        ]
        if absent:
            remedy = (
                f"The Gateway {', '.join(absent)} does not exist: create it (the platform's "
                "default inference gateway) or point spec.router.gateway.refs at one that does."
            )
    young = svc.created and ctx.now - svc.created < timedelta(minutes=5)
    if young and leaf.reason in ("", "Progressing"):
        return Outcome.warned(f"{svc.state}: {summary}", "Wait a minute and re-run.", *evidence)
    return Outcome.failed(summary, remedy, *evidence)
