"""An HTTP(S) server on loopback that records every request's method, path and headers and
answers 404: put where a model route, a registry's token realm or any other host should be, it
tells a test which credentials reached it."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from http.server import ThreadingHTTPServer

from tests.helpers.faults import Tls
from tests.helpers.tls_server import TlsHandler, serve_tls, server_context


@dataclass(frozen=True)
class Seen:
    method: str
    path: str
    headers: dict[str, str]

    def carries(self, secret: str) -> bool:
        """True when `secret` is anywhere in the request line or a header."""
        return secret in self.path or any(secret in v for v in self.headers.values())


class Recorder:
    """`with Recorder(tls) as rec:` … `rec.seen` lists what arrived."""

    def __init__(
        self,
        tls: Tls | None = None,
        status: int = 404,
        headers: dict | None = None,
        body: bytes = b'{"error": "recorded"}',
    ):
        self.seen: list[Seen] = []
        self.status, self.extra, self.body = status, {"Content-Type": "application/json"}, body
        self.extra.update(headers or {})
        recorder = self

        class Handler(TlsHandler):
            def _any(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(length)
                recorder.seen.append(Seen(self.command, self.path, dict(self.headers.items())))
                body = recorder.body
                self.send_response(recorder.status)
                for key, value in recorder.extra.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = do_HEAD = do_PUT = _any

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.scheme = "http"
        if tls is not None:
            serve_tls(self.server, server_context(tls.cert_file, tls.key_file))
            self.scheme = "https"
        self.port = self.server.server_address[1]
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def __enter__(self) -> Recorder:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def carrying(self, secret: str) -> list[Seen]:
        return [s for s in self.seen if s.carries(secret)]
