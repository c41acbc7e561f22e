"""token: is there a token, and may it do what the auth enforcer in front of the model checks?

Asked read-only: a SelfSubjectAccessReview authenticated *with the model's token* (docs/domain.md §4.2).
"""

from __future__ import annotations

import base64
import json
from typing import Any

from checks import resources
from checks.engine import auth_facts, facts, facts_standard
from checks.engine.context import CheckContext
from checks.engine.runner import Outcome
from checks.errors import KubeError, Unmet


def auth_enabled(ctx: CheckContext) -> bool:
    server = ctx.server
    if ctx.deployment.platform == resources.MODELMESH:
        return bool(server and server.enable_auth)
    return ctx.deployment.auth_enabled


def enforcer_attributes(dep: resources.Deployment) -> dict[str, str]:
    """oauth-proxy checks `get services`; Authorino `get inferenceservices/<name>` (docs/domain.md §4.2)."""
    if dep.platform == resources.MODELMESH:
        return {"namespace": dep.namespace, "verb": "get", "resource": "services"}
    return {
        "namespace": dep.namespace,
        "verb": "get",
        "group": "serving.kserve.io",
        "resource": "inferenceservices",
        "name": dep.name,
    }


def jwt_claims(token: str) -> dict:
    try:
        payload = token.split(".")[1]
        return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (IndexError, ValueError):
        return {}


class TokenCheck:
    id = "token"
    title = "Token and authorization"
    depends_on = ("serving-runtime", "auth")
    not_for = {
        resources.LLMISVC: "LLMInferenceService: auth is enforced at the gateway by a Kuadrant AuthPolicy (see deployment-status)"
    }

    async def prefetch(self, ctx: CheckContext) -> None:
        """The access review with the model's token, not waiting for auth's verdict."""
        if facts_standard.stopped_reason(ctx) or not auth_enabled(ctx):
            return
        token, _ = await facts.model_token(ctx)
        if token is not None:
            await facts.access_review(ctx, token, enforcer_attributes(ctx.isvc))

    async def run(self, ctx: CheckContext) -> Outcome:
        dep = ctx.isvc
        if stopped := facts_standard.stopped_reason(ctx):
            return Outcome.skipped(stopped)
        if not auth_enabled(ctx):
            answer = await auth_facts.seen_without_token(ctx)
            if answer is not None and auth_facts.refused(answer):
                # what came back decides: something asks for a token after all
                return Outcome.passed(
                    "token authentication is not enabled on the deployment, yet the route "
                    f"refused a request without a token: {answer.status} from {answer.who} "
                    "(see the auth check)",
                    f"without a token: {answer.status} from {answer.who}: {answer.detail}",
                )
            if answer is not None and not auth_facts.model_answered(answer):
                return Outcome.passed(
                    "token authentication is not enabled; whether the route takes requests "
                    f"without a token was not seen: {answer.status} from {answer.who}",
                    f"without a token: {answer.status} from {answer.who}: {answer.detail}",
                )
            return Outcome.passed(
                "token authentication is not enabled: the route takes requests without a token"
            )
        base = facts.token_base(ctx)
        account = f"{base}-sa"
        token, source = await facts.model_token(ctx)
        evidence = [f"token from {source}", f"expected service account: {account}"]
        if token is None:
            return Outcome.failed(
                f"no token for {dep.name}: {source} for service account {account}",
                "Add a token in the dashboard (Models → model "
                "server → Edit → Token authentication), or pass --token.",
                *evidence,
            )
        claims = jwt_claims(token)
        subject = claims.get("sub", "")
        if subject:
            evidence.append(f"token subject: {subject}")
        attributes = enforcer_attributes(dep)
        wanted = " ".join(f"{k}={v}" for k, v in attributes.items())
        evidence.append(f"the enforcer asks: {wanted}")
        try:
            review = await facts.access_review(ctx, token, attributes)
        except KubeError as error:
            if error.kind == "unauthorized":
                return Outcome.failed(
                    "the API server rejects the token (401): it is invalid, "
                    "expired, or its service account was deleted",
                    "Create a new token for the model server in the dashboard.",
                    *evidence,
                )
            raise
        if (review.get("status") or {}).get("allowed"):
            refused = await self._refused_by_route(ctx, token)
            words = auth_facts.proxy_refusal(refused, dep.name)
            if words is not None:
                delegator = auth_facts.delegator_name(ctx)
                return Outcome.failed(
                    "the API server allows the token, but the route answered " + words,
                    f"Bind the predictor pod's service account to system:auth-delegator "
                    f"(ClusterRoleBinding {delegator}; odh-model-controller makes it)."
                    if refused is not None and refused.status == 500
                    else "Make sure the token is from this cluster and not expired, and read "
                    "the kube-rbac-proxy container's log in the predictor pod.",
                    *evidence,
                )
            if refused is not None:
                return Outcome.failed(
                    f"the API server allows the token, but the route answered "
                    f"{refused.status} from {refused.who} when called with it: {refused.detail}",
                    "The proxy in front of the model does not accept this token: make sure it "
                    "is this model server's token from this cluster (one from another cluster, "
                    "or an expired one, is refused) and read the proxy container's log in the "
                    "runtime pod.",
                    *evidence,
                )
            return Outcome.passed(
                f"the token ({subject or source}) is allowed: {wanted}", *evidence
            )
        bound = any(
            b.binds_service_account(dep.namespace, account) for b in ctx.snapshot.role_bindings
        )
        reason = "no role binding grants it" if not bound else "its role binding does not grant it"
        wanted_words = (
            f"{attributes['verb']} {attributes['resource']}"
            f"{'/' + attributes['name'] if 'name' in attributes else ''} in {dep.namespace}"
        )
        accepted = await self._accepted_by_route(ctx, token)
        if accepted is not None:  # what came back decides; the review only explains
            return Outcome.warned(
                f"the request with the token was answered {accepted.status} by the model, "
                f"although the API server says its service account {account} may not "
                f"{wanted_words} ({reason}): the proxy in front does not ask for that permission",
                "Nothing blocks callers today; if the model should require this permission, "
                "check what fronts the route (auth annotation, the proxy's SAR config).",
                *evidence,
            )
        fix_role = (
            "ClusterRole view" if dep.platform == resources.MODELMESH else f"Role {base}-view-role"
        )
        said = "the route answers 403"
        refused = await self._refused_by_route(ctx, token)
        if auth_facts.proxy_refusal(refused, dep.name) is not None:
            said = f"kube-rbac-proxy answers {refused.status} {refused.detail}"
        elif refused is not None:
            said = f"the route answers {refused.status} from {refused.who}: {refused.detail}"
            evidence.append(f"with the token: {refused.status} from {refused.who}")
        return Outcome.failed(
            f"the token's service account {account} may not {attributes['verb']} "
            f"{attributes['resource']}{'/' + attributes['name'] if 'name' in attributes else ''}"
            f" in {dep.namespace}: {reason}, so {said}",
            f"Recreate the role binding {base}-view ({account} -> {fix_role}"
            + (
                f", a Role granting get on inferenceservices [{dep.name}]"
                if dep.platform != resources.MODELMESH
                else ""
            )
            + "); re-saving the token settings in the dashboard does it.",
            *evidence,
        )

    @staticmethod
    async def _refused_by_route(ctx: CheckContext, token: str) -> Any:
        """The route's own answer to the token (the probe the route check made, sent with it):
        the review says what RBAC allows, the route says what the proxy in front enforces."""
        url, _ = facts.expected_url(ctx)
        if url is None or facts_standard.stopped_reason(ctx):
            return None
        try:
            result = await facts.route_probe(ctx, url)
        except Unmet:  # not probed (an offline capture): the review alone decides
            return None
        answer = result.answer
        return answer if auth_facts.proxy_answered(answer) else None

    @staticmethod
    async def _accepted_by_route(ctx: CheckContext, token: str) -> Any:
        """The model's own 2xx answer to the request sent with the token, else None."""
        url, _ = facts.expected_url(ctx)
        if url is None or facts_standard.stopped_reason(ctx):
            return None
        try:
            answer = (await facts.route_probe(ctx, url)).answer
        except Unmet:
            return None
        if answer is not None and 200 <= answer.status < 300 and answer.who == "model server":
            return answer
        return None
