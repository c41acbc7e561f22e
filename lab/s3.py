"""The lab's S3: moto's server mode with IAM-checked signatures, plus a MinIO-console look-alike page.

Auth is switched on after the lab has created its IAM user, so from then on a wrong secret key
really fails with SignatureDoesNotMatch and an unknown key with InvalidAccessKeyId.
"""

from __future__ import annotations

import json
import ssl
from dataclasses import dataclass

from aiohttp import web

from lab.s3_backend import ACCOUNT

REGION = "us-east-1"

S3_POLICY = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}],
    }
)


@dataclass(frozen=True)
class S3Credentials:
    access_key_id: str
    secret_access_key: str


POLL_S = 0.05  # seconds between the server's looks at its stop flag


class LabS3:
    """moto's server on loopback in a thread; call `enable_auth` once the seed data is in.

    Built like moto's ThreadedMotoServer, with one addition: an optional delay per request, so
    benchmarks can give S3 the latency of a remote object store.
    """

    def __init__(self, latency_s: float = 0.0, tls: ssl.SSLContext | None = None) -> None:
        import os
        import threading

        # Path-style only, like a MinIO behind a route: a host name is never a bucket name.
        os.environ.setdefault("S3_IGNORE_SUBDOMAIN_BUCKETNAME", "true")
        # One account (moto's default, where the lab's IAM user lives): else moto looks for the
        # request's access key in every account and partition on every request (~0.3 s of
        # the lab's start, and of each sweep against it). Keys are still checked.
        os.environ.setdefault("MOTO_ACCOUNT_ID", ACCOUNT)
        from moto.moto_server.werkzeug_app import (
            DomainDispatcherApplication,
            MotoRequestHandler,
            create_backend_app,
        )
        from werkzeug.serving import make_server

        app = _S3First(DomainDispatcherApplication(create_backend_app), create_backend_app("s3"))
        self.latency_s = latency_s
        # Buckets anyone may read without signing (a bucket policy granting "*" GetObject and
        # ListBucket), and the keys the lab reads them with for moto, whose checks need a
        # signature on every request once auth is on.
        self.public_buckets: set[str] = set()
        self.verify: str | None = None  # the CA file the lab's own clients verify TLS with
        self._twins: list[LabS3] = []
        self.anonymous_reader: S3Credentials | None = None
        self._clients: dict[tuple, object] = {}
        self._clients_lock = threading.Lock()

        class Handler(MotoRequestHandler):
            """The TLS handshake in the request's thread (tests/helpers/tls_server.py)."""

            def setup(self) -> None:
                super().setup()
                if isinstance(self.connection, ssl.SSLSocket):
                    self.connection.settimeout(10)
                    self.connection.do_handshake()

        self._server = make_server(
            "127.0.0.1", 0, self._delayed(app), threaded=True, request_handler=Handler
        )
        if tls is not None:
            self._server.socket = tls.wrap_socket(
                self._server.socket, server_side=True, do_handshake_on_connect=False
            )
        self._server.handle_error = self._refused_or_printed(self._server.handle_error)
        # stop() waits for the server's next look at its stop flag: at socketserver's default
        # of every 0.5 s, `lab down` spent 0.3-0.8 s there (the twins stop one after another)
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(POLL_S,), daemon=True, name="lab-s3"
        )
        self._thread.start()
        scheme = "https" if tls is not None else "http"
        self.endpoint = f"{scheme}://127.0.0.1:{self._server.server_port}"

    @staticmethod
    def _refused_or_printed(printed):
        """A client that refuses the lab's certificate (a test of a CA it must not trust) or
        hangs up is that client's news, not a traceback on the suite's output."""
        import sys

        def handle_error(request, client_address) -> None:
            if not isinstance(sys.exc_info()[1], (ssl.SSLError, ConnectionError)):
                printed(request, client_address)

        return handle_error

    def _delayed(self, app):
        import time

        def wsgi(environ, start_response):
            if self.latency_s and not environ.get("PATH_INFO", "").startswith("/moto-api"):
                time.sleep(self.latency_s)
            if "HTTP_AUTHORIZATION" not in environ and "X-Amz-Credential" not in environ.get(
                "QUERY_STRING", ""
            ):
                return self._anonymous(app, environ, start_response)
            return app(environ, start_response)

        return wsgi

    def _anonymous(self, app, environ, start_response):
        """An unsigned request, as S3 answers it: a read of a public bucket is served, anything
        else is AccessDenied (moto itself fails on a request without a signature)."""
        bucket = environ.get("PATH_INFO", "/").lstrip("/").split("/", 1)[0]
        reader = self.anonymous_reader
        if (
            bucket not in self.public_buckets
            or reader is None
            or environ.get("REQUEST_METHOD") not in ("GET", "HEAD")
        ):
            body = (
                b'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code>'
                b"<Message>Access Denied</Message></Error>"
            )
            start_response(
                "403 Forbidden",
                [("Content-Type", "application/xml"), ("Content-Length", str(len(body)))],
            )
            return [body]
        return app(_signed(environ, reader), start_response)

    def client(self, service: str, credentials: S3Credentials | None = None):
        """One boto3 client per service, credentials and CA, kept: making one costs ~25 ms of
        CPU (its endpoint rules) and seeding uploads to dozens of buckets. Clients are
        thread-safe; the lock keeps two seeding threads from making the same one."""
        import boto3
        from botocore.config import Config

        creds = credentials or S3Credentials("lab-bootstrap", "lab-bootstrap")
        key = (service, creds, self.endpoint, self.verify)
        with self._clients_lock:
            if key not in self._clients:
                self._clients[key] = boto3.client(
                    service,
                    endpoint_url=self.endpoint,
                    region_name=REGION,
                    aws_access_key_id=creds.access_key_id,
                    aws_secret_access_key=creds.secret_access_key,
                    verify=self.verify,
                    config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}),
                )
            return self._clients[key]

    def create_user(self, name: str) -> S3Credentials:
        iam = self.client("iam")
        iam.create_user(UserName=name)
        iam.put_user_policy(UserName=name, PolicyName="s3-all", PolicyDocument=S3_POLICY)
        key = iam.create_access_key(UserName=name)["AccessKey"]
        return S3Credentials(key["AccessKeyId"], key["SecretAccessKey"])

    @staticmethod
    def enable_auth() -> None:
        from moto import settings

        settings.INITIAL_NO_AUTH_ACTION_COUNT = 0

    def twin(self, tls: ssl.SSLContext) -> LabS3:
        """The same buckets (moto keeps one state per process) served over TLS too; it shares
        this server's public buckets and anonymous reader, and stops with it."""
        twin = LabS3(self.latency_s, tls)
        twin.public_buckets = self.public_buckets
        twin.anonymous_reader = self.anonymous_reader
        self._twins.append(twin)
        return twin

    def stop(self) -> None:
        for twin in self._twins:
            twin.stop()
        self._server.shutdown()
        self._thread.join(timeout=5)


class _S3First:
    """moto's dispatcher guesses each request's service (a lock, then hundreds of URL patterns
    and a folder scan: a quarter of the lab's CPU during a sweep); a request signed for S3
    goes straight to moto's S3 app, the rest (the lab's own IAM calls) through the dispatcher."""

    def __init__(self, dispatcher, s3_app) -> None:
        self.dispatcher = dispatcher
        self.s3_app = s3_app

    def __call__(self, environ, start_response):
        credential = environ.get("HTTP_AUTHORIZATION", "") or environ.get("QUERY_STRING", "")
        if "/s3/aws4_request" in credential or "%2Fs3%2Faws4_request" in credential:
            return self.s3_app(environ, start_response)
        return self.dispatcher(environ, start_response)


def _signed(environ: dict, creds: S3Credentials) -> dict:
    """The same request, signed with `creds` (SigV4 over the path and query as received)."""
    from botocore.auth import S3SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    host = environ.get("HTTP_HOST", "")
    query = environ.get("QUERY_STRING", "")
    path = environ.get("RAW_URI") or environ.get("REQUEST_URI") or environ.get("PATH_INFO", "/")
    path = path.split("?", 1)[0]
    url = f"http://{host}{path}" + (f"?{query}" if query else "")
    request = AWSRequest(
        method=environ.get("REQUEST_METHOD", "GET"), url=url, headers={"Host": host}
    )
    S3SigV4Auth(Credentials(creds.access_key_id, creds.secret_access_key), "s3", REGION).add_auth(
        request
    )
    signed = dict(environ)
    for name, value in request.headers.items():
        signed["HTTP_" + name.upper().replace("-", "_")] = value
    return signed


CONSOLE_PAGE = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>MinIO Console</title></head>
<body><div id="root">MinIO Console: sign in to manage your buckets.</div>
<script>window.location.hash = "#/login";</script></body>
</html>
"""


def console_app() -> web.Application:
    """Answers every path with the console's HTML and 200, as a MinIO console route does."""

    async def page(request: web.Request) -> web.Response:
        return web.Response(text=CONSOLE_PAGE, content_type="text/html")

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", page)
    return app
