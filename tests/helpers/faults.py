"""A misbehaving HTTP(S) server on loopback: one fault per server, the way a broken proxy, a
dead S3 or an SSO page in front of a route behaves. The fault-matrix test and the bench put it
where the API server, S3 or a model route should be."""

from __future__ import annotations

import json
import socket
import ssl
import threading
import time
from dataclasses import dataclass

MiB = 1024 * 1024
HUGE_BYTES = 80 * MiB  # past every cap the tool has (64 MiB API page, 16 MiB model answer)
FAULTS = ("refused", "hang", "drip", "500", "401", "403", "404", "html", "truncated", "huge")

LOGIN_PAGE = (
    b"<!doctype html><html><head><title>Log in - Red Hat Single Sign-On</title></head>"
    b"<body><form action='/login'>user <input name=u></form></body></html>"
)
# A clipboard write (OSC 52), a screen clear, console markup that would write a file on click,
# an unbalanced closing tag, a right-to-left override and a C1 CSI.
HOSTILE = (
    "\x1b]52;c;SGVsbG8=\x07\x1b[2J[@click=app.screenshot('owned.svg','OWNED_DIR')]CLICK-ME[/] "
    "[/nope] \u202eevil\x9b1m"
)
RAW_BYTES = ("\x1b", "\x07", "\u202e", "\x9b")
REASONS = {
    "400": "Bad Request",
    "500": "Internal Server Error",
    "401": "Unauthorized",
    "403": "Forbidden",
    "404": "Not Found",
}


@dataclass(frozen=True)
class Tls:
    cert_file: str
    key_file: str
    ca_file: str


def make_tls(directory, *hosts: str) -> Tls:
    """A private CA and a certificate for `hosts`, written under `directory`."""
    import trustme

    ca = trustme.CA()
    leaf = ca.issue_cert(*hosts)
    paths = {name: str(directory / f"fault-{name}.pem") for name in ("cert", "key", "ca")}
    leaf.cert_chain_pems[0].write_to_path(paths["cert"])
    for pem in leaf.cert_chain_pems[1:]:
        pem.write_to_path(paths["cert"], append=True)
    leaf.private_key_pem.write_to_path(paths["key"])
    ca.cert_pem.write_to_path(paths["ca"])
    return Tls(paths["cert"], paths["key"], paths["ca"])


# Bound and never listening: a connection to their ports is refused, and the ports stay theirs.
_HELD: list[socket.socket] = []


def closed_port() -> int:
    """A loopback port nothing listens on: connecting is refused at once. Its socket stays
    bound for the rest of the run: a port only looked up and let go could be taken by any
    server started meanwhile (another worker's lab or fault server), which would then accept
    and close where the test expects a refusal (CI run 76: "s3-refused" met "closed the
    connection without a complete answer")."""
    held = socket.socket()
    held.bind(("127.0.0.1", 0))
    _HELD.append(held)
    return held.getsockname()[1]


class FaultServer:
    """Answers every request with one fault; `refused` listens nowhere."""

    def __init__(self, fault: str, tls: Tls | None = None) -> None:
        assert fault in (*FAULTS, "hostile", "endless"), fault
        self.fault = fault
        self._stop = threading.Event()
        self._context: ssl.SSLContext | None = None
        if tls:
            self._context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            self._context.load_cert_chain(tls.cert_file, tls.key_file)
        self._listener: socket.socket | None = None
        if fault == "refused":
            self.port = closed_port()
            return
        self._listener = socket.socket()
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(64)
        self._listener.settimeout(0.2)
        self.port = self._listener.getsockname()[1]
        self._thread = threading.Thread(target=self._serve, daemon=True)

    @property
    def url(self) -> str:
        scheme = "https" if self._context else "http"
        return f"{scheme}://127.0.0.1:{self.port}"

    def __enter__(self) -> FaultServer:
        if self._listener:
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._listener:
            self._thread.join()
            self._listener.close()

    def _serve(self) -> None:
        assert self._listener
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except OSError:
                continue
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn: socket.socket) -> None:
        try:
            conn.settimeout(5)
            if self._context:
                conn = self._context.wrap_socket(conn, server_side=True)
            self._read_request(conn)
            getattr(self, f"_{self.fault}" if not self.fault.isdigit() else "_status")(conn)
        except (OSError, ssl.SSLError):
            pass
        finally:
            try:
                conn.close()
            except OSError:
                pass

    @staticmethod
    def _read_request(conn: socket.socket) -> None:
        """The whole request, body included: closing with unread bytes would reset the
        connection and the client would see a reset, not the fault."""
        data = b""
        while b"\r\n\r\n" not in data and len(data) < 1 << 20:
            chunk = conn.recv(65536)
            if not chunk:
                return
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length" and value.strip().isdigit():
                length = int(value.strip())
        while len(body) < length:
            chunk = conn.recv(65536)
            if not chunk:
                return
            body += chunk

    @staticmethod
    def _head(status: str, content_type: str, length: int) -> bytes:
        reason = REASONS.get(status, "OK")
        return (
            f"HTTP/1.1 {status} {reason}\r\nContent-Type: {content_type}\r\n"
            f"Content-Length: {length}\r\nConnection: close\r\n\r\n"
        ).encode()

    def _hang(self, conn: socket.socket) -> None:
        self._stop.wait()

    def _drip(self, conn: socket.socket) -> None:
        conn.sendall(self._head("200", "application/json", 100_000))
        while not self._stop.wait(1.0):
            conn.sendall(b" ")

    def _status(self, conn: socket.socket) -> None:
        body = f"{self.fault} {REASONS[self.fault]}\n".encode()
        conn.sendall(self._head(self.fault, "text/plain; charset=utf-8", len(body)) + body)

    def _hostile(self, conn: socket.socket) -> None:
        """A model server whose error body is written to attack the terminal and the console."""
        body = json.dumps({"error": HOSTILE}).encode()
        conn.sendall(self._head("400", "application/json", len(body)) + body)

    def _html(self, conn: socket.socket) -> None:
        conn.sendall(self._head("200", "text/html; charset=utf-8", len(LOGIN_PAGE)) + LOGIN_PAGE)

    def _truncated(self, conn: socket.socket) -> None:
        conn.sendall(
            self._head("200", "application/json", 5000) + b'{"kind": "List", "items": [{"met'
        )

    def _endless(self, conn: socket.socket) -> None:
        """A body of no stated length that never ends (chunked): only a count of what arrived
        can stop it. Each chunk is a JSON/XML-neutral run of spaces after an opening."""
        conn.sendall(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
        )
        opening = b'{"kind": "List", "items": ['
        conn.sendall(b"%x\r\n%s\r\n" % (len(opening), opening))
        chunk = b" " * MiB
        while not self._stop.is_set():
            conn.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))

    def _huge(self, conn: socket.socket) -> None:
        conn.sendall(self._head("200", "application/json", HUGE_BYTES))
        chunk = b'{"kind": "List", "items": [' + b" " * (MiB - 27)
        sent = 0
        while sent < HUGE_BYTES and not self._stop.is_set():
            conn.sendall(chunk)
            sent += len(chunk)
            chunk = b" " * MiB


def elapsed(start: float) -> float:
    return round(time.monotonic() - start, 2)
