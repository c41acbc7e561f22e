"""A TLS stream that breaks mid-answer (a corrupt record: a middlebox, a flaky link, a server
bug) is one line naming it, as any broken connection is. httpcore maps a TLS failure of the
handshake, not of a read: before, `get` ended in a traceback and the console's read worker
crashed the app (seen once in a full CI run: DECRYPTION_FAILED_OR_BAD_RECORD_MAC)."""

from __future__ import annotations

import os
import socket
import ssl
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli.test_kubeconfig_fields import get, kubeconfig, one_line_error
from tests.helpers.faults import make_tls


@pytest.fixture
def corrupting_server(tmp_path: Path) -> Iterator[tuple[int, str]]:
    """An HTTPS server whose every answer starts well and then carries bytes that are no TLS
    record, written under the TLS layer."""
    tls = make_tls(tmp_path, "127.0.0.1")
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(tls.cert_file, tls.key_file)
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                raw, _ = listener.accept()
            except OSError:
                return
            try:
                with context.wrap_socket(raw, server_side=True) as conn:
                    conn.settimeout(10)
                    conn.recv(65536)  # the request
                    head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                    conn.sendall(head + b"Content-Length: 4000\r\n\r\n" + b'{"items": [')
                    os.write(conn.fileno(), b"\x17\x03\x03\x00\x20" + os.urandom(32))
                    conn.recv(1)  # until the client gives up
            except OSError:
                pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1], tls.ca_file
    finally:
        stop.set()
        listener.close()


def test_a_tls_record_broken_mid_answer_is_one_line(corrupting_server, tmp_path: Path) -> None:
    port, ca_file = corrupting_server
    cluster = {"server": f"https://127.0.0.1:{port}", "certificate-authority": ca_file}
    line = one_line_error(get(kubeconfig(tmp_path, cluster, {"token": "t"}), "projects"))
    assert "TLS stream from" in line and "broke mid-answer" in line, line
