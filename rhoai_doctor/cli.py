"""The `rhoai-doctor` command: the console by default, headless sub-commands, the lab."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from checks.errors import DoctorError, ExitCode
from checks.text import visible
from rhoai_doctor import exit_codes
from rhoai_doctor.flags import add_connection_flags
from rhoai_doctor.gc_pause import pause, start_up_done
from rhoai_doctor.process_exit import exit_process

DESCRIPTION = """Why is my model deployment on OpenShift AI broken? Browse, diagnose, test.

With no COMMAND, rhoai-doctor opens the console on the cluster your kubeconfig points at
(or --demo: on a local lab it starts and stops for you)."""

EXIT_CODES = (
    exit_codes.help_text()
    + """

examples:
  rhoai-doctor --demo
  rhoai-doctor -n iris-project
  rhoai-doctor check -n iris-project iris-model
  rhoai-doctor infer -n iris-project iris-model --compare-local
"""
)


class _Version(argparse._VersionAction):
    """--version, looked up only when asked for (importlib.metadata is not on every start)."""

    def __call__(self, parser, namespace, values, option_string=None) -> None:  # type: ignore[no-untyped-def]
        import rhoai_doctor

        self.version = f"rhoai-doctor {rhoai_doctor.__version__}"
        super().__call__(parser, namespace, values, option_string)


COMMAND_NAMES = ("get", "inspect", "check", "infer", "lab", "bundle", "diff")


def wanted_commands(argv: Sequence[str] | None) -> set[str]:
    """The sub-commands whose parsers `argv` may need: those it names (a name that is an
    option's value only costs its parser), or all of them for help or when it names none
    (the console, or a mistyped command that argparse then lists the choices for)."""
    tokens = list(argv) if argv is not None else []
    named = {token for token in tokens if token in COMMAND_NAMES}
    if argv is None or not named or {"-h", "--help"} & set(tokens):
        return set(COMMAND_NAMES)
    return named


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The whole command line; with `argv`, only the sub-commands it names are built (each
    costs argparse a few milliseconds of a start that kubectl makes in a hundred)."""
    wanted = wanted_commands(argv)
    parser = argparse.ArgumentParser(
        prog="rhoai-doctor",
        description=DESCRIPTION,
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action=_Version)
    parser.add_argument(
        "--demo", action="store_true", help="start the local lab and open the console on it"
    )
    parser.add_argument("--state", help="lab state directory (default: per-user)")
    parser.add_argument(
        "--diff-against",
        metavar="CAPTURE",
        help="console: show in a deployment's details what changed since this capture",
    )
    parser.add_argument(
        "--no-background-diagnosis",
        action="store_true",
        help="console: do not diagnose every deployment in the background (no route, token or "
        "bucket is probed until you press d on one; the marks then wait as `…`)",
    )
    add_connection_flags(parser, top_level=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    # Each command's module loads only when its parser is wanted: `get` does not pay for the
    # sweep, the progress line or the request composer's flags. (__import__, not importlib:
    # -X importtime, which tests/cli/test_startup_imports.py reads, logs only the former.)
    for name in COMMAND_NAMES:
        if name in wanted:
            __import__(f"rhoai_doctor.commands.{name}", fromlist=["add_parser"]).add_parser(sub)
    return parser


def parse(parser: argparse.ArgumentParser, argv: Sequence[str] | None) -> argparse.Namespace:
    """As parse_args, and `get isvc -n PROJECT NAME` works as in kubectl: argparse leaves a
    positional that follows an option over; a command naming `late_positional` takes it."""
    args, extra = parser.parse_known_args(argv)
    late = getattr(args, "late_positional", None)
    if late and len(extra) == 1 and not extra[0].startswith("-") and getattr(args, late) is None:
        setattr(args, late, extra.pop())
    if extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse(build_parser(sys.argv[1:] if argv is None else argv), argv)
    try:
        if args.command:
            start_up_done()
            return int(args.run(args))
        from rhoai_doctor.commands import console

        if args.demo:
            return console.demo(args)
        return console.run(args)
    except DoctorError as error:
        print(f"error: {visible(str(error))}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        return ExitCode.INTERRUPTED
    except BrokenPipeError:  # `rhoai-doctor get … | head`: the reader has what it wanted
        sys.stderr.close()
        return ExitCode.OK
    except Exception as error:  # a bug of ours: one line, never a traceback with locals
        if os.environ.get("RHOAI_DOCTOR_DEBUG"):
            raise
        print(
            f"error: internal error ({type(error).__name__}: {error}); "
            "set RHOAI_DOCTOR_DEBUG=1 to see where, and please report it",
            file=sys.stderr,
        )
        return ExitCode.CANNOT_JUDGE


def entry_point() -> None:
    pause()  # until start_up_done()
    exit_process(main())
