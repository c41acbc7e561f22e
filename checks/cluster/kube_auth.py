"""The API server's bearer token as client-go keeps it fresh: an exec plugin's token is reused
until its expirationTimestamp and the plugin run again after it (or on a 401, once); a
tokenFile (a projected service account token the kubelet rotates) is read again when the file
changes (or on a 401, once). The token goes only on requests of the API client this is the
auth of: relative to the API server's URL, redirects never followed."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncGenerator

import httpx

from checks.cluster.connect import ClusterConfig
from checks.cluster.local_input import check_token
from checks.errors import DoctorError, KubeError


class TokenSource:
    """A fixed token (--token, a kubeconfig `token:`): nothing to renew."""

    def __init__(self, token: str | None) -> None:
        self._token = token

    async def token(self) -> str | None:
        return self._token

    async def renewed(self, rejected: str | None) -> str | None:
        """A token other than `rejected` after a 401, or None: then the 401 stands."""
        return None


class FileToken(TokenSource):
    """A token file, read again when its modification time or size changes."""

    def __init__(self, path: str, token: str | None) -> None:
        super().__init__(token)
        self._path = path
        self._seen = self._stamp()

    def _stamp(self) -> tuple[int, int] | None:
        try:
            found = os.stat(self._path)
        except OSError:
            return None
        return found.st_mtime_ns, found.st_size

    def _read(self) -> str | None:
        from checks.cluster.kubeconfig import read_token_file

        what = f"the token file {self._path}"
        token = read_token_file(self._path, what) or None
        if token:
            check_token(token, what, "write the token alone into it")
        return token

    async def token(self) -> str | None:
        stamp = self._stamp()
        if stamp is not None and stamp != self._seen:
            self._seen = stamp
            self._token = self._read()
        return self._token

    async def renewed(self, rejected: str | None) -> str | None:
        self._seen = self._stamp()
        self._token = self._read()
        return self._token if self._token != rejected else None


class ExecToken(TokenSource):
    """An exec plugin's token, cached until it expires; one plugin run at a time however many
    requests find it expired together."""

    def __init__(self, cluster: ClusterConfig) -> None:
        super().__init__(cluster.token)
        assert cluster.exec_plugin is not None
        self._plugin = cluster.exec_plugin
        self._expires = cluster.token_expires
        self._lock = asyncio.Lock()

    async def _run(self, unless_not: str | None) -> str | None:
        """Run the plugin, unless another request did so since `unless_not` was handed out."""
        from checks.cluster import exec_credential

        async with self._lock:
            if self._token != unless_not:
                return self._token
            try:
                credential = await asyncio.to_thread(exec_credential.run, self._plugin)
            except DoctorError as error:
                raise KubeError("unauthorized", str(error)) from error
            if credential.token:
                check_token(credential.token, f"the token the {self._plugin.what} gave")
            self._token, self._expires = credential.token, credential.expires
            return self._token

    async def token(self) -> str | None:
        import time

        if self._expires is not None and time.time() >= self._expires:
            return await self._run(self._token)
        return self._token

    async def renewed(self, rejected: str | None) -> str | None:
        fresh = await self._run(rejected)
        return fresh if fresh != rejected else None


def token_source(cluster: ClusterConfig) -> TokenSource:
    if cluster.exec_plugin is not None:
        return ExecToken(cluster)
    if cluster.token_file:
        return FileToken(cluster.token_file, cluster.token)
    return TokenSource(cluster.token)


class BearerAuth(httpx.Auth):
    """Bearer token on each request; after a 401, one more try with a renewed token. A request
    that carries its own Authorization (a review made as another user) is left alone."""

    def __init__(self, source: TokenSource) -> None:
        self.source = source

    async def async_auth_flow(
        self, request: httpx.Request
    ) -> AsyncGenerator[httpx.Request, httpx.Response]:
        if "authorization" in request.headers:
            yield request
            return
        token = await self.source.token()
        if token:
            request.headers["Authorization"] = f"Bearer {token}"
        response = yield request
        if response.status_code != 401:
            return
        fresh = await self.source.renewed(token)
        if fresh:
            request.headers["Authorization"] = f"Bearer {fresh}"
            yield request
