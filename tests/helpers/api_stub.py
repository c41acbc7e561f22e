"""A tiny Kubernetes API server on loopback (HTTPS) that answers every authorised GET with an
empty List and anything else with 401; it records each request's headers, the SNI name the
client sent and whether a client certificate came. And a CONNECT proxy that records the heads
of the tunnels asked of it. For the kubeconfig-field tests: which name, which token, which
route the API client took."""

from __future__ import annotations

import json
import select
import socket
import ssl
import threading
from collections.abc import Callable
from http.server import ThreadingHTTPServer

from tests.helpers.faults import Tls
from tests.helpers.recorder import Seen
from tests.helpers.tls_server import TlsHandler, serve_tls

EMPTY_LIST = json.dumps({"kind": "List", "apiVersion": "v1", "metadata": {}, "items": []})
UNAUTHORIZED = json.dumps(
    {
        "kind": "Status",
        "apiVersion": "v1",
        "status": "Failure",
        "reason": "Unauthorized",
        "code": 401,
    }
)

NOT_FOUND = json.dumps(
    {"kind": "Status", "apiVersion": "v1", "status": "Failure", "reason": "NotFound", "code": 404}
)


class ApiStub:
    """`with ApiStub(tls, tokens={"t"}) as api:` … `api.seen`, `api.sni`, `api.tokens_seen()`.
    With `client_ca`, a client certificate signed by it is required and enough to be let in.
    `on_request(token)` runs before each answer (a test rotates a token file there); paths
    starting with one of `missing` answer 404 (an API group this cluster does not have); the
    first `unanswered` requests have their connection closed without an answer."""

    def __init__(
        self,
        tls: Tls,
        tokens: set[str] | None = None,
        client_ca: str | None = None,
        on_request: Callable[[str], None] | None = None,
        missing: tuple[str, ...] = (),
        unanswered: int = 0,
    ) -> None:
        self.seen: list[Seen] = []
        self.unanswered = unanswered  # the first requests get their connection closed, no answer
        self.sni: list[str | None] = []
        self.client_certs = 0
        self.tokens = tokens if tokens is not None else set()
        stub = self

        class Handler(TlsHandler):
            protocol_version = "HTTP/1.1"

            def _any(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(length)
                stub.seen.append(Seen(self.command, self.path, dict(self.headers.items())))
                if stub.unanswered > 0:
                    stub.unanswered -= 1
                    self.close_connection = True  # not one byte back, as a closed kept-alive one
                    return
                token = (self.headers.get("Authorization") or "").removeprefix("Bearer ")
                if on_request is not None:
                    on_request(token)
                cert = self.connection.getpeercert() if client_ca else None
                allowed = token in stub.tokens or bool(cert)
                status = 200 if allowed else 401
                if allowed and self.path.startswith(missing):
                    status = 404
                body = {200: EMPTY_LIST, 401: UNAUTHORIZED, 404: NOT_FOUND}[status].encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = _any

            def log_message(self, *args: object) -> None:
                pass

        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(tls.cert_file, tls.key_file)
        context.sni_callback = lambda sock, name, ctx: self.sni.append(name)  # type: ignore[assignment,misc]
        if client_ca:
            context.verify_mode = ssl.CERT_OPTIONAL
            context.load_verify_locations(client_ca)
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        serve_tls(self.server, context)
        self.port = self.server.server_address[1]
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    def tokens_seen(self) -> list[str]:
        return [s.headers.get("Authorization", "").removeprefix("Bearer ") for s in self.seen]

    def __enter__(self) -> ApiStub:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


class ConnectProxy:
    """An HTTP proxy that only tunnels (CONNECT), as in front of an API server; `heads` holds
    each CONNECT request's lines, so a test sees what the proxy was told."""

    def __init__(self) -> None:
        self.heads: list[list[str]] = []
        self._listener = socket.socket()
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(16)
        self._listener.settimeout(0.2)
        self.port = self._listener.getsockname()[1]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> ConnectProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._listener.close()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                client, _ = self._listener.accept()
            except OSError:
                continue
            threading.Thread(target=self._tunnel, args=(client,), daemon=True).start()

    def _tunnel(self, client: socket.socket) -> None:
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = client.recv(4096)
            if not chunk:
                client.close()
                return
            data += chunk
        head = data.split(b"\r\n\r\n")[0].decode("latin-1").split("\r\n")
        self.heads.append(head)
        method, target, _ = head[0].split(" ", 2)
        if method != "CONNECT":
            client.sendall(b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n")
            client.close()
            return
        host, _, port = target.rpartition(":")
        upstream = socket.create_connection((host.strip("[]"), int(port)))
        client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
        pair = {client: upstream, upstream: client}
        try:
            while not self._stop.is_set():
                ready, _, _ = select.select(list(pair), [], [], 0.2)
                for end in ready:
                    chunk = end.recv(65536)
                    if not chunk:
                        return
                    pair[end].sendall(chunk)
        except OSError:
            pass
        finally:
            client.close()
            upstream.close()
