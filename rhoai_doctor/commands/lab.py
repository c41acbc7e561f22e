"""`rhoai-doctor lab up|down|status|env`: the local RHOAI look-alike to try rhoai-doctor on."""

from __future__ import annotations

import argparse
import shlex
import sys

from checks.errors import DoctorError, ErrorKind, ExitCode
from rhoai_doctor import exit_codes

EXAMPLES = """examples:
  rhoai-doctor lab up
  eval "$(rhoai-doctor lab env)"
  rhoai-doctor check -n iris-project --all
  rhoai-doctor lab down
"""


def add_parser(sub: argparse._SubParsersAction) -> None:
    lab = sub.add_parser(
        "lab",
        help="a local RHOAI look-alike to try rhoai-doctor on",
        epilog=f"{EXAMPLES}\n{exit_codes.SHORT}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    lab.add_argument("action", choices=["up", "down", "status", "env"])
    lab.add_argument("--state", help="lab state directory (default: per-user)")
    lab.add_argument(
        "--latency-ms",
        type=int,
        default=0,
        help="inject this much latency into every API request (benchmarks)",
    )
    lab.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from lab import control  # the lab's dependencies load only for this command

    state = control.state_for(args.state)
    try:
        if args.action == "up":
            already = control.running_info(state) is not None
            info = control.up(state, args.latency_ms)
            if already:
                print(f"the lab is already running (state dir {state.root})")
            print("\n".join(control.describe(info)))
            where = f" --state {shlex.quote(str(args.state))}" if args.state else ""
            print(f'\nnext: eval "$(rhoai-doctor lab env{where})" and run rhoai-doctor')
        elif args.action == "down":
            stopped = control.down(state)
            print("lab stopped" if stopped else "no lab was running")
        elif args.action == "status":
            running = control.running_info(state)
            if running is None:
                print(f"no lab running (state dir {state.root})")
                return ExitCode.FAILED
            print("\n".join(control.describe(running)))
        else:  # env
            running = control.running_info(state)
            if running is None:
                print(
                    f"rhoai-doctor: no lab running (state dir {state.root}); "
                    "start one with `rhoai-doctor lab up`",
                    file=sys.stderr,
                )
                return ExitCode.FAILED
            print("\n".join(control.env_lines(running)))
    except control.LabError as error:
        raise DoctorError(ErrorKind.CONNECT, str(error)) from error
    return ExitCode.OK
