"""The console's background `check --all -A`, in a process of its own: the same sweep
(checks.sweep) with the console's own options, each verdict one JSON line on stdout as it lands.
Its CPU (TLS handshakes, S3 clients, parsing) never competes with the keys for the console's
event loop, and it runs on the other core. The console keeps it from one sweep to the next
(a deployment changing is a sweep), so only the first loads the code (~0.5 s of CPU); it ends
when the console closes its stdin, at once, even in the middle of a sweep.

Protocol: each stdin line is the pickled (options, namespaces, first_look) in base64, one sweep;
out come `{"key": "ns/name", "verdict", "cause", "final"}` per report, `{"error", "final"}` when
a phase could not finish, and `{"done": true}` when that sweep is over."""

from __future__ import annotations

import asyncio
import atexit
import base64
import json
import os
import pickle
import queue
import sys
import threading
from typing import Any

from checks.errors import DoctorError
from checks.options import SessionOptions
from checks.sweep import SweepLimits, diagnosed, first_look_checks, sweep

AT_ONCE = 8  # diagnoses in flight
NICE = 10  # the sweep's CPU priority below the console's


def encode(options: SessionOptions, namespaces: list[str], first: bool) -> bytes:
    """The child's first stdin line (the options stay off the command line: they hold tokens)."""
    return base64.b64encode(pickle.dumps((options, namespaces, first))) + b"\n"


_protocol = sys.stdout  # main() gives the protocol an fd of its own


def _say(line: dict[str, Any]) -> None:
    _protocol.write(json.dumps(line) + "\n")
    _protocol.flush()


def _keep_stdout_for_the_protocol() -> None:
    """The verdicts get a private copy of stdout; fd 1 itself then points at stderr, so a
    library or a user's sitecustomize that prints cannot break a verdict's line."""
    global _protocol
    _protocol = os.fdopen(os.dup(1), "w", encoding="ascii")
    os.dup2(2, 1)
    sys.stdout = sys.stderr


async def _run(options: SessionOptions, namespaces: list[str], first: bool) -> None:
    from checks.capture.session import session_for

    async with session_for(options, on_warning=lambda _: None) as session:
        phases = [(first_look_checks(), False)] if first else []
        for checks, final in [*phases, (None, True)]:

            def landed(report: Any, final: bool = final) -> None:
                d = diagnosed(report, final)
                key = f"{report.target['namespace']}/{report.target['name']}"
                _say({"key": key, "verdict": d.verdict, "cause": d.cause, "final": final})

            try:
                await sweep(
                    session,
                    namespaces,
                    limits=SweepLimits(projects=AT_ONCE, deployments=AT_ONCE),
                    checks=checks,
                    on_landed=landed,
                )
            except DoctorError as error:
                _say({"error": str(error), "final": final})
    _say({"done": True})


def _requests() -> queue.Queue[bytes]:
    """stdin's lines, read in a thread of their own: the console going away (closing the pipe,
    or dying) ends this process at once, in the middle of a sweep too."""
    lines: queue.Queue[bytes] = queue.Queue()

    def read() -> None:
        for line in sys.stdin.buffer:
            lines.put(line)
        # what an exit runs (its private CA files removed: checks/storage/s3_trust.py), then
        # out without waiting for the sweep in flight
        atexit._run_exitfuncs()
        os._exit(0)

    threading.Thread(target=read, daemon=True).start()
    return lines


def main() -> None:
    _keep_stdout_for_the_protocol()
    try:
        os.nice(NICE)  # a background job: the console (and the user's other work) come first
    except OSError:
        pass
    requests = _requests()
    while True:  # one sweep per line, each in a fresh session (its own connections)
        options, namespaces, first = pickle.loads(base64.b64decode(requests.get()))
        asyncio.run(_run(options, namespaces, first))


if __name__ == "__main__":
    main()
