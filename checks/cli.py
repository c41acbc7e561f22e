"""The `rhoai-doctor` command: headless sub-commands, the lab, and the console."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

EXIT_OK, EXIT_FAIL, EXIT_UNREACHABLE = 0, 1, 2


def add_connection_flags(parser: argparse.ArgumentParser, api_token_flag: str = "--token") -> None:
    """The kubectl/oc flags every cluster-facing command understands. Commands that call a
    model take --token for the model, so their API token flag is --api-token."""
    group = parser.add_argument_group("cluster connection (as kubectl / oc)")
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
        "--insecure-skip-tls-verify",
        action="store_true",
        help="do not verify TLS certificates (not recommended)",
    )
    group.add_argument(
        "--resolve",
        action="append",
        default=[],
        metavar="HOST:PORT:ADDR",
        help="connect to ADDR for HOST:PORT, as curl --resolve (repeatable)",
    )
    group.add_argument(
        "--connect-to",
        action="append",
        default=[],
        metavar="HOST1:PORT1:HOST2:PORT2",
        help="connect to HOST2:PORT2 for HOST1:PORT1, as curl --connect-to",
    )
    group.add_argument(
        "--request-timeout",
        type=float,
        default=10.0,
        metavar="SECONDS",
        help="timeout of each request (default 10)",
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


def connection_options(args: argparse.Namespace):
    from checks.connect import ConnectionOptions

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
    )


def _get_command(args: argparse.Namespace) -> int:
    from checks import connect
    from checks.get_command import KINDS, get, normalise_kind
    from checks.kube import KubeClient

    kind = normalise_kind(args.kind)
    if kind not in KINDS:
        print(f"error: unknown kind {args.kind!r}; one of: {', '.join(KINDS)}", file=sys.stderr)
        return EXIT_FAIL
    cluster = connect.resolve(connection_options(args))
    namespace = None if args.all_namespaces else cluster.namespace
    return get(lambda: KubeClient(cluster), kind, args.name, namespace, args.output)


def _inspect_command(args: argparse.Namespace) -> int:
    from checks.inspect_command import inspect

    return inspect(args, connection_options(args))


def _check_command(args: argparse.Namespace) -> int:
    from checks.check_command import check

    return check(args, connection_options(args))


def _infer_command(args: argparse.Namespace) -> int:
    from checks.infer_command import infer

    return infer(args, connection_options(args))


def _lab_command(args: argparse.Namespace) -> int:
    from lab import control

    state = control.state_for(args.state)
    try:
        if args.action == "up":
            info = control.up(state, args.latency_ms)
            print("\n".join(control.describe(info)))
        elif args.action == "down":
            stopped = control.down(state)
            print("lab stopped" if stopped else "no lab was running")
        elif args.action == "status":
            info = control.running_info(state)
            if info is None:
                print(f"no lab running (state dir {state.root})")
                return EXIT_FAIL
            print("\n".join(control.describe(info)))
        else:  # env
            info = control.running_info(state)
            if info is None:
                print(
                    f"rhoai-doctor: no lab running (state dir {state.root}); "
                    "start one with `rhoai-doctor lab up`",
                    file=sys.stderr,
                )
                return EXIT_FAIL
            print("\n".join(control.env_lines(info)))
    except control.LabError as error:
        print(f"rhoai-doctor: {error}", file=sys.stderr)
        return EXIT_UNREACHABLE
    return EXIT_OK


def _console(options) -> int:
    """Open the Textual console (imported only here: headless commands never load it)."""
    import importlib
    import os

    app_module = importlib.import_module("tui.app")
    app = app_module.RhoaiDoctorApp(options)
    app.run(headless=bool(os.environ.get("RHOAI_DOCTOR_EXIT_WHEN_LOADED")))
    return EXIT_OK


def _demo(args: argparse.Namespace) -> int:
    """Lab up, the console on it, lab down on exit."""
    import os
    from dataclasses import replace

    from lab import control

    state = control.state_for(args.state)
    ours = control.running_info(state) is None  # a lab the user started stays up
    try:
        print("starting the lab…", flush=True)
        info = control.up(state)
    except control.LabError as error:
        print(f"rhoai-doctor: {error}", file=sys.stderr)
        return EXIT_UNREACHABLE
    try:
        os.environ.update(control.env_vars(info))
        options = replace(
            connection_options(args),
            kubeconfig=info["kubeconfig"],
            connect_to=(control.connect_to(info),),
        )
        return _console(options)
    finally:
        if ours:
            control.down(state)
            print("lab stopped")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="rhoai-doctor",
        description="Why is my model deployment on OpenShift AI broken? Browse, diagnose, test.",
    )
    parser.add_argument(
        "--demo", action="store_true", help="start the local lab and open the console on it"
    )
    parser.add_argument("--state", help="lab state directory (default: per-user)")
    add_connection_flags(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    get = sub.add_parser("get", help="list projects, connections, servers, deployments, ...")
    get.add_argument(
        "kind", help="projects|connections|servers|deployments|events|secrets|pods|routes"
    )
    get.add_argument("name", nargs="?")
    get.add_argument("-o", "--output", choices=["table", "wide", "json", "yaml"], default="table")
    add_connection_flags(get)

    inspect = sub.add_parser("inspect", help="print an ONNX model's signature (file or s3://)")
    inspect.add_argument("model", help="a local path or s3://bucket/key")
    inspect.add_argument("--connection", help="data connection to read s3:// with")
    inspect.add_argument("-o", "--output", choices=["table", "json"], default="table")
    add_connection_flags(inspect)

    check = sub.add_parser("check", help="diagnose a deployment: verdict, evidence, fix")
    check.add_argument("deployment", nargs="?", help="the InferenceService name")
    check.add_argument("--all", action="store_true", help="every deployment in the project(s)")
    add_model_token_flags(check)
    check.add_argument("--request", metavar="FILE.json", help="a v2 request to validate")
    check.add_argument(
        "-o", "--output", choices=["table", "json", "markdown", "junit"], default="table"
    )
    add_connection_flags(check, api_token_flag="--api-token")

    infer = sub.add_parser("infer", help="send a test inference built from the model itself")
    infer.add_argument("deployment", help="the InferenceService name")
    body = infer.add_mutually_exclusive_group()
    body.add_argument(
        "--data", metavar="JSON", help="values for a one-input model, e.g. '[3,4,3,2]'"
    )
    body.add_argument("--request", metavar="FILE.json", help="send this v2 request")
    body.add_argument("--example", action="store_true", help="print the prefilled request")
    add_model_token_flags(infer)
    infer.add_argument(
        "--compare-local",
        action="store_true",
        help="run the same input through onnxruntime and compare",
    )
    infer.add_argument("--curl", action="store_true", help="print the request as a curl command")
    infer.add_argument(
        "--show-token",
        action="store_true",
        help="with --curl: write the token itself instead of $TOKEN",
    )
    infer.add_argument("--force", action="store_true", help="send even if validation fails")
    infer.add_argument("--repeat", type=int, default=1, metavar="N", help="send N requests")
    infer.add_argument(
        "--concurrency",
        type=int,
        default=1,
        metavar="C",
        help="with --repeat: C requests at a time",
    )
    infer.add_argument("-o", "--output", choices=["table", "json"], default="table")
    add_connection_flags(infer, api_token_flag="--api-token")

    lab = sub.add_parser("lab", help="a local RHOAI look-alike to try rhoai-doctor on")
    lab.add_argument("action", choices=["up", "down", "status", "env"])
    lab.add_argument("--state", help="lab state directory (default: per-user)")
    lab.add_argument(
        "--latency-ms",
        type=int,
        default=0,
        help="inject this much latency into every API request (benchmarks)",
    )
    return parser


COMMANDS = {
    "get": _get_command,
    "inspect": _inspect_command,
    "check": _check_command,
    "infer": _infer_command,
    "lab": _lab_command,
}


def main(argv: Sequence[str] | None = None) -> int:
    from checks.errors import DoctorError

    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command in COMMANDS:
            return COMMANDS[args.command](args)
        if args.demo:
            return _demo(args)
        return _console(connection_options(args))
    except DoctorError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_UNREACHABLE
    except KeyboardInterrupt:
        return 130


def entry_point() -> None:
    sys.exit(main())


if __name__ == "__main__":
    entry_point()
