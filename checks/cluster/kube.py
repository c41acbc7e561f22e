"""Read-only access to the Kubernetes API (httpx, set up by checks.cluster.api_http): LIST, GET, logs
and the review APIs.

Only GET and the review POSTs exist here: the tool never mutates a cluster. Every failure comes
out as a KubeError worded for a person.
"""

from __future__ import annotations

import asyncio
import builtins
import contextlib
import json
import ssl
from collections.abc import AsyncIterator, Callable
from typing import Any, TypeVar

import httpx

from checks.cluster.api_http import api_client, extensions
from checks.cluster.connect import ClusterConfig
from checks.cluster.list_pages import STREAM_ABOVE, ListReader, interned, trimmed
from checks.errors import KubeError
from checks.transport import capped
from checks.transport.protocol_words import in_our_words

Response = httpx.Response
HEADER_REFUSED = (
    "cannot send the request: a header holds a newline, space or control character "
    "that no HTTP header may carry"
)
Raw = dict[str, Any]
T = TypeVar("T")
PREFETCH_STEPS = 3  # event-loop turns for the next page's request to reach the socket


def describe_transport_error(error: Exception, server: str) -> KubeError:
    """Connection-level failures as one line: refused, DNS, TLS, timeout."""
    text = in_our_words(error)
    if isinstance(error, httpx.TimeoutException):
        return KubeError("timeout", f"the API server {server} did not answer in time ({text})")
    cause: BaseException | None = error
    while cause is not None:
        if isinstance(cause, ConnectionRefusedError):
            return KubeError(
                "refused",
                f"the API server {server} refused the connection "
                "(is it up, and is the address right?)",
            )
        if isinstance(cause, ssl.SSLCertVerificationError):
            return KubeError(
                "tls",
                f"TLS verification of {server} failed: "
                f"{cause.verify_message or cause}; pass --certificate-authority FILE"
                " or --insecure-skip-tls-verify",
            )
        if isinstance(cause, ssl.SSLError) and isinstance(error, httpx.ReadError):
            return KubeError(
                "tls", f"the TLS stream from {server} broke mid-answer ({cause.reason or cause})"
            )
        if isinstance(cause, ssl.SSLError):
            return KubeError("tls", f"TLS handshake with {server} failed: {cause}")
        cause = cause.__cause__ or cause.__context__
    lowered = text.lower()
    if (
        "name or service not known" in lowered
        or "nodename nor servname" in lowered
        or "temporary failure in name resolution" in lowered
    ):
        return KubeError("dns", f"cannot resolve the API server's name in {server}")
    if "refused" in lowered or "all connection attempts failed" in lowered:
        return KubeError(
            "refused",
            f"the API server {server} refused the connection (is it up, and is the address right?)",
        )
    if "without sending complete message body" in lowered:
        return KubeError(
            "truncated",
            f"the API server {server} cut its answer short "
            f"({text.split('(', 1)[-1].rstrip(')')}): a proxy or the server closed the connection",
        )
    return KubeError("connect", f"cannot reach the API server {server}: {text}")


def _status_message(response: Response) -> str:
    try:
        body = response.json()
    except ValueError:
        snippet = response.text.strip().splitlines()[:1]
        return f"HTTP {response.status_code}" + (f": {snippet[0][:120]}" if snippet else "")
    if isinstance(body, dict) and body.get("kind") == "Status":
        return str(body.get("message") or body.get("reason") or response.status_code)
    return f"HTTP {response.status_code}"


class KubeClient:
    """An async, read-only API client for one ClusterConfig."""

    def __init__(self, cluster: ClusterConfig) -> None:
        self.cluster = cluster
        self._http = api_client(cluster)
        self._extensions = extensions(cluster)

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> KubeClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def _request(
        self,
        method: str,
        path: str,
        *,
        params: dict | None = None,
        body: Raw | None = None,
        token: str | None = None,
        sink: Any = None,
        limit: int = capped.API_PAGE_LIMIT,
        what: str = "",
        hint: str = "",
    ) -> Response:
        headers = {"Authorization": f"Bearer {token}"} if token else None
        try:
            # A deadline for the whole request: a server that drips one byte a second is let
            # go of when it is over, however many reads it took.
            async with asyncio.timeout(self.cluster.timeout):
                response = await capped.request(
                    self._http,
                    method,
                    path,
                    limit,
                    what or f"the API server ({method} {path})",
                    params=params,
                    json=body,
                    headers=headers,
                    sink=sink,
                    hint=hint,
                    extensions=self._extensions,
                )
        except capped.TooLarge as error:
            raise KubeError(error.kind, str(error)) from error
        except TimeoutError as error:
            raise KubeError(
                "timeout",
                f"the API server {self.cluster.server} did not answer in time: {method} {path} "
                f"took over {self.cluster.timeout:g} s (--request-timeout)",
            ) from error
        except (httpx.LocalProtocolError, UnicodeEncodeError) as error:  # never quote a header
            raise KubeError(
                "connect", f"cannot reach the API server {self.cluster.server}: {HEADER_REFUSED}"
            ) from error
        except (httpx.HTTPError, httpx.InvalidURL) as error:
            raise describe_transport_error(error, self.cluster.server) from error
        if response.status_code >= 400:
            raise self._http_error(response, path)
        return response

    def _http_error(self, response: Response, path: str) -> KubeError:
        code = response.status_code
        message = _status_message(response)
        kind = {401: "unauthorized", 403: "forbidden", 404: "not-found"}.get(code, "http")
        if code == 401:
            message = (
                "the API server rejected the credentials (401 Unauthorized): the token "
                "is missing, wrong or expired; run `oc login` again"
            )
        return KubeError(kind, message, code)

    def _json(self, response: Response, what: str) -> Any:
        """The answer's JSON; anything else is named by what it is (an HTML login page of a
        proxy in front of the API server is the usual one)."""
        try:
            return json.loads(response.content)
        except ValueError as error:
            kind = response.headers.get("content-type", "unknown content")
            page = " (an HTML page: a login page or proxy?)" if "html" in kind.lower() else ""
            raise KubeError(
                "bad-response",
                f"{what} answered {kind}{page}, not JSON: is "
                f"{self.cluster.server} a Kubernetes API server?",
            ) from error

    @contextlib.asynccontextmanager
    async def stream(
        self, path: str, params: dict, read_timeout: float | None = None
    ) -> AsyncIterator[Response]:
        """A GET read as it arrives (a WATCH, a log follow): a read may wait `read_timeout` (None:
        for ever), the whole answer has no deadline. An HTTP error or a failed connection is a
        KubeError, as for any GET."""
        timeout = httpx.Timeout(self.cluster.timeout, read=read_timeout)
        try:
            async with self._http.stream(
                "GET", path, params=params, timeout=timeout, extensions=self._extensions
            ) as response:
                if response.status_code >= 400:
                    body = b""
                    async for chunk in response.aiter_bytes():  # a Status is small: 64 KiB at most
                        body += chunk
                        if len(body) > 65536:
                            break
                    answer = httpx.Response(response.status_code, content=body[:65536])
                    raise self._http_error(answer, path)
                yield response
        except ssl.SSLError as error:  # a read's TLS failure: httpcore passes it on as it is
            raise describe_transport_error(
                capped.tls_read_error(error), self.cluster.server
            ) from error
        except (httpx.LocalProtocolError, UnicodeEncodeError) as error:
            raise KubeError(
                "connect", f"cannot reach the API server {self.cluster.server}: {HEADER_REFUSED}"
            ) from error
        except (httpx.HTTPError, httpx.InvalidURL) as error:
            raise describe_transport_error(error, self.cluster.server) from error

    async def get_json(self, path: str, params: dict | None = None) -> Raw:
        response = await self._request("GET", path, params=params)
        data = self._json(response, path)
        if not isinstance(data, dict):
            raise KubeError("bad-response", f"{path} answered JSON that is not an object")
        return data

    async def list(
        self, path: str, *, label_selector: str = "", field_selector: str = "", limit: int = 500
    ) -> list[Raw]:
        """All items of a LIST, following `continue` pages."""
        selectors = {"label_selector": label_selector, "field_selector": field_selector}
        return (await self.list_versioned(path, limit=limit, **selectors))[0]

    async def list_versioned(self, path: str, **options: Any) -> tuple[builtins.list[Raw], str]:
        """All items of a LIST (`options`: pages()'s) and its resourceVersion, from which a
        watch misses no change."""
        items: builtins.list[Raw] = []
        versions: builtins.list[str] = []
        async for page in self.pages(path, on_version=versions.append, **options):
            items.extend(page)
        return items, next((v for v in reversed(versions) if v), "")

    async def list_parsed(
        self, path: str, parse: Callable[[Raw], T], *, label_selector: str = ""
    ) -> builtins.list[T]:
        """A LIST read straight into the typed model, page by page: each page's raw objects
        are dropped once parsed (never all held at once), and a page is parsed while the next
        one is on its way."""
        parsed: builtins.list[T] = []
        async for page in self.pages(path, label_selector=label_selector, compact=False):
            parsed.extend(parse(item) for item in page)
        return parsed

    async def pages(
        self,
        path: str,
        *,
        label_selector: str = "",
        field_selector: str = "",
        limit: int = 500,
        compact: bool = True,
        on_version: Callable[[str], None] | None = None,
    ) -> AsyncIterator[builtins.list[Raw]]:
        """The pages of a LIST (`limit` objects each, as kubectl asks), following `continue`;
        the next page is asked for before this one is handed over, so the server prepares it
        while the caller reads this one."""
        params: dict[str, Any] = {"limit": limit}
        if label_selector:
            params["labelSelector"] = label_selector
        if field_selector:
            params["fieldSelector"] = field_selector
        seen: set[str] = set()
        pending: asyncio.Task | None = asyncio.ensure_future(
            self._list_page(path, dict(params), compact)
        )
        try:
            while pending is not None:
                page, token, version = await pending
                pending = None
                if on_version is not None:
                    on_version(version)
                if token:
                    if token in seen:  # a server that hands back the same page would loop
                        raise KubeError(
                            "bad-response", f"{path}: the API server repeats a continue token"
                        )
                    seen.add(token)
                    params["continue"] = token
                    pending = asyncio.ensure_future(self._list_page(path, dict(params), compact))
                    for _ in range(PREFETCH_STEPS):  # let it write its request before we parse
                        await asyncio.sleep(0)
                yield page
        finally:  # a caller that stops early (or fails) leaves no request behind
            if pending is not None and not pending.done():
                pending.cancel()
            elif pending is not None and not pending.cancelled():
                pending.exception()  # a page nobody will read: its error is not reported

    async def _list_page(
        self, path: str, params: dict, compact: bool = True
    ) -> tuple[builtins.list[Raw], str, str]:
        """One page (items, continue token, resourceVersion), parsed item by item as it streams
        in (see checks.cluster.list_pages); the pages of a LIST kept whole (`compact`) share
        their repeated strings."""
        reader: ListReader | None = None  # only for a page that streams (ijson loads then)

        def sink(streamed: Response) -> Any:
            nonlocal reader
            json_answer = "json" in streamed.headers.get("content-type", "").lower()
            declared = streamed.headers.get("content-length", "")
            small = declared.isdigit() and int(declared) <= STREAM_ABOVE
            if streamed.status_code != 200 or not json_answer or small:
                return None
            reader = ListReader()
            return reader.feed

        try:
            response = await self._request("GET", path, params=params, sink=sink)
            if reader is None and not response.content:  # nothing at all: as before, unparsable
                reader = ListReader()
            if reader is None or (not reader.fed and response.content):  # not streamed
                data = self._json(response, path)
                if not isinstance(data, dict):
                    raise KubeError("bad-response", f"{path} answered JSON that is not an object")
                metadata = data.get("metadata")
                metadata = metadata if isinstance(metadata, dict) else {}
                token = str(metadata.get("continue") or "")
                items = [trimmed(i) for i in data.get("items") or []]
                if compact and (token or "continue" in params):  # a LIST of many pages
                    items = [interned(i) for i in items]
                return items, token, str(metadata.get("resourceVersion") or "")
            items, token = reader.finish()
            return items, token, reader.resource_version
        except ValueError as error:
            raise KubeError(
                "bad-response",
                f"{path} answered JSON that does not parse ({str(error)[:80]}): is "
                f"{self.cluster.server} a Kubernetes API server, or did a proxy cut the answer?",
            ) from error

    async def log(
        self,
        namespace: str,
        pod: str,
        container: str,
        *,
        tail_lines: int | None = None,
        previous: bool = False,
        limit_bytes: int | None = None,
        timestamps: bool = False,
    ) -> str:
        params: dict[str, Any] = {"container": container}
        if timestamps:
            params["timestamps"] = "true"
        if tail_lines is not None:
            params["tailLines"] = tail_lines
        if limit_bytes is not None:
            params["limitBytes"] = limit_bytes
        if previous:
            params["previous"] = "true"
        which = "previous " if previous else ""
        response = await self._request(
            "GET",
            f"/api/v1/namespaces/{namespace}/pods/{pod}/log",
            params=params,
            limit=capped.LOG_LIMIT,
            what=f"the API server, for the {which}log of {pod}/{container},",
            hint=" (read its last lines instead: t in the console, or kubectl logs --tail)",
        )
        return response.text

    async def review(self, group: str, plural: str, body: Raw, token: str | None = None) -> Raw:
        """POST to a review API (the only POSTs this tool makes: they change nothing)."""
        if plural not in (
            "selfsubjectaccessreviews",
            "selfsubjectreviews",
            "tokenreviews",
            "subjectaccessreviews",
            "selfsubjectrulesreviews",
        ):
            raise ValueError(f"{plural} is not a review API")
        response = await self._request("POST", f"/apis/{group}/v1/{plural}", body=body, token=token)
        answer = self._json(response, f"the {plural} review")
        if not isinstance(answer, dict):
            raise KubeError(
                "bad-response", f"the {plural} review answered JSON that is not an object"
            )
        return answer

    async def whoami(self) -> str:
        """The user name, from OpenShift's users/~ or the SelfSubjectReview API."""
        try:
            user = await self.get_json("/apis/user.openshift.io/v1/users/~")
            return str(user["metadata"]["name"])
        except (KubeError, KeyError):
            review = await self.review(
                "authentication.k8s.io",
                "selfsubjectreviews",
                {"apiVersion": "authentication.k8s.io/v1", "kind": "SelfSubjectReview"},
            )
            return str(review.get("status", {}).get("userInfo", {}).get("username", "unknown"))
