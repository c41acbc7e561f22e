"""An API server in front of the lab whose events LIST for one project is ~50 MB: every other
request is passed through to the lab unchanged. `paged` honours limit/continue as a real API
server does; otherwise the whole LIST comes in one answer (a server that ignores `limit`)."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

PAGE = 500


def event(namespace: str, index: int) -> dict:
    """An Event as the API returns it, managedFields included (~1.3 KB)."""
    name = f"model-pod-{index:06d}.17a{index:08x}"
    return {
        "metadata": {
            "name": name,
            "namespace": namespace,
            "uid": f"{index:08x}-0000-4000-8000-{index:012x}",
            "resourceVersion": str(100000 + index),
            "creationTimestamp": "2026-11-24T10:00:00Z",
            "managedFields": [
                {
                    "manager": "kubelet",
                    "operation": "Update",
                    "apiVersion": "v1",
                    "time": "2026-11-24T10:00:00Z",
                    "fieldsType": "FieldsV1",
                    "fieldsV1": {
                        "f:count": {},
                        "f:firstTimestamp": {},
                        "f:involvedObject": {},
                        "f:lastTimestamp": {},
                        "f:message": {},
                        "f:reason": {},
                        "f:source": {"f:component": {}, "f:host": {}},
                        "f:type": {},
                    },
                }
            ],
        },
        "involvedObject": {
            "kind": "Pod",
            "namespace": namespace,
            "name": f"model-pod-{index % 97:06d}",
            "uid": f"{index % 97:08x}-1111-4000-8000-000000000000",
            "apiVersion": "v1",
            "resourceVersion": "4242",
            "fieldPath": "spec.containers{kserve-container}",
        },
        "reason": "BackOff" if index % 3 else "Pulled",
        "message": "Back-off restarting failed container kserve-container in pod "
        f"model-pod-{index % 97:06d}_{namespace}(abc) " + "x" * 300,
        "source": {"component": "kubelet", "host": "worker-0.example.com"},
        "firstTimestamp": "2026-11-24T10:00:00Z",
        "lastTimestamp": "2026-11-24T10:00:00Z",
        "count": 1 + index % 40,
        "type": "Warning" if index % 3 else "Normal",
        "eventTime": None,
        "reportingComponent": "kubelet",
        "reportingInstance": "worker-0.example.com",
    }


def events_list(namespace: str, count: int) -> list[dict]:
    return [event(namespace, i) for i in range(count)]


class BigListProxy:
    def __init__(
        self,
        lab: dict,
        namespace: str,
        megabytes: int,
        paged: bool,
        *,
        items: list[dict] | None = None,
        log: bytes | None = None,
    ) -> None:
        """`items` stand in for the generated events; `log` answers every pod log read of the
        namespace (a console test shows hostile text through them)."""
        import ssl

        import httpx

        self.namespace = namespace
        self.paged = paged
        self.log = log
        if items is None:
            per_item = len(json.dumps(event(namespace, 0)).encode())
            items = events_list(namespace, megabytes * 1024 * 1024 // per_item)
        self.items = items
        self.asked: list[dict] = []  # the query of every events LIST, as the client sent it
        self.whole = self._page(self.items, None)
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

        class Server(ThreadingHTTPServer):
            def handle_error(self, request: object, client_address: object) -> None:
                pass  # a client that stops reading a huge answer closes on us: expected

        self.server = Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def megabytes(self) -> float:
        return len(self.whole) / 1024 / 1024

    @staticmethod
    def _page(items: list[dict], token: str | None) -> bytes:
        meta = {"resourceVersion": "1", **({"continue": token} if token else {})}
        return json.dumps(
            {"kind": "EventList", "apiVersion": "v1", "metadata": meta, "items": items}
        ).encode()

    def __enter__(self) -> BigListProxy:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.lab.close()

    def answer(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        parts = urlsplit(handler.path)
        if method == "GET" and parts.path == f"/api/v1/namespaces/{self.namespace}/events":
            body = self._events(parse_qs(parts.query))
            self._send(handler, 200, "application/json", body)
            return
        logs = f"/api/v1/namespaces/{self.namespace}/pods/"
        if self.log is not None and parts.path.startswith(logs) and parts.path.endswith("/log"):
            self._send(handler, 200, "text/plain", self.log)
            return
        length = int(handler.headers.get("content-length") or 0)
        content = handler.rfile.read(length) if length else None
        headers = {
            k: v
            for k, v in handler.headers.items()
            if k.lower() in ("authorization", "content-type", "accept")
        }
        upstream = self.lab.request(method, handler.path, content=content, headers=headers)
        self._send(
            handler,
            upstream.status_code,
            upstream.headers.get("content-type", ""),
            upstream.content,
        )

    def _events(self, query: dict) -> bytes:
        self.asked.append(query)
        if not self.paged:
            return self.whole
        start = int((query.get("continue") or ["0"])[0])
        limit = int((query.get("limit") or [str(PAGE)])[0]) or len(self.items)
        end = start + limit
        return self._page(self.items[start:end], str(end) if end < len(self.items) else None)

    @staticmethod
    def _send(handler: BaseHTTPRequestHandler, status: int, content_type: str, body: bytes) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)


def kubeconfig_for(proxy: BigListProxy, token: str, path) -> str:
    path.write_text(
        "apiVersion: v1\nkind: Config\ncurrent-context: big\n"
        f"clusters:\n- name: big\n  cluster:\n    server: {proxy.url}\n"
        f"users:\n- name: admin\n  user:\n    token: {token}\n"
        "contexts:\n- name: big\n  context: {cluster: big, user: admin}\n"
    )
    return str(path)
