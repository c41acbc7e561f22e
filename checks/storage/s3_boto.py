"""The boto3 client the storage initializer would build for one connection (controllers.md §5.2),
and the few things this tool adds around its transport: --resolve/--connect-to, answers read
within a cap and named when they are a web page, cut short or too large, and a log of the last
attempt so a deadline that ends boto3's retries still names what the retries met.

Imported only when S3 is actually read: boto3 costs ~0.2 s to import and set up."""

from __future__ import annotations

import gzip
import json
import os
import socket
import threading
from typing import Any

import boto3
import botocore.session
from botocore import UNSIGNED
from botocore.awsrequest import (
    AWSHTTPConnection,
    AWSHTTPConnectionPool,
    AWSHTTPSConnection,
    AWSHTTPSConnectionPool,
    AWSResponse,
)
from botocore.config import Config
from botocore.exceptions import DataNotFoundError
from botocore.loaders import JSONFileLoader, Loader
from urllib3.exceptions import HTTPError as URLLib3Error

from checks.storage.boto_tls import load_trust_once
from checks.storage.s3_errors import ANSWER_LIMIT, StorageError, too_large
from checks.storage.s3_target import S3Target
from checks.transport.addressing import Override

# kserve_storage.get_S3_config (master): S3_CONNECT_TIMEOUT, S3_READ_TIMEOUT, S3_MAX_ATTEMPTS
CONNECT_TIMEOUT = 15.0
READ_TIMEOUT = 30.0
MAX_ATTEMPTS = 3
POOL_CONNECTIONS = 50  # per client: the sweep's deployments in flight share it
ERROR_LIMIT = 64 * 1024  # of an error document (~300 bytes) or a web page, enough to judge
CHUNK = 64 * 1024

_attempts = threading.local()  # .log: a list the current call's attempts are noted in


def note_attempts(log: list[Any]) -> None:
    """From now on, this thread's requests note their last failure or refusal in `log`."""
    _attempts.log = log


def _note(what: Any) -> None:
    log = getattr(_attempts, "log", None)
    if log is not None:
        log.append(what)


def _dialled(rules: tuple[Override, ...], base: type) -> type:
    """A connection class that dials what --resolve/--connect-to say for its host, while the
    Host header and the TLS name (SNI, certificate check) stay the endpoint's own."""

    class Dialled(base):  # type: ignore[misc, valid-type]
        def _new_conn(self) -> socket.socket:
            me: Any = self
            for rule in rules:
                if rule.matches(me.host, me.port):
                    dial = (rule.target_host or me.host, rule.target_port or me.port)
                    saved = me._dns_host, me.port
                    try:
                        me._dns_host, me.port = dial
                        return super()._new_conn()  # type: ignore[no-any-return]
                    finally:
                        me._dns_host, me.port = saved
            return super()._new_conn()  # type: ignore[no-any-return]

    return Dialled


def _looks_like_html(headers: Any, body: bytes) -> bool:
    if any(h in headers for h in ("x-amz-request-id", "x-amz-id-2")):
        return False  # S3 itself answered (an object that is a web page is still an object)
    content_type = str(headers.get("content-type", "") or "").lower()
    head = body[:200].lstrip().lower()
    return "html" in content_type or head.startswith((b"<!doctype html", b"<html"))


def _html(target: S3Target, body: bytes) -> StorageError:
    import re

    found = re.search(rb"<title>(.*?)</title>", body[:ERROR_LIMIT], re.IGNORECASE | re.DOTALL)
    title = found.group(1).decode("utf-8", "replace").strip() if found else ""
    what = f' ("{title}")' if title else ""
    return StorageError(
        "not-s3",
        f"{target.endpoint} answered an HTML page{what}, not the S3 API: the endpoint is a web "
        "page (a console, or a login page of a proxy), not the S3 API route",
    )


class CappedSession:
    """botocore's own HTTP session, with each answer judged before boto3 parses it."""

    def __init__(self, inner: Any, target: S3Target) -> None:
        self._inner = inner
        self._target = target

    def close(self) -> None:
        self._inner.close()

    def send(self, request: Any) -> AWSResponse:
        wanted_stream = request.stream_output
        request.stream_output = True  # the body is read here, within a cap
        try:
            response = self._inner.send(request)
        except Exception as error:
            _note(error)
            raise
        finally:
            request.stream_output = wanted_stream
        status, headers = response.status_code, response.headers
        if request.method == "HEAD":
            response.raw.release_conn()
            response._content = b""
            if status < 300 and _looks_like_html(headers, b""):
                raise _html(self._target, b"")
        elif status >= 300 or not wanted_stream:
            stated = str(headers.get("content-length", "") or "")
            if (
                status < 300
                and stated.isascii()
                and stated.isdigit()
                and int(stated) > ANSWER_LIMIT
            ):
                response.raw.release_conn()
                raise too_large(self._target)
            limit = ERROR_LIMIT if status >= 300 else ANSWER_LIMIT
            response._content = self._read(response, limit, refuse=status < 300)
        elif status == 200 and _looks_like_html(headers, b""):
            raise _html(self._target, self._read(response, ERROR_LIMIT, refuse=False))
        if status >= 300:
            _note(("answer", status, headers))
        body = response._content or b""
        # an error answer is a web page only by its body (S3 look-alikes label theirs oddly)
        judged = request.method != "HEAD" and not (wanted_stream and status < 300)
        if judged and _looks_like_html(headers if status < 300 else {}, body):
            raise _html(self._target, body)
        return response

    def _read(self, response: AWSResponse, limit: int, *, refuse: bool) -> bytes:
        """The body up to `limit`; more is too large (refuse) or left unread; fewer bytes than
        the stated length is an answer cut short."""
        chunks: list[bytes] = []
        size = 0
        stated = str(response.headers.get("content-length", "") or "")
        declared = int(stated) if stated.isascii() and stated.isdigit() else None
        try:
            for chunk in response.raw.stream(CHUNK, decode_content=False):
                chunks.append(chunk)
                size += len(chunk)
                if size > limit:
                    if refuse:
                        raise too_large(self._target)
                    break
        except URLLib3Error as error:
            if declared is None:
                raise StorageError(
                    "http",
                    f"{self._target.endpoint} closed the connection without a complete answer "
                    f"({error})",
                ) from error
        finally:
            response.raw.release_conn()
        if declared is not None and size < declared and size <= limit:
            raise StorageError(
                "truncated",
                f"{self._target.endpoint} cut its answer short ({size:,} of {declared:,} "
                "bytes): a proxy or the S3 server closed the connection",
            )
        return b"".join(chunks)[:limit]


def _config(target: S3Target) -> Config:
    """get_S3_config: timeouts, standard retries, UNSIGNED for anonymous, virtual addressing."""
    kwargs: dict[str, Any] = {
        "connect_timeout": min(CONNECT_TIMEOUT, target.timeout),
        "read_timeout": min(READ_TIMEOUT, target.timeout),
        "retries": {"max_attempts": MAX_ATTEMPTS, "mode": "standard"},
        "max_pool_connections": POOL_CONNECTIONS,
    }
    if target.anonymous:
        kwargs["signature_version"] = UNSIGNED
    if target.virtual:
        kwargs["s3"] = {"addressing_style": "virtual"}
    return Config(**kwargs)


class PlainJSON(JSONFileLoader):
    """botocore's data files read as plain dicts (ordered since Python 3.7): its own reader
    builds each object through a Python OrderedDict hook, twice the CPU of S3's model, its
    endpoint rules and the endpoints table (the bulk of building the first client)."""

    def load_file(self, file_path: str) -> Any:
        for extension, opener in ((".json", open), (".json.gz", gzip.open)):
            if os.path.isfile(file_path + extension):
                with opener(file_path + extension, "rb") as file:
                    return json.loads(file.read())
        return None


class S3Loader(Loader):
    """botocore's own data (not ~/.aws/models: the pod has none of this machine's AWS setup),
    asked about S3 alone. botocore checks that a service exists by listing every service's
    folder (~450 directories, twice per first client: a third of building it); S3's own
    folder says as much."""

    def __init__(self) -> None:
        super().__init__(
            extra_search_paths=[Loader.BUILTIN_DATA_PATH],
            file_loader=PlainJSON(),
            include_default_search_paths=False,
        )

    def list_available_services(self, type_name: str) -> list[str]:
        try:
            return ["s3"] if self.list_api_versions("s3", type_name) else []
        except DataNotFoundError:
            return []


_session_lock = threading.Lock()
_sessions: list[Any] = []


def _session() -> Any:
    """One boto3 session for the process that reads nothing of this machine's AWS setup
    (profiles, config files, AWS_* variables): the pod's settings are the connection's, not the
    user's. Shared, so S3's service model is loaded once, not once per client."""
    if _sessions:
        return _sessions[0]
    from botocore.configprovider import BOTOCORE_DEFAUT_SESSION_VARIABLES as known

    isolated = {
        name: (config, None, default, convert)
        for name, (config, _env, default, convert) in known.items()
    }
    isolated["config_file"] = (None, None, os.devnull, None)
    isolated["credentials_file"] = (None, None, os.devnull, None)
    core = botocore.session.Session(session_vars=isolated)
    core.register_component("data_loader", S3Loader())
    _sessions.append(boto3.session.Session(botocore_session=core))
    return _sessions[0]


def warm() -> None:
    """Load S3's service model into the shared session (a client that is never used): the
    first real client is then built in milliseconds."""
    with _session_lock:
        _session().client(
            "s3",
            region_name="us-east-1",
            endpoint_url="http://127.0.0.1:9",
            aws_access_key_id="warm",
            aws_secret_access_key="warm",
        )


def _quiet_unverified() -> None:
    """verify_ssl off is the connection's choice and the evidence says so ("TLS not
    verified"); urllib3 would also print its InsecureRequestWarning, a path and a URL, to
    stderr for each connection: in `check`'s output and under the console's screen."""
    import warnings

    from urllib3.exceptions import InsecureRequestWarning

    warnings.filterwarnings("ignore", category=InsecureRequestWarning)


def build_client(target: S3Target, verify: str | bool) -> Any:
    """The S3 client: endpoint_url as given, the region as the pod's AWS_DEFAULT_REGION
    (None: not set; "" is kept and signed as it is), the keys, the token, and `verify` (a CA
    file, or False)."""
    # Keys always given, so boto3 never looks for this machine's credentials; unsigned
    # requests carry none of them.
    signed = not target.anonymous
    if verify is False:
        _quiet_unverified()
    with _session_lock:
        client = _session().client(
            "s3",
            region_name=target.region,
            endpoint_url=target.endpoint,
            aws_access_key_id=target.access_key_id if signed else "anonymous",
            aws_secret_access_key=target.secret_access_key if signed else "anonymous",
            aws_session_token=(target.session_token or None) if signed else None,
            verify=verify,
            config=_config(target),
        )
    endpoint = client._endpoint
    inner = endpoint.http_session
    load_trust_once(inner, verify)
    if target.overrides:
        classes = {
            "http": type(
                "Pool",
                (AWSHTTPConnectionPool,),
                {"ConnectionCls": _dialled(target.overrides, AWSHTTPConnection)},
            ),
            "https": type(
                "Pool",
                (AWSHTTPSConnectionPool,),
                {"ConnectionCls": _dialled(target.overrides, AWSHTTPSConnection)},
            ),
        }
        inner._pool_classes_by_scheme = classes
        inner._manager.pool_classes_by_scheme = classes
    endpoint.http_session = CappedSession(inner, target)
    return client
