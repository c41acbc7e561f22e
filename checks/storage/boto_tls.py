"""botocore's HTTP session with its CA bundle loaded once per process, not once per connection.

botocore hands urllib3 the CA file's path for every pool, and urllib3 loads that file into the
SSL context of every new connection: certifi's bundle costs ~30-40 ms of CPU on OpenSSL 3, more
than the S3 request itself, and a sweep or a console opens many. Here each distinct file is
loaded once, into one context that every client's pools share. What is checked stays boto3's
own: certificate required, chained to that file, and urllib3 matching the endpoint's host name
(a file ssl cannot load is left to urllib3, which fails on it with its own words)."""

from __future__ import annotations

import ssl
import threading
from typing import Any

from botocore.httpsession import URLLib3Session, create_urllib3_context

_lock = threading.Lock()
_contexts: dict[str, ssl.SSLContext] = {}


def _loaded(path: str) -> ssl.SSLContext:
    """botocore's own context for a pool, with the CA file in it (an unreadable file raises
    here as it would in the handshake, and is not remembered)."""
    with _lock:
        context = _contexts.get(path)
        if context is None:
            context = create_urllib3_context()
            context.load_verify_locations(cafile=path)
            _contexts[path] = context
        return context


class _TrustLoadedOnce(URLLib3Session):
    """A session whose pools take the CA from the shared context rather than the file."""

    def _setup_ssl_cert(self, conn: Any, url: str, verify: Any) -> None:
        super()._setup_ssl_cert(conn, url, verify)
        if conn.ca_certs is None:
            return
        try:
            context = _loaded(conn.ca_certs)
        except OSError:  # ssl cannot load it: urllib3 then tries, and fails, as it always has
            return
        conn.conn_kw["ssl_context"] = context
        conn.ca_certs = None  # in the context already: no file per connection


def load_trust_once(session: Any, verify: str | bool) -> None:
    """Give botocore's `session` (a client's URLLib3Session) the shared context for its CA
    file; with verify off it is left as it is (nothing is loaded)."""
    if verify is not False and type(session) is URLLib3Session:
        session.__class__ = _TrustLoadedOnce
