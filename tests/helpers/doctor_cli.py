"""`python -m rhoai_doctor ARGS` for a test, answered like `subprocess.run(capture_output=True)`.

Each run is a fresh process forked from a parent that imported the CLI once
(tests/helpers/cli_zygote.py says why and how): same argv, environment, working directory,
stdin, exit code, stdout and stderr as a process started from scratch, without paying the
imports ~700 times. One parent per interpreter start-up (the PYTHON* variables and the
locale decide it), so a test that changes those still gets an interpreter started with them.
RHOAI_DOCTOR_TESTS_SPAWN=1 starts every run from scratch instead (to compare).
"""

from __future__ import annotations

import atexit
import json
import locale
import os
import selectors
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
START_UP_WAIT_S = 60  # a loaded machine imports slowly; a parent that never listens is an error
_parents: dict[tuple, tuple[subprocess.Popen, str]] = {}
_starting = threading.Lock()  # the fault matrix runs cells from threads


def run_doctor(
    args: list[str] | tuple[str, ...],
    *,
    env: dict[str, str] | None = None,
    cwd: str | os.PathLike | None = None,
    input: str | bytes | None = None,
    timeout: float | None = None,
    text: bool = True,
    address_space: int | None = None,
) -> subprocess.CompletedProcess:
    """Run the CLI with `args`; raises subprocess.TimeoutExpired (the run killed) as
    subprocess.run does. `address_space` caps the process's memory (RLIMIT_AS, bytes), as a
    hostile-input test's bound."""
    environ = dict(os.environ if env is None else env)
    directory = str(cwd if cwd is not None else os.getcwd())
    argv = [sys.executable, "-m", "rhoai_doctor", *args]
    if os.environ.get("RHOAI_DOCTOR_TESTS_SPAWN") == "1":
        return subprocess.run(
            argv,
            capture_output=True,
            text=text,
            timeout=timeout,
            cwd=directory,
            env=environ,
            input=input,
            preexec_fn=None if address_space is None else lambda: _cap(address_space),
        )
    path = _parent_for(environ)
    raw_input = input.encode() if isinstance(input, str) else input
    request = {"argv": list(args), "env": environ, "cwd": directory, "address_space": address_space}
    out, err, code = _forked(path, request, raw_input, timeout, argv)
    if not text:
        return subprocess.CompletedProcess(argv, code, out, err)
    return subprocess.CompletedProcess(argv, code, _as_text(out), _as_text(err))


def _cap(address_space: int) -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (address_space, address_space))


def _as_text(data: bytes) -> str:
    """As subprocess's text mode reads a pipe: the locale's encoding, universal newlines."""
    decoded = data.decode(locale.getpreferredencoding(False))
    return decoded.replace("\r\n", "\n").replace("\r", "\n")


def _start_up_of(environ: dict[str, str]) -> tuple:
    """What an interpreter reads as it starts, and a fork would not read again."""
    return tuple(
        sorted((k, v) for k, v in environ.items() if k.startswith(("PYTHON", "LC_")) or k == "LANG")
    )


def _parent_for(environ: dict[str, str]) -> str:
    with _starting:
        return _started_for(environ)


def _started_for(environ: dict[str, str]) -> str:
    key = _start_up_of(environ)
    known = _parents.get(key)
    if known is not None and known[0].poll() is None:
        return known[1]
    if known is not None:  # it died: its folder goes with it
        shutil.rmtree(os.path.dirname(known[1]), ignore_errors=True)
    folder = tempfile.mkdtemp(prefix="doctor-zygote-")
    path = os.path.join(folder, "socket")
    parent = subprocess.Popen(
        [sys.executable, "-m", "tests.helpers.cli_zygote", path],
        cwd=ROOT,
        env=environ,
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + START_UP_WAIT_S
    while not os.path.exists(path):
        if parent.poll() is not None or time.monotonic() > deadline:
            parent.kill()
            raise RuntimeError("the CLI's test parent (tests/helpers/cli_zygote.py) did not start")
        time.sleep(0.02)
    _parents[key] = (parent, path)
    return path


@atexit.register
def _stop_parents() -> None:
    """Each test parent ended, and its socket's folder removed (they piled up in /tmp)."""
    for parent, path in _parents.values():
        if parent.stdin is not None:
            parent.stdin.close()  # it exits when its stdin closes
        try:
            parent.wait(5)
        except subprocess.TimeoutExpired:
            parent.kill()
        shutil.rmtree(os.path.dirname(path), ignore_errors=True)


def _forked(
    path: str,
    request: dict,
    stdin_data: bytes | None,
    timeout: float | None,
    argv: list[str],
) -> tuple[bytes, bytes, int]:
    deadline = None if timeout is None else time.monotonic() + timeout
    in_read, in_write = (
        os.pipe() if stdin_data is not None else (os.open(os.devnull, os.O_RDONLY), -1)
    )
    out_read, out_write = os.pipe()
    err_read, err_write = os.pipe()
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        conn.connect(path)
        body = json.dumps(request).encode()
        message = len(body).to_bytes(8, "big") + body
        sent = socket.send_fds(conn, [message], [in_read, out_write, err_write])
        conn.sendall(message[sent:])
    finally:
        for fd in (in_read, out_write, err_write):
            os.close(fd)
    answers = conn.makefile("rb")
    pid = int(answers.readline().split()[1])
    try:
        out, err = _collect(out_read, err_read, in_write, stdin_data, deadline)
    except subprocess.TimeoutExpired as late:
        os.kill(pid, signal.SIGKILL)
        answers.readline()
        conn.close()
        raise subprocess.TimeoutExpired(argv, timeout or 0, late.output, late.stderr) from None
    code = int(answers.readline().split()[1])
    conn.close()
    return out, err, code


def _collect(
    out_read: int, err_read: int, in_write: int, data: bytes | None, deadline: float | None
) -> tuple[bytes, bytes]:
    """Both outputs to their end, feeding stdin as the child reads it (as communicate does)."""
    chunks: dict[int, list[bytes]] = {out_read: [], err_read: []}
    selector = selectors.DefaultSelector()
    for fd in chunks:
        selector.register(fd, selectors.EVENT_READ)
    pending = memoryview(data or b"")
    if in_write >= 0:
        os.set_blocking(in_write, False)
        if pending:
            selector.register(in_write, selectors.EVENT_WRITE)
        else:
            os.close(in_write)
    try:
        while len(selector.get_map()) > 0:
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                raise subprocess.TimeoutExpired(
                    [], 0, b"".join(chunks[out_read]), b"".join(chunks[err_read])
                )
            for key, _ in selector.select(left):
                fd = key.fd
                if fd == in_write:
                    try:
                        pending = pending[os.write(fd, pending[:65536]) :]
                    except BrokenPipeError:
                        pending = pending[:0]
                    if not pending:
                        selector.unregister(fd)
                        os.close(fd)
                    continue
                chunk = os.read(fd, 65536)
                if chunk:
                    chunks[fd].append(chunk)
                else:
                    selector.unregister(fd)
                    os.close(fd)
    finally:
        for key in list(selector.get_map().values()):
            os.close(key.fd)
        selector.close()
    return b"".join(chunks[out_read]), b"".join(chunks[err_read])
