"""An API server in front of the lab whose answers carry terminal payloads in the strings the
console only shows (event and condition messages, a model's format and runtime, project display
names) and two more projects named with them; names the console asks for again are left alone,
so every request still reaches the lab. Everything else passes through unchanged."""

from __future__ import annotations

import json
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import yaml

from tests.helpers.hostile import CLOSING, FREE, NAME

PROJECT_LISTS = ("/apis/project.openshift.io/v1/projects", "/api/v1/namespaces")


def poisoned(value: Any, key: str = "") -> Any:
    if isinstance(value, dict):
        out = {k: poisoned(v, k) for k, v in value.items()}
        if key == "modelFormat" and isinstance(out.get("name"), str):
            out["name"] += FREE
        if key == "annotations" and "openshift.io/display-name" in out:
            out["openshift.io/display-name"] += FREE
        return out
    if isinstance(value, list):
        return [poisoned(v, key) for v in value]
    if isinstance(value, str) and key in ("message", "runtime"):
        return value + FREE
    return value


def _project(name: str) -> dict:
    return {
        "kind": "Project",
        "apiVersion": "project.openshift.io/v1",
        "metadata": {"name": name, "annotations": {"openshift.io/display-name": FREE}},
        "status": {"phase": "Active"},
    }


class HostileProxy:
    def __init__(self, lab: dict) -> None:
        self.lab = httpx.Client(
            base_url=lab["api"],
            verify=ssl.create_default_context(cafile=lab["ca_file"]),
            timeout=30,
        )
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                proxy.answer(self, "GET")

            def do_POST(self) -> None:
                proxy.answer(self, "POST")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> HostileProxy:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.lab.close()

    def answer(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        length = int(handler.headers.get("content-length") or 0)
        content = handler.rfile.read(length) if length else None
        headers = {
            k: v
            for k, v in handler.headers.items()
            if k.lower() in ("authorization", "content-type", "accept")
        }
        try:
            upstream = self.lab.request(method, handler.path, content=content, headers=headers)
        except httpx.HTTPError:
            # A watch is read whole here, so it ends only when the lab closes it, after the
            # test. Quiet: a traceback printed from this thread, at a random moment, formats
            # its carets with ast.parse, which on 3.11 is not safe beside a test's own
            # ast.parse (SystemError: AST constructor recursion depth mismatch, fresh-clone
            # run 40).
            return
        body, kind = upstream.content, upstream.headers.get("content-type", "")
        if upstream.status_code == 200 and kind.startswith("application/json"):
            body = self._poison(handler.path.split("?")[0], body)
        handler.send_response(upstream.status_code)
        handler.send_header("Content-Type", kind)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    @staticmethod
    def _poison(path: str, body: bytes) -> bytes:
        try:
            doc = json.loads(body)
        except ValueError:
            return body
        doc = poisoned(doc)
        if path in PROJECT_LISTS and isinstance(doc.get("items"), list):
            doc["items"] += [_project(NAME), _project(CLOSING)]
        return json.dumps(doc).encode()


def hostile_kubeconfig(proxy: HostileProxy, token: str, path: Path) -> Path:
    """A kubeconfig whose context and user names carry the payload (a local file others may
    have written: a shared or generated kubeconfig)."""
    name, user = f"lab{FREE}", f"admin{FREE}"
    config = {
        "apiVersion": "v1",
        "kind": "Config",
        "current-context": name,
        "clusters": [{"name": "hostile", "cluster": {"server": proxy.url}}],
        "users": [{"name": user, "user": {"token": token}}],
        "contexts": [{"name": name, "context": {"cluster": "hostile", "user": user}}],
    }
    path.write_text(yaml.safe_dump(config, allow_unicode=True))
    return path
