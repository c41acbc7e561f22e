"""The `rhoai-doctor` command: headless sub-commands, the lab, and the console."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

EXIT_OK, EXIT_FAIL, EXIT_UNREACHABLE = 0, 1, 2


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
                print(f"rhoai-doctor: no lab running (state dir {state.root}); "
                      "start one with `rhoai-doctor lab up`", file=sys.stderr)
                return EXIT_FAIL
            print("\n".join(control.env_lines(info)))
    except control.LabError as error:
        print(f"rhoai-doctor: {error}", file=sys.stderr)
        return EXIT_UNREACHABLE
    return EXIT_OK


def _demo(args: argparse.Namespace) -> int:
    """Lab up, then (until the console exists) show how to use it, lab down on exit."""
    from lab import control

    state = control.state_for(args.state)
    try:
        info = control.up(state)
    except control.LabError as error:
        print(f"rhoai-doctor: {error}", file=sys.stderr)
        return EXIT_UNREACHABLE
    try:
        print("\n".join(control.describe(info)))
        print("\nIn another shell:  eval \"$(.venv/bin/rhoai-doctor lab env)\"  then use kubectl "
              "or rhoai-doctor on the lab.\nPress Enter (or Ctrl-C) to stop the lab.")
        try:
            input()
        except (EOFError, KeyboardInterrupt):
            pass
    finally:
        control.down(state)
        print("lab stopped")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="rhoai-doctor",
        description="Why is my model deployment on OpenShift AI broken? Browse, diagnose, test.")
    parser.add_argument("--demo", action="store_true",
                        help="start the local lab and open the console on it")
    parser.add_argument("--state", help="lab state directory (default: per-user)")
    sub = parser.add_subparsers(dest="command")
    lab = sub.add_parser("lab", help="a local RHOAI look-alike to try rhoai-doctor on")
    lab.add_argument("action", choices=["up", "down", "status", "env"])
    lab.add_argument("--state", help="lab state directory (default: per-user)")
    lab.add_argument("--latency-ms", type=int, default=0,
                     help="inject this much latency into every API request (benchmarks)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "lab":
            return _lab_command(args)
        if args.demo:
            return _demo(args)
        parser.print_help()
        return EXIT_OK
    except KeyboardInterrupt:
        return 130


def entry_point() -> None:
    sys.exit(main())


if __name__ == "__main__":
    entry_point()
