"""A loopback TLS server that picks its certificate by the server name a client asks for, as a
router does, and records which name each request came in under, its Host and Authorization:
where routes are dialled at one address (--connect-to), it tells a test whether a request rode
a connection made for another route."""

from __future__ import annotations

import ssl
import threading
from http.server import ThreadingHTTPServer
from pathlib import Path

import trustme

from tests.helpers.tls_server import TlsHandler, serve_tls


class NamedServer:
    """Serves `names` with a certificate for them, `misnamed` with one for another host;
    `seen` is (server name of the connection, Host header, Authorization) per request, `ports`
    the client's port of each (one per connection). Answers 200 with a model's metadata."""

    def __init__(self, directory: Path, names: str, misnamed: str) -> None:
        ca = trustme.CA()
        self.ca_file = str(directory / "ca.pem")
        ca.cert_pem.write_to_path(self.ca_file)
        right = ca.issue_cert(names).configure_cert
        wrong = ca.issue_cert("someone-else.example.test").configure_cert
        default, elsewhere = (ssl.create_default_context(ssl.Purpose.CLIENT_AUTH) for _ in "ab")
        right(default)
        wrong(elsewhere)

        def pick(sock: ssl.SSLObject | ssl.SSLSocket, name: str | None, _: object) -> None:
            sock.sni_name = name  # type: ignore[union-attr]
            if name == misnamed:
                sock.context = elsewhere

        default.sni_callback = pick  # type: ignore[assignment]
        self.seen: list[tuple[str | None, str, str]] = []
        self.ports: list[int] = []  # the client's port: one per connection
        server = self

        class Handler(TlsHandler):
            protocol_version = "HTTP/1.1"  # connections kept alive, as a router keeps them

            def do_GET(self) -> None:
                name = getattr(self.connection, "sni_name", None)
                host = (self.headers.get("Host") or "").split(":")[0]
                server.seen.append((name, host, self.headers.get("Authorization") or ""))
                server.ports.append(self.client_address[1])
                body = b'{"name": "iris", "versions": ["1"], "platform": "onnx"}'
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        class Server(ThreadingHTTPServer):
            request_queue_size = 256  # a sweep's connections arrive at once
            daemon_threads = True

        self.http = Server(("127.0.0.1", 0), Handler)
        serve_tls(self.http, default)
        self.port = self.http.server_address[1]
        threading.Thread(target=self.http.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.http.shutdown()
        self.http.server_close()
