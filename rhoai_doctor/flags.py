"""The kubectl/oc flags every cluster-facing command understands, turned into one SessionOptions.

Building the parser imports nothing but argparse (every command's flags are built on every
start); what turns flags into a session loads when a command runs."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from checks.cluster.connect import ConnectionOptions
    from checks.options import SessionOptions
    from checks.session import Session


def add_connection_flags(
    parser: argparse.ArgumentParser, api_token_flag: str = "--token", *, top_level: bool = False
) -> None:
    """Commands that call a model take --token for the model, so their API token flag is
    --api-token. The flags stand before or after the sub-command: a sub-command's parser
    sets no defaults of its own (SUPPRESS), so `rhoai-doctor --kubeconfig X get …` is not
    silently read with the default kubeconfig; the top-level parser holds the defaults."""
    suppress = {} if top_level else {"argument_default": argparse.SUPPRESS}
    group = parser.add_argument_group("cluster connection (as kubectl / oc)", **suppress)

    def default(value: object) -> dict[str, Any]:
        return {"default": value} if top_level else {}

    group.add_argument(
        "--kubeconfig", help="kubeconfig file (default: $KUBECONFIG, ~/.kube/config)"
    )
    group.add_argument("--context", help="kubeconfig context to use")
    group.add_argument("-n", "--namespace", help="project (default: the context's namespace)")
    group.add_argument(
        "-A", "--all-namespaces", action="store_true", help="across all projects you can see"
    )
    group.add_argument("--server", help="API server URL, overriding the kubeconfig")
    group.add_argument(
        api_token_flag, dest="token", help="API server bearer token, overriding the kubeconfig"
    )
    group.add_argument(
        "--certificate-authority", metavar="FILE", help="CA bundle for the API server and routes"
    )
    group.add_argument(
        "--route-ca",
        metavar="FILE",
        help="CA bundle for model routes only (default: $RHOAI_DOCTOR_ROUTE_CA, "
        "else --certificate-authority)",
    )
    group.add_argument(
        "--s3-ca",
        metavar="FILE",
        help="CA bundle for the S3 endpoints of data connections (default: $AWS_CA_BUNDLE)",
    )
    group.add_argument(
        "--insecure-skip-tls-verify",
        action="store_true",
        help="do not verify TLS certificates (not recommended)",
    )
    group.add_argument(
        "--resolve",
        action="append",
        **default([]),
        metavar="HOST:PORT:ADDR",
        help="connect to ADDR for HOST:PORT, as curl --resolve (repeatable)",
    )
    group.add_argument(
        "--connect-to",
        action="append",
        **default([]),
        metavar="HOST1:PORT1:HOST2:PORT2",
        help="connect to HOST2:PORT2 for HOST1:PORT1, as curl --connect-to "
        "(default: $RHOAI_DOCTOR_CONNECT_TO)",
    )
    group.add_argument(
        "--request-timeout",
        type=seconds,
        **default(10.0),
        metavar="SECONDS",
        help="timeout of each request (default 10)",
    )
    parser.set_defaults(token_flag=api_token_flag)  # a sub-command's spelling wins
    add_capture_flag(parser)


def add_capture_flag(parser: argparse.ArgumentParser) -> None:
    """--from BUNDLE, before or after the sub-command (SUPPRESS: a sub-command's default does
    not blank the one given before it)."""
    parser.add_argument(
        "--from",
        dest="capture",
        metavar="BUNDLE",
        default=argparse.SUPPRESS,
        help="read a capture (an rhoai-doctor bundle, or an `oc adm must-gather` directory) "
        "instead of a cluster",
    )


def add_model_token_flags(parser: argparse.ArgumentParser) -> None:
    """The token sent to the model's route (not the API server's token: that is --api-token)."""
    parser.add_argument(
        "--token",
        dest="model_token",
        metavar="TOKEN",
        help="token to call the model with (default: its token secret)",
    )
    parser.add_argument("--token-secret", metavar="NAME", help="token secret to use instead")


def add_login_token_flags(parser: argparse.ArgumentParser) -> None:
    """Your login's token goes to a model only when asked (checks/engine/login_token.py)."""
    parser.add_argument(
        "--token-from-kubeconfig",
        action="store_true",
        help="when the model has no token of its own, send your login's token (never over "
        "plain HTTP; only to the host of the deployment's admitted Route)",
    )
    parser.add_argument(
        "--send-login-token-to",
        dest="login_token_host",
        metavar="HOST",
        help="with --token-from-kubeconfig: also send it to HOST, which is not an admitted "
        "Route of the deployment (you vouch for that host)",
    )


def connection_options(args: argparse.Namespace) -> ConnectionOptions:
    from checks.cluster.connect import ConnectionOptions

    return ConnectionOptions(
        kubeconfig=args.kubeconfig,
        context=args.context,
        namespace=args.namespace,
        all_namespaces=args.all_namespaces,
        server=args.server,
        token=args.token,
        certificate_authority=args.certificate_authority,
        insecure_skip_tls_verify=args.insecure_skip_tls_verify,
        resolve=tuple(args.resolve),
        connect_to=tuple(args.connect_to),
        request_timeout=args.request_timeout,
        token_flag=getattr(args, "token_flag", "--token"),
    )


def read_request_file(path: str) -> dict:
    """A v2 request from a file: unreadable or not JSON is a usage error in one line."""
    import json
    from pathlib import Path

    from checks.errors import DoctorError, ErrorKind

    try:
        body = json.loads(Path(path).read_text())
    except OSError as error:
        raise DoctorError(ErrorKind.USAGE, f"cannot read {path}: {error.strerror}") from error
    except ValueError as error:
        raise DoctorError(ErrorKind.USAGE, f"{path} is not JSON: {error}") from error
    if not isinstance(body, dict):
        raise DoctorError(ErrorKind.USAGE, f"{path} must hold a JSON object (a v2 request)")
    return body


def session_options(args: argparse.Namespace, *, request: dict | None = None) -> SessionOptions:
    """Flags + environment, once, for every request the command (or the console) makes; a
    local input that cannot work (a CA file that is not there, a token no header can carry, a
    --resolve that does not parse) is a one-line error before anything is dialled."""
    from dataclasses import replace

    from checks.options import SessionOptions

    options = SessionOptions.build(
        connection_options(args),
        model_token=getattr(args, "model_token", None),
        token_secret=getattr(args, "token_secret", None),
        route_ca=args.route_ca,
        request=request,
        s3_ca=getattr(args, "s3_ca", None),
    )
    options = replace(
        options,
        diff_against=getattr(args, "diff_against", None),
        token_from_kubeconfig=getattr(args, "token_from_kubeconfig", False),
        login_token_host=getattr(args, "login_token_host", None),
        background_diagnosis=not getattr(args, "no_background_diagnosis", False),
    )
    check_local_inputs(options, args)
    if getattr(args, "capture", None):
        options = replace(options, capture=args.capture)
    return options


def check_local_inputs(options: SessionOptions, args: argparse.Namespace) -> None:
    from checks.cluster.local_input import API_CA_FIX, check_ca_file, check_token
    from checks.options import ROUTE_CA_ENV, S3_CA_ENV
    from checks.transport.addressing import overrides

    connection = options.connection
    overrides(connection.resolve, connection.connect_to)
    # A command that dials only the API server (`get`, not `get --diagnose`) checks the route CA
    # file holds PEM certificates without loading it into ssl (it never verifies with it).
    load = not getattr(args, "dials_only_the_api", False) or getattr(args, "diagnose", False)
    if options.login_token_host and not options.token_from_kubeconfig:
        from checks.errors import DoctorError, ErrorKind

        raise DoctorError(
            ErrorKind.USAGE, "--send-login-token-to needs --token-from-kubeconfig as well"
        )
    if options.model_token:
        check_token(options.model_token, "--token", "copy the model's token again")
    if options.s3_ca:
        where = (
            f"--s3-ca {options.s3_ca}"
            if getattr(args, "s3_ca", None)
            else f"${S3_CA_ENV} {options.s3_ca}"
        )
        # Only its PEM form: boto3 loads the file itself when it dials S3, so an ssl context of
        # ours would be thrown away (~50 ms for a system bundle, which $AWS_CA_BUNDLE often is).
        check_ca_file(
            options.s3_ca,
            where,
            "give the PEM CA bundle that signed the S3 endpoint's certificate",
            load=False,
        )
    if options.insecure:
        return  # no certificate is verified: the CA files are not used
    if connection.certificate_authority:
        check_ca_file(
            connection.certificate_authority,
            f"--certificate-authority {connection.certificate_authority}",
            API_CA_FIX,
        )
    if options.route_ca and options.route_ca != connection.certificate_authority:
        where = (
            f"--route-ca {options.route_ca}"
            if args.route_ca
            else f"${ROUTE_CA_ENV} {options.route_ca}"
        )
        check_ca_file(
            options.route_ca,
            where,
            "give the PEM CA bundle that signed the model routes' certificates (the router's CA)",
            load=load,
        )


def warn(line: str) -> None:
    print(line, file=sys.stderr)


def open_session(args: argparse.Namespace, *, request: dict | None = None) -> Session:
    """The session a command uses (a capture's with --from); warnings (TLS not verified) go to
    stderr, once. The capture machinery loads only for --from."""
    options = session_options(args, request=request)
    if options.capture:
        from checks.capture.session import session_for

        return session_for(options, on_warning=warn)
    from checks.session import Session

    return Session(options, on_warning=warn)


def seconds(text: str) -> float:
    """--request-timeout: a number of seconds above zero, not nan or inf."""
    import math

    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"{text!r}: give a number of seconds above 0")
    return value
