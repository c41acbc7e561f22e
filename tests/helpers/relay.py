"""The lab's API server behind a relay that rewrites answers: a project editor's doing (a token
secret with a newline inside, a model's status.url pointing at another host) without mutating
the lab. The relay serves HTTPS with its own CA, named in a copy of the lab's kubeconfig that
points at it; GETs only (the product never writes)."""

from __future__ import annotations

import ssl
import threading
from collections.abc import Callable
from http.server import ThreadingHTTPServer
from pathlib import Path

import yaml

from tests.helpers.faults import Tls, make_tls
from tests.helpers.tls_server import TlsHandler, serve_tls, server_context

Rewrite = Callable[[str, bytes], bytes]  # (request path, answer body) -> answer body


class Relay:
    """`with Relay(lab, rewrite, directory) as relay:` … `relay.kubeconfig` points at it."""

    def __init__(self, lab: dict, rewrite: Rewrite, directory: Path) -> None:
        import httpx

        trust = ssl.create_default_context(cafile=lab["ca_file"])
        upstream = httpx.Client(base_url=lab["api"], verify=trust, timeout=30)

        class Handler(TlsHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                headers = {
                    k: v
                    for k, v in self.headers.items()
                    if k.lower() in ("authorization", "accept")
                }
                try:
                    answer = upstream.get(self.path, headers=headers)
                except httpx.HTTPError:
                    return  # a watch read whole, ended by the lab: quiet, as in hostile_proxy.py
                body = rewrite(self.path, answer.content)
                self.send_response(answer.status_code)
                self.send_header("Content-Type", answer.headers.get("content-type", "text/plain"))
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.tls: Tls = make_tls(directory, "127.0.0.1")
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        serve_tls(self.server, server_context(self.tls.cert_file, self.tls.key_file))
        self.kubeconfig = directory / "relay-kubeconfig"
        config = yaml.safe_load(Path(lab["kubeconfig"]).read_text())
        for cluster in config["clusters"]:
            cluster["cluster"] = {
                "server": f"https://127.0.0.1:{self.server.server_address[1]}",
                "certificate-authority": self.tls.ca_file,
            }
        self.kubeconfig.write_text(yaml.safe_dump(config))
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._upstream = upstream

    def __enter__(self) -> Relay:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self._upstream.close()


def replace_everywhere(old: str, new: str) -> Rewrite:
    """A rewrite that puts `new` wherever `old` stands: in objects, and inside Secrets' values."""
    import base64
    import json

    def swap(value: str) -> str:
        try:
            text = base64.b64decode(value, validate=True).decode()
        except ValueError:
            return value
        return base64.b64encode(text.replace(old, new).encode()).decode() if old in text else value

    def rewrite(path: str, body: bytes) -> bytes:
        text = body.decode("utf-8", "replace").replace(old, new)
        if "/secrets" not in path:
            return text.encode()
        doc = json.loads(text)
        for item in doc.get("items", [doc]):
            data = item.get("data") or {}
            for key in list(data):
                data[key] = swap(str(data[key]))
        return json.dumps(doc).encode()

    return rewrite
