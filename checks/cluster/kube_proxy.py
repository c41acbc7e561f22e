"""The API server through a proxy named in the environment (HTTPS_PROXY, HTTP_PROXY, ALL_PROXY,
with NO_PROXY): httpx carries it, as it always did, behind checks.cluster.wire's interface. httpx is
imported only here, and only when such a variable is set."""

from __future__ import annotations

import ssl
from collections.abc import Callable
from typing import Any

from checks.cluster.wire import Response, Sink, WireError, WireTimeout
from checks.transport import capped


class ProxiedClient:
    """httpx.AsyncClient with the environment's proxies, answering checks.cluster.wire Responses."""

    def __init__(
        self,
        base_url: str,
        *,
        headers: dict[str, str],
        ssl_context: Callable[[], ssl.SSLContext] | None,
        timeout: float,
        connections: int = 100,
    ) -> None:
        import httpx

        verify: ssl.SSLContext | bool = ssl_context() if ssl_context is not None else False
        self._httpx = httpx
        self._http = httpx.AsyncClient(  # no transport given: httpx mounts the proxies itself
            base_url=base_url,
            headers=headers,
            verify=verify,
            timeout=httpx.Timeout(timeout),
            limits=httpx.Limits(max_connections=connections, max_keepalive_connections=connections),
            trust_env=True,
        )

    def build_request(self, method: str, path: str, **kwargs: Any) -> Any:
        return self._http.build_request(method, path, **kwargs)

    async def request(
        self,
        method: str,
        path: str,
        *,
        limit: int,
        what: str,
        hint: str = "",
        params: dict | None = None,
        json: Any = None,
        headers: dict[str, str] | None = None,
        sink: Sink | None = None,
    ) -> Response:
        httpx = self._httpx
        try:
            answer = await capped.request(
                self._http,
                method,
                path,
                limit,
                what,
                params=params,
                json=json,
                headers=headers,
                sink=sink,  # type: ignore[arg-type]  # reads .status_code and .headers only
                hint=hint,
            )
        except httpx.TimeoutException as error:
            raise WireTimeout(str(error) or type(error).__name__) from error
        except httpx.HTTPError as error:
            raise WireError(str(error) or type(error).__name__) from error
        headers_seen = {k.lower(): v for k, v in answer.headers.items()}
        return Response(answer.status_code, headers_seen, answer.content)

    async def aclose(self) -> None:
        await self._http.aclose()
