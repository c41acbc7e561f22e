"""Where your own login's (kubeconfig) token may go besides the API server: nowhere, unless you ask
(`--token-from-kubeconfig`, or yes in the composer), and even then never over plain HTTP and
never to a host that is not an admitted Route of the deployment without naming that host a
second time (`--send-login-token-to HOST`, or a second yes). A project editor who points a
model's URL at their own host must not collect the token of whoever tests the model."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from checks.engine.context import CheckContext
from checks.errors import DoctorError, ErrorKind

OPT_IN = "--token-from-kubeconfig"
OUTSIDE = "--send-login-token-to"


@dataclass(frozen=True)
class LoginTokenOffer:
    """Your login's token could go to `host` if you say so; `outside` says why the host is not
    one of the cluster's (then a second, louder confirmation is needed)."""

    host: str
    outside: str = ""


def host_of(url: str) -> str:
    """The host name of a URL, lower case, without port or credentials."""
    return (urlsplit(url).hostname or "").lower()


def apps_domain(server: str) -> str | None:
    """OpenShift's apps domain from its API server's name (api.X → apps.X), when it has one."""
    host = host_of(server)
    return "apps." + host.removeprefix("api.") if host.startswith("api.") else None


def outside_reason(ctx: CheckContext, url: str) -> str:
    """Why `url`'s host is not where the cluster serves this model ("" when it is): it must be the
    host of an admitted Route of the deployment, and inside the apps domain when that is known."""
    host = host_of(url)
    route = ctx.snapshot.route_for(ctx.deployment)
    if route is None or route.host.lower() != host:
        return f"{host} is not the host of a Route of {ctx.deployment.name}"
    if route.admitted is not True:
        return f"route {route.name} ({host}) is not admitted by the cluster's router"
    domain = apps_domain(ctx.cluster.server)
    if domain and not host.endswith("." + domain):
        return f"{host} is outside the cluster's apps domain {domain}"
    return ""


def choose(ctx: CheckContext, url: str, why: str) -> tuple[str | None, str, LoginTokenOffer | None]:
    """(token, where it came from, offer) for a model with no token of its own (`why`)."""
    token = ctx.cluster.token
    if not token:  # a client certificate, say: nothing of yours could go
        return None, f"no token sent: {why}", None
    host = host_of(url)
    if urlsplit(url).scheme != "https":
        return (
            None,
            f"no token sent: {why}; your own login's token is never sent over plain HTTP ({host})",
            None,
        )
    offer = LoginTokenOffer(host, outside_reason(ctx, url))
    if not ctx.options.token_from_kubeconfig:
        return (
            None,
            f"no token sent: {why}; your own login's token is only sent with {OPT_IN}",
            offer,
        )
    if not offer.outside:
        return token, f"your own token ({why}; {OPT_IN}, to {host})", None
    if ctx.options.login_token_host and ctx.options.login_token_host.lower() == host:
        return token, f"your own token ({why}; {OUTSIDE} {host}: {offer.outside})", None
    raise DoctorError(
        ErrorKind.USAGE,
        f"your login's token was not sent to {host}: {offer.outside}; if you trust that host, "
        f"add {OUTSIDE} {host}",
    )


def confirmed_source(offer: LoginTokenOffer) -> str:
    """The note once you said yes in the composer."""
    where = f"{offer.host}, outside the cluster: {offer.outside}" if offer.outside else offer.host
    return f"your own token (you confirmed sending it to {where})"
