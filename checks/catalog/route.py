"""route: is there an external route, is it admitted, and does it answer — DNS, TCP, TLS, HTTP?"""

from __future__ import annotations

from checks import resources
from checks.engine import auth_facts, facts, facts_standard
from checks.engine.context import CheckContext
from checks.engine.runner import Outcome, Status
from checks.errors import Unmet

STEP_REMEDIES = {
    "dns": "The route's host does not resolve from here: use --resolve HOST:443:ROUTER_IP "
    "(or --connect-to), or fix DNS for the apps domain.",
    "tcp": "Nothing answers on the route's address: check the router, firewall and proxy.",
    "tls": "Pass --certificate-authority with the router's CA (or the cluster's ingress CA) — "
    "or --insecure-skip-tls-verify for a quick test.",
    "http": "The request did not complete; check proxies between here and the router.",
}


class RouteCheck:
    id = "route"
    title = "Route reachability"
    depends_on = ("runtime-pods", "deployment-status")
    not_for = {
        resources.LLMISVC: "LLMInferenceService: exposed through a Gateway API HTTPRoute, not an OpenShift Route (see deployment-status)"
    }

    async def prefetch(self, ctx: CheckContext) -> None:
        """The probe with the model's token (token asks it too), not waiting for the pods."""
        if facts_standard.stopped_reason(ctx):
            return
        url, _ = facts.expected_url(ctx)
        if url is not None:
            await facts.route_probe(ctx, url)

    async def run(self, ctx: CheckContext) -> Outcome:
        dep = ctx.isvc
        if stopped := facts_standard.stopped_reason(ctx):
            return Outcome.skipped(stopped)
        url, why = facts.expected_url(ctx)
        if url is None:
            return self._missing(ctx)
        evidence = [f"URL: {url} (from {why})"]
        objection = self._objection(ctx, ctx.snapshot.route_for(dep))
        try:
            result = await facts.route_probe(ctx, url)
        except Unmet:  # not probed (an offline capture): the objects alone speak
            if objection is None:
                raise
            return Outcome.failed(*objection, *evidence)
        evidence += list(result.steps)
        seen = result.answer
        served = seen is not None and 200 <= seen.status < 300 and seen.who == "model server"
        if objection is not None:
            summary, fix = objection
            if served and seen is not None:  # what came back decides; the objects explain
                return Outcome.warned(
                    f"the route works — {seen.status} from the model — although {summary}",
                    fix,
                    *evidence,
                )
            return Outcome.failed(summary, fix, *evidence)
        if result.failed_step is not None:
            status = Status.ERROR if result.failed_step == "dns" else Status.FAIL
            return Outcome(
                status,
                f"{result.failed_step.upper()}: {result.message}",
                tuple(evidence),
                STEP_REMEDIES[result.failed_step],
            )
        answer = result.answer
        if answer is None:  # a probe with no failed step always carries an answer
            return Outcome(Status.ERROR, result.message, tuple(evidence))
        if answer.who == "OpenShift router" and not any(p.ready for p in ctx.pods):
            return Outcome.warned(
                f"the OpenShift router answered {answer.status} 'Application is not available' "
                "because no predictor pod is ready: a consequence of the pods (see "
                "runtime-pods), not a fault of the route",
                "Make a predictor pod ready (runtime-pods says what keeps it down); the route "
                "answers once one is.",
                *evidence,
            )
        if answer.who == "OpenShift router":
            return Outcome.failed(
                f"the OpenShift router answered {answer.status} 'Application "
                "is not available': no ready pod behind the route, or the path "
                "is outside the route's path",
                f"Check runtime-pods; for ModelMesh call only /v2/models/{dep.name}[/infer].",
                *evidence,
            )
        if answer.who == "a redirect":
            return Outcome.failed(
                f"the route answers {answer.status}, {answer.detail}, not the model: "
                "rhoai-doctor does not follow it, and model clients posting a request lose it",
                "Call the address it points at, or find what redirects (an SSO proxy, an http "
                "route with insecureEdgeTerminationPolicy: Redirect) and route /v2/ past it.",
                *evidence,
            )
        if answer.status == 404:
            return Outcome.failed(
                f"404 from {answer.who}: {answer.detail}",
                "A vLLM deployment answers the OpenAI API: /v1/models, /v1/chat/completions, "
                "/v1/completions."
                if facts.is_generative(ctx)
                else f"Call /v2/models/{dep.name}/infer: the model name in the path "
                "is the deployment's name.",
                *evidence,
            )
        if 200 <= answer.status < 300 and answer.who in ("a web page", "unknown"):
            return Outcome.failed(
                f"{answer.status} with {answer.detail}, not the model's JSON: a login page or "
                "proxy stands in front of the route",
                "Call the route from where no SSO proxy intercepts it, or ask for the proxy to "
                "pass /v2/ through to the model.",
                *evidence,
            )
        if auth_facts.proxy_answered(answer):
            return Outcome.passed(
                f"reachable: {answer.status} from {answer.who} (see the token check)", *evidence
            )
        if answer.status >= 500:
            return Outcome.failed(
                f"{answer.status} from {answer.who}: {answer.detail}",
                "Read the runtime's logs.",
                *evidence,
            )
        return Outcome.passed(f"reachable: {answer.status} from {answer.who}", *evidence)

    @staticmethod
    def _objection(ctx: CheckContext, route: resources.Route | None) -> tuple[str, str] | None:
        """What the Route object says against it (not admitted; not the controller's), with the
        fix; None when nothing. Only an explanation: the probe's answer decides."""
        if route is not None and route.admitted is False:
            return (
                f"route {route.name} is not admitted by the router: "
                f"{route.admitted_message or 'no reason given'}",
                "Fix the route's host (conflicts, invalid name) so the router admits it.",
            )
        foreign = facts_standard.foreign_route(ctx, route)
        if foreign:
            return (
                foreign,
                f"Delete route {route.name if route else ''} so odh-model-controller recreates it "
                "owned by the InferenceService (label networking.kserve.io/visibility=exposed).",
            )
        return None

    @staticmethod
    def _missing(ctx: CheckContext) -> Outcome:
        dep, server = ctx.isvc, ctx.server
        if dep.platform == resources.MODELMESH:
            if server is not None and not server.enable_route:
                return Outcome.failed(
                    f"no external route: model server {server.name} was created without "
                    "'external route' (annotation enable-route: \"true\" is absent)",
                    "Dashboard: Models → model server → Edit → tick 'Make deployed models "
                    "available through an external route'. Inside the cluster the model answers "
                    f"at http://modelmesh-serving.{dep.namespace}:8008.",
                    f"internal REST URL: {dep.rest_url or '-'}",
                )
            return Outcome.failed(
                f"route {dep.name} is missing although the model server enables routes",
                "Check odh-model-controller's logs.",
            )
        if dep.visibility == "internal" and dep.visibility_annotation:
            return Outcome.failed(
                "the deployment is internal only: networking.kserve.io/visibility is an "
                "annotation; odh-model-controller reads the label, so it made no route",
                "Move it to a label: `oc label inferenceservice "
                f"{dep.name} -n {dep.namespace} networking.kserve.io/visibility=exposed` "
                "(and remove the annotation).",
                f"annotation networking.kserve.io/visibility: {dep.visibility_annotation}",
                f"internal URL: {dep.internal_url or '-'}",
            )
        if dep.visibility == "internal":
            return Outcome.failed(
                "the deployment is internal only (no external URL)",
                "Tick 'Make deployed models available through an external "
                "route' on the deployment.",
                f"internal URL: {dep.internal_url or '-'}",
            )
        if dep.mode == "Standard" and dep.visibility == "exposed":
            return Outcome.failed(
                f"label networking.kserve.io/visibility=exposed is set but there is no route "
                f"{dep.name}: odh-model-controller has not created it (or KServe did not accept "
                "it), so status.url is internal",
                "Read odh-model-controller's log in redhat-ods-applications, and the "
                "deployment's IngressReady condition.",
                f"status.url: {dep.url or '-'}",
            )
        return Outcome.failed(
            "the deployment has no external URL yet",
            "Check the deployment's IngressReady condition and events.",
        )
