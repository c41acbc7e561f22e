"""auth: is token auth enforced in front of the model, as the cluster runs it today?

Read from what enforces it, not from the switch alone: the proxy in the pod (kube-rbac-proxy on
3.x Standard, oauth-proxy on 2.x/ModelMesh) or Authorino (Serverless), the pod service account's
auth-delegator binding, the predictor Service's port — and one request sent *without* a token.
"""

from __future__ import annotations

from checks import resources
from checks.engine import auth_facts, facts
from checks.engine.context import CheckContext
from checks.engine.runner import Outcome
from checks.errors import Unmet

OPEN_FIX = (
    'Set the annotation security.opendatahub.io/enable-auth: "true" on the InferenceService '
    '(dashboard: Edit the deployment → tick "Require token authentication"), then call it with '
    "'Authorization: Bearer <token>'."
)
MODELMESH_OPEN_FIX = (
    'Dashboard: Models → model server → Edit → tick "Require token authentication" '
    '(runtime annotation enable-auth: "true").'
)


def enforcer(proxy: str, dep: resources.Deployment) -> str:
    """Which proxy stands in the pod, and the review it asks for each caller."""
    if proxy == "kube-rbac-proxy":
        return (
            "kube-rbac-proxy in the predictor pod (3.x: TokenReview, then SubjectAccessReview "
            f"get inferenceservices/{dep.name})"
        )
    asked = (
        "get services"
        if dep.platform == resources.MODELMESH
        else f"get inferenceservices/{dep.name}"
    )
    return f"oauth-proxy in the runtime pod (2.x: TokenReview, then SubjectAccessReview {asked})"


class AuthCheck:
    id = "auth"
    title = "Who may call the model"
    # Not on runtime-pods: a token's judgement (which depends on this) must not wait on pods.
    depends_on = ("serving-runtime",)
    not_for = {
        resources.LLMISVC: "LLMInferenceService: auth is enforced at the gateway by a Kuadrant "
        'AuthPolicy, on unless security.opendatahub.io/enable-auth is "false" (see '
        "deployment-status)"
    }

    async def prefetch(self, ctx: CheckContext) -> None:
        """The probe without a token, not waiting for the runtime's verdict."""
        await auth_facts.unauthenticated_probe(ctx)

    async def run(self, ctx: CheckContext) -> Outcome:
        dep = ctx.isvc
        annotation = auth_facts.auth_annotation(ctx)
        proxy = auth_facts.proxy_in_pods(ctx)
        evidence = [f"mode: {dep.mode}"]
        if dep.platform != resources.MODELMESH:
            evidence[0] += f", visibility: {dep.visibility}"
            shown = "absent" if annotation is None else f'"{annotation}"'
            evidence.append(f"annotation {auth_facts.AUTH_ANNOTATION}: {shown}")
        if proxy and not auth_facts.auth_on(ctx) and proxy == "kube-rbac-proxy":
            evidence.append(
                "kube-rbac-proxy is in the pod (odh-v3.5+ injects it into every new predictor), "
                "but it enforces only through the Service's 8443 port, which auth off removes"
            )
        elif proxy:
            evidence.append(f"enforced by {enforcer(proxy, dep)}")
        elif dep.platform == resources.KSERVE and not auth_facts.is_standard(dep):
            evidence.append("no auth sidecar in the pod: Serverless auth is Authorino's (mesh)")
        if not auth_facts.auth_on(ctx):
            return await self._open(ctx, annotation, evidence)
        if auth_facts.is_standard(dep):
            broken = await self._standard_wiring(ctx, evidence)
            if broken is not None:
                return broken
        result = await auth_facts.unauthenticated_probe(ctx)
        answer = result.answer if result is not None else None
        if result is None:
            return Outcome.passed("token auth is on; the model has no external URL", *evidence)
        if answer is None:
            evidence.append(f"without a token: no answer ({result.message})")
            return Outcome.skipped(
                "token auth is on; whether it is enforced was not seen: the route did not answer",
                *evidence,
            )
        evidence.append(f"without a token: {answer.status} from {answer.who}: {answer.detail}")
        if auth_facts.model_answered(answer):
            return Outcome.warned(
                f"token auth is on, yet the model answered {answer.status} to a request with no "
                "token: anyone who can reach the route can call it — the proxy is bypassed",
                "Point the route at the Service's 'https' port (8443, kube-rbac-proxy), not 'http'."
                if auth_facts.is_standard(dep)
                else "Check what fronts the route: Authorino's AuthConfig (Serverless) or the "
                "runtime's oauth-proxy (ModelMesh) let a request without a token through.",
                *evidence,
            )
        if auth_facts.refused(answer):
            return Outcome.passed(
                "token auth is enforced: a request without a token gets "
                f"{answer.status} from {answer.who}",
                *evidence,
            )
        return Outcome.skipped(
            "token auth is on; whether it is enforced was not seen: a request without a token "
            f"got {answer.status} from {answer.who}",
            *evidence,
        )

    @staticmethod
    async def _open(ctx: CheckContext, annotation: str | None, evidence: list[str]) -> Outcome:
        dep = ctx.isvc
        result = await auth_facts.unauthenticated_probe(ctx)
        if result is None:
            return Outcome.passed(
                "token auth is off, but the model has no external URL: only callers inside "
                "the cluster reach it",
                *evidence,
            )
        answer = result.answer
        if answer is None:
            evidence.append(f"without a token: no answer ({result.message})")
            return Outcome.skipped(
                "token auth is off; could not tell whether the route answers without a token",
                *evidence,
            )
        evidence.append(f"without a token: {answer.status} from {answer.who}: {answer.detail}")
        label = auth_facts.auth_label(ctx)
        if label is not None and dep.platform != resources.MODELMESH:
            evidence.append(
                f'label {auth_facts.AUTH_ANNOTATION}: "{label}" (odh-v2.23 to v2.25 controllers '
                "read the switch from this label; later ones from the annotation)"
            )
        if auth_facts.refused(answer):
            return Outcome.passed(
                f"token auth is off, but the route answered {answer.status} from {answer.who} "
                "to a request with no token",
                *evidence,
            )
        if not auth_facts.model_answered(answer):
            return Outcome.skipped(
                "token auth is off; whether the model answers without a token was not seen: "
                f"{answer.status} from {answer.who}",
                *evidence,
            )
        fix = MODELMESH_OPEN_FIX if dep.platform == resources.MODELMESH else OPEN_FIX
        if annotation is None and dep.platform != resources.MODELMESH:
            fix += (
                " Beware: with the annotation absent the dashboard shows the deployment as "
                'token-protected (it treats anything but "false" as on), while the '
                'controllers enforce auth only for "true".'
            )
        elif annotation is not None and dep.platform != resources.MODELMESH:
            fix += f' (it is "{annotation}"; only the exact string "true" turns auth on.)'
        return Outcome.warned(
            f"{dep.name} is open: it answered {answer.status} to a request with no token — "
            "anyone who can reach the route can call it",
            fix,
            *evidence,
        )

    @staticmethod
    async def _answers(ctx: CheckContext) -> list[str]:
        """What the route said without a token and with the model's: a valid token refused
        with 401 too is the sign of a proxy that cannot review tokens at all."""
        lines = []
        plain = await auth_facts.unauthenticated_probe(ctx)
        if plain is not None and plain.answer is not None:
            answer = plain.answer
            lines.append(f"without a token: {answer.status} from {answer.who}: {answer.detail}")
        url = facts.model_url(ctx)
        if url is not None and await facts.model_token_or_none(ctx):
            try:
                signed = await facts.route_probe(ctx, url)
            except Unmet:
                return lines
            if signed.answer is not None:
                answer = signed.answer
                lines.append(
                    f"with the model's token: {answer.status} from {answer.who}: {answer.detail}"
                )
        return lines

    @staticmethod
    async def _standard_wiring(ctx: CheckContext, evidence: list[str]) -> Outcome | None:
        """The objects 3.x Standard auth needs besides the annotation; a failure names the one
        missing, a read the user may not do is evidence (could not verify)."""
        dep = ctx.isvc
        account = auth_facts.pod_service_account(ctx)
        crb_name = auth_facts.delegator_name(ctx)
        crb = await auth_facts.delegator_binding(ctx)
        evidence.append(f"pod service account: {account}")
        evidence.append(
            f"ClusterRoleBinding {crb_name}: {crb.state}"
            + (f" ({crb.detail})" if crb.state == "unknown" else "")
        )
        if crb.state == "missing":
            answers = await AuthCheck._answers(ctx)
            evidence += answers
            served = next((a for a in answers if a.startswith("with the model's token: 2")), "")
            if served and "from model server" in served:  # the request succeeded: it decides
                return Outcome.warned(
                    f"the request with the model's token was answered by the model ({served}), "
                    f"although ClusterRoleBinding {crb_name} is missing: kube-rbac-proxy "
                    "still accepts tokens it reviewed in the last 2 minutes, or the route "
                    "bypasses it — it will answer 401 to every caller once its cache expires",
                    "odh-model-controller creates it while an InferenceService using that "
                    'service account has auth "true" — read its log; or, as a cluster admin: '
                    f"oc create clusterrolebinding {crb_name} --clusterrole=system:auth-delegator "
                    f"--serviceaccount={dep.namespace}:{account}",
                    *evidence,
                )
            return Outcome.failed(
                f"ClusterRoleBinding {crb_name} is missing: kube-rbac-proxy runs as "
                f"{dep.namespace}:{account} and may not review tokens without "
                "system:auth-delegator, so it answers 401 Unauthorized to every caller",
                "odh-model-controller creates it while an InferenceService using that service "
                'account has auth "true" — read its log; or, as a cluster admin: oc create '
                f"clusterrolebinding {crb_name} --clusterrole=system:auth-delegator "
                f"--serviceaccount={dep.namespace}:{account}",
                *evidence,
            ).unless("deployment-status")
        service = await auth_facts.predictor_service(ctx)
        if service.state != "present" or service.raw is None:
            evidence.append(service.detail)
            return None
        ports = auth_facts.service_ports(service.raw)
        shown = ", ".join(f"{n or '-'} {p}->{t}" for n, p, t in ports) or "none"
        evidence.append(f"Service {dep.name}-predictor ports: {shown}")
        if not any(name == "https" and port == 8443 for name, port, _ in ports):
            seen = await auth_facts.seen_without_token(ctx)
            if seen is not None and auth_facts.refused(seen):  # observation decides
                evidence.append(f"without a token: {seen.status} from {seen.who}: {seen.detail}")
                return Outcome.warned(
                    f"a request without a token was refused ({seen.status} from {seen.who}), "
                    f'although Service {dep.name}-predictor does not expose 8443 "https" (it '
                    f"has {shown}): something else enforces tokens on this route",
                    "KServe replaces port 80 'http' by 8443 'https' when auth is \"true\": check "
                    "the kserve controller's log and the Service's owner.",
                    *evidence,
                )
            return Outcome.failed(
                f'auth is "true" but Service {dep.name}-predictor does not expose 8443 "https" '
                f"(it has {shown}): requests do not pass through kube-rbac-proxy",
                "KServe replaces port 80 'http' by 8443 'https' when auth is \"true\": check "
                "the kserve controller's log and the Service's owner.",
                *evidence,
            )
        return None
