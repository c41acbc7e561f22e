"""A parent that has imported the CLI once and forks a fresh `python -m rhoai_doctor` per test.

The suite runs the CLI ~700 times; each process spent 0.2-0.3 s of CPU importing the same
modules before doing anything a test looks at, on a 2-core machine. Here they are imported
once, and each run is a fork of this process: its own pid, argv, environment, working
directory and stdin/stdout/stderr (the test's pipes, passed over a Unix socket), running
`rhoai_doctor.__main__` as `python -m` does and exiting through the interpreter's own exit
(atexit, thread joins, flushes). The client is tests/helpers/doctor_cli.py.

What a fork cannot give is a different interpreter start-up (PYTHON* variables, the locale,
-X flags): the client keeps one parent per such start-up and tests/cli/test_startup_imports.py
still starts real processes, as do the pty tours and `bench`.

Protocol, one connection per run: the client sends 8 bytes of length, then that many bytes of
JSON {argv, env, cwd, address_space}, with the child's three fds attached (SCM_RIGHTS) to the first bytes;
this answers `pid N\\n` at once and `exit CODE\\n` when the child is reaped (CODE as
subprocess reports it: negative for a signal).
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import json
import os
import pkgutil
import resource
import runpy
import selectors
import signal
import socket
import sys

PRELOAD = (  # the libraries the commands import on their way to work (our own: below)
    "boto3",
    "botocore.session",
    "httpx",
    "yaml",
    # Imported after the fork by at least 20 of the 516 runs of tests/cli (each child's
    # sys.modules at exit against the parent's): httpx's transport, what botocore parses S3's
    # XML with, what datetime.strptime and idna hosts load on first use.
    "httpcore",
    "anyio._backends._asyncio",
    "encodings.idna",
    "statistics",
    "_strptime",
    "difflib",
    "xml.sax.saxutils",
    "importlib.resources.readers",
)
PRELOADED_PACKAGES = ("checks", "rhoai_doctor")  # every module: the CLI reaches them all


def _preload() -> None:
    for name in PRELOAD:
        with contextlib.suppress(ImportError):
            importlib.import_module(name)
    for package in PRELOADED_PACKAGES:
        root = importlib.import_module(package)
        for module in pkgutil.walk_packages(root.__path__, f"{package}."):
            if not module.name.endswith(".__main__"):  # that one runs the program
                importlib.import_module(module.name)
    with contextlib.suppress(ImportError):  # S3's service model: every run reading S3 loads it
        from checks.storage.s3_boto import warm

        warm()
    gc.freeze()  # what is imported stays shared with the children, not copied on their GC


def _read_request(conn: socket.socket) -> tuple[dict, list[int]]:
    data, fds, _flags, _addr = socket.recv_fds(conn, 1 << 16, 3)
    if len(data) < 8:
        raise ConnectionError("short request")
    size = int.from_bytes(data[:8], "big")
    body = bytearray(data[8:])
    while len(body) < size:
        chunk = conn.recv(size - len(body))
        if not chunk:
            raise ConnectionError("request cut short")
        body += chunk
    return json.loads(body), list(fds)


def _become_child(
    request: dict, fds: list[int], sockets: list[socket.socket], pipes: tuple[int, ...]
) -> None:
    """In the forked child: the test's stdio, environment, directory and argv; none of the
    parent's sockets or pipes."""
    signal.set_wakeup_fd(-1)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    for sock in sockets:
        os.close(sock.detach())
    for fd in pipes:
        os.close(fd)
    for target, fd in enumerate(fds):
        os.dup2(fd, target)
        os.close(fd)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    sys.path[0] = os.getcwd()  # as `python -m` puts the working directory first
    sys.argv = ["-m", *request["argv"]]
    if request.get("address_space"):
        limit = int(request["address_space"])
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def serve(path: str) -> None:
    """Accept runs until stdin closes (the client's end of our life); only a child returns."""
    _preload()
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(f"{path}.binding")
    listener.listen(64)
    os.rename(f"{path}.binding", path)  # the client waits for `path`: it appears listening
    wake_read, wake_write = os.pipe()
    os.set_blocking(wake_write, False)
    os.set_blocking(wake_read, False)
    signal.set_wakeup_fd(wake_write)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    selector = selectors.DefaultSelector()
    selector.register(listener, selectors.EVENT_READ, "accept")
    selector.register(wake_read, selectors.EVENT_READ, "reap")
    selector.register(sys.stdin, selectors.EVENT_READ, "stdin")
    waiting: dict[int, socket.socket] = {}
    while True:
        for key, _ in selector.select():
            if key.data == "stdin":
                if not os.read(sys.stdin.fileno(), 4096):
                    raise SystemExit(0)
            elif key.data == "reap":
                with contextlib.suppress(BlockingIOError):
                    while os.read(wake_read, 4096):
                        pass
                _reap(waiting)
            else:
                conn, _ = listener.accept()
                try:
                    request, fds = _read_request(conn)
                except (OSError, ValueError):
                    conn.close()
                    continue
                sys.stdout.flush()
                sys.stderr.flush()
                pid = os.fork()
                if pid == 0:
                    selector.close()
                    sockets = [listener, conn, *waiting.values()]
                    _become_child(request, fds, sockets, (wake_read, wake_write))
                    return
                for fd in fds:
                    os.close(fd)
                conn.sendall(f"pid {pid}\n".encode())
                waiting[pid] = conn
                _reap(waiting)  # a child may have ended before it was registered


def _reap(waiting: dict[int, socket.socket]) -> None:
    while waiting:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        conn = waiting.pop(pid, None)
        if conn is not None:
            with contextlib.suppress(OSError):
                conn.sendall(f"exit {os.waitstatus_to_exitcode(status)}\n".encode())
            conn.close()


if __name__ == "__main__":
    serve(sys.argv[1])
    # Only a forked child gets here: run the CLI as `python -m rhoai_doctor` would.
    runpy.run_module("rhoai_doctor", run_name="__main__", alter_sys=True)
