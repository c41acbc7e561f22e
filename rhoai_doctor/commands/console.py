"""The console (no sub-command) and `--demo` (lab up, the console on it, lab down on exit)."""

from __future__ import annotations

import argparse
import os
from dataclasses import replace
from typing import TYPE_CHECKING

from checks.errors import DoctorError, ErrorKind
from rhoai_doctor.flags import session_options

if TYPE_CHECKING:
    from textual.app import App

    from checks.options import SessionOptions


def console_app(options: SessionOptions) -> App:
    """Textual loads only here: headless commands never import it. Tests build the app through
    this too, from the argv a user types, so no option can be forgotten on the way (nor the
    collector's settings once the first frame is out)."""
    from rhoai_doctor.gc_pause import start_up_done
    from tui.app import RhoaiDoctorApp

    app = RhoaiDoctorApp(options)
    app.after_start_up = start_up_done  # after the first frame
    return app


def open_console(options: SessionOptions) -> int:
    app = console_app(options)
    app.run()
    return app.return_code or 0


def run(args: argparse.Namespace) -> int:
    return open_console(session_options(args))


def demo(args: argparse.Namespace) -> int:
    from lab import control

    state = control.state_for(args.state)
    ours = control.running_info(state) is None  # a lab the user started stays up
    try:
        print("starting the lab…", flush=True)
        info = control.up(state)
    except control.LabError as error:
        raise DoctorError(ErrorKind.CONNECT, str(error)) from error
    try:
        # The same environment `eval "$(rhoai-doctor lab env)"` gives a shell.
        os.environ.update(control.env_vars(info))
        options = session_options(args)
        options = replace(
            options, connection=replace(options.connection, kubeconfig=info["kubeconfig"])
        )
        return open_console(options)
    finally:
        if ours:
            control.down(state)
            print("lab stopped")
