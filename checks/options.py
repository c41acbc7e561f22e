"""Everything a user says about how to reach the cluster and the models, built once from flags and
environment, and used by every request either face makes (so the console cannot forget a CA the
command line was given)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from checks.cluster.connect import ConnectionOptions

ROUTE_CA_ENV = "RHOAI_DOCTOR_ROUTE_CA"
S3_CA_ENV = "AWS_CA_BUNDLE"  # as the AWS CLI and boto3 read it
CONNECT_TO_ENV = "RHOAI_DOCTOR_CONNECT_TO"  # comma-separated, as `lab env` exports it


@dataclass(frozen=True)
class SessionOptions:
    connection: ConnectionOptions = field(default_factory=ConnectionOptions)
    model_token: str | None = field(default=None, repr=False)
    token_secret: str | None = None
    diff_against: str | None = None  # --diff-against: the console's details show what changed
    route_ca: str | None = None
    request: dict | None = None
    s3_ca: str | None = None  # CA bundle for data connections' S3 endpoints
    capture: str | None = None  # --from: a bundle or must-gather directory instead of a cluster
    token_from_kubeconfig: bool = False  # your login's token may go to a model (login_token.py)
    login_token_host: str | None = None  # ... and to this host outside the cluster's routes
    # The console diagnoses every deployment in the background (its marks); off, nothing is
    # probed (routes, tokens, buckets) until the user presses d on one.
    background_diagnosis: bool = True

    @property
    def insecure(self) -> bool:
        return self.connection.insecure_skip_tls_verify

    @property
    def http_timeout(self) -> float:
        return self.connection.request_timeout

    @classmethod
    def build(
        cls,
        connection: ConnectionOptions,
        *,
        model_token: str | None = None,
        token_secret: str | None = None,
        route_ca: str | None = None,
        request: dict | None = None,
        s3_ca: str | None = None,
        environ: Mapping[str, str] = os.environ,
    ) -> SessionOptions:
        """Routes are verified with --route-ca, else $RHOAI_DOCTOR_ROUTE_CA, else the API's CA;
        S3 endpoints with --s3-ca, else $AWS_CA_BUNDLE, else the system's CAs;
        --connect-to rules come from the flags, else $RHOAI_DOCTOR_CONNECT_TO."""
        if not connection.connect_to and environ.get(CONNECT_TO_ENV):
            rules = tuple(v for v in environ[CONNECT_TO_ENV].split(",") if v)
            connection = replace(connection, connect_to=rules)
        return cls(
            connection=connection,
            model_token=model_token,
            token_secret=token_secret,
            route_ca=route_ca
            or environ.get(ROUTE_CA_ENV)
            or connection.certificate_authority
            or None,
            request=request,
            s3_ca=s3_ca or environ.get(S3_CA_ENV) or None,
        )
