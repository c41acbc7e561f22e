"""route: is there an external route, is it admitted, and does it answer — DNS, TCP, TLS, HTTP?"""

from __future__ import annotations

import os

from checks import resources as r
from checks.addressing import overrides
from checks.catalog.token import model_token
from checks.context import CheckContext
from checks.engine import Outcome, Status
from checks.errors import KubeError
from checks.probe import probe

STEP_REMEDIES = {
    "dns": "The route's host does not resolve from here: use --resolve HOST:443:ROUTER_IP "
    "(or --connect-to), or fix DNS for the apps domain.",
    "tcp": "Nothing answers on the route's address: check the router, firewall and proxy.",
    "tls": "Pass --certificate-authority with the router's CA (or the cluster's ingress CA) — "
    "or --insecure-skip-tls-verify for a quick test.",
    "http": "The request did not complete; check proxies between here and the router.",
}


def expected_url(ctx: CheckContext) -> tuple[str | None, str]:
    """(URL to probe, why) following each platform's rule (§1.6)."""
    dep = ctx.deployment
    if dep.platform == r.MODELMESH:
        route = ctx.snapshot.route_for(dep)
        if route is None:
            return None, "no route"
        return f"https://{route.host}{route.path}", f"route {route.name}"
    if dep.url and not dep.url.split("://", 1)[-1].split("/")[0].endswith(".svc.cluster.local"):
        return f"{dep.url.rstrip('/')}/v2/models/{dep.name}", "status.url"
    return None, "no external URL"


class RouteCheck:
    id = "route"
    title = "Route reachability"
    depends_on = ("runtime-pods", "deployment-status")

    async def run(self, ctx: CheckContext) -> Outcome:
        dep = ctx.deployment
        url, why = expected_url(ctx)
        if url is None:
            return self._missing(ctx)
        evidence = [f"URL: {url} (from {why})"]
        route = ctx.snapshot.route_for(dep)
        if route is not None and route.admitted is False:
            return Outcome.failed(
                f"route {route.name} is not admitted by the router: "
                f"{route.admitted_message or 'no reason given'}",
                "Fix the route's host (conflicts, invalid name) so the router admits it.",
                *evidence,
            )
        token = None
        try:
            token, _ = await model_token(ctx)
        except KubeError:
            token = None
        ca = ctx.options.route_ca or os.environ.get("RHOAI_DOCTOR_ROUTE_CA") or None
        result = await ctx.fact(
            "probe",
            lambda: probe(
                url,
                rules=overrides(ctx.cluster.resolve, ctx.cluster.connect_to),
                ca_file=ca,
                verify=not ctx.options.insecure,
                token=token,
                timeout=ctx.options.http_timeout,
            ),
        )
        evidence += list(result.steps)
        if result.failed_step is not None:
            status = Status.ERROR if result.failed_step == "dns" else Status.FAIL
            return Outcome(
                status,
                f"{result.failed_step.upper()}: {result.message}",
                tuple(evidence),
                STEP_REMEDIES[result.failed_step],
            )
        answer = result.answer
        assert answer is not None
        if answer.who == "OpenShift router":
            return Outcome.failed(
                f"the OpenShift router answered {answer.status} 'Application "
                "is not available': no ready pod behind the route, or the path "
                "is outside the route's path",
                f"Check runtime-pods; for ModelMesh call only /v2/models/{dep.name}[/infer].",
                *evidence,
            )
        if answer.status == 404:
            return Outcome.failed(
                f"404 from {answer.who}: {answer.detail}",
                f"Call /v2/models/{dep.name}/infer: the model name in the path "
                "is the deployment's name.",
                *evidence,
            )
        if answer.status in (401, 403):
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
    def _missing(ctx: CheckContext) -> Outcome:
        dep, server = ctx.deployment, ctx.server
        if dep.platform == r.MODELMESH:
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
        if dep.visibility == "internal":
            return Outcome.failed(
                "the deployment is internal only (no external URL)",
                "Tick 'Make deployed models available through an external "
                "route' on the deployment.",
                f"internal URL: {dep.internal_url or '-'}",
            )
        return Outcome.failed(
            "the deployment has no external URL yet",
            "Check the deployment's IngressReady condition and events.",
        )
