"""TLS for the tests' small http.server servers, without the hang a wrapped listening socket
has: there `accept()` runs the handshake in the serving thread, so one client that connects
and never finishes its handshake stops `serve_forever` (and `shutdown()` waits for ever). The
handshake runs in the request's own thread instead, under a timeout."""

from __future__ import annotations

import ssl
from http.server import BaseHTTPRequestHandler, HTTPServer

HANDSHAKE_AND_READ_S = 10.0


def server_context(cert_file: str, key_file: str) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert_file, key_file)
    return context


def serve_tls(server: HTTPServer, context: ssl.SSLContext) -> None:
    """The server's connections speak TLS; each handshake is its handler's (TlsHandler)."""
    server.socket = context.wrap_socket(
        server.socket, server_side=True, do_handshake_on_connect=False
    )


class TlsHandler(BaseHTTPRequestHandler):
    """A handler whose connection finishes its TLS handshake in the request's thread."""

    timeout = HANDSHAKE_AND_READ_S

    def setup(self) -> None:
        super().setup()
        if isinstance(self.connection, ssl.SSLSocket):
            self.connection.do_handshake()
