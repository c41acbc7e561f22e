"""The API client (httpx, set up by checks.cluster.api_http; bodies read by checks.transport.capped) against the
lab's API server and against a loopback socket server that answers exactly the bytes a test gives it (chunked, close-delimited,
gzip, a connection dropped mid-body, an idle connection closed by the server)."""

from __future__ import annotations

import asyncio
import gzip
from collections.abc import Callable
from pathlib import Path

import pytest

from checks.cluster import connect
from checks.cluster.api_http import api_client
from checks.cluster.connect import ClusterConfig, ConnectionOptions
from checks.cluster.kube import KubeClient
from checks.errors import KubeError
from checks.transport import capped
from checks.transport.capped import TooLarge

LIST = b'{"kind":"List","metadata":{},"items":[{"metadata":{"name":"a"}}]}'
Answer = Callable[[int], bytes]  # the n-th request on a connection -> the bytes sent back


def head(extra: str = "") -> bytes:
    return f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n{extra}\r\n".encode()


def chunked(body: bytes) -> bytes:
    middle = len(body) // 2
    parts = (body[:middle], body[middle:])
    return b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in parts) + b"0\r\n\r\n"


async def served(answer: Answer, close_after: int = 0) -> tuple[asyncio.Server, list[int]]:
    """A server on a free loopback port; `connections` counts the connections it accepted.
    With `close_after`, it closes each connection after that many answers."""
    connections: list[int] = []

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connections.append(1)
        try:
            for n in range(1, 1000):
                request = await reader.readuntil(b"\r\n\r\n")
                length = next(
                    (
                        int(line.split(b":")[1])
                        for line in request.split(b"\r\n")
                        if line.lower().startswith(b"content-length:")
                    ),
                    0,
                )
                await reader.readexactly(length)
                writer.write(answer(n))
                await writer.drain()
                if close_after and n >= close_after:
                    break
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    return server, connections


def url(server: asyncio.Server) -> str:
    return f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}"


async def get_json(answer: Answer, times: int = 1, close_after: int = 0) -> tuple[list, int]:
    server, connections = await served(answer, close_after)
    async with server, KubeClient(ClusterConfig(server=url(server), namespace="x")) as kube:
        found = [await kube.get_json("/api/v1/namespaces/x/pods") for _ in range(times)]
    return found, len(connections)


def test_lengths_chunks_close_delimited_and_gzip_bodies_read_whole() -> None:
    packed = gzip.compress(LIST)
    answers: list[Answer] = [
        lambda n: head(f"Content-Length: {len(LIST)}\r\n") + LIST,
        lambda n: head("Transfer-Encoding: chunked\r\n") + chunked(LIST),
        lambda n: head("Connection: close\r\n") + LIST,  # no length: the body ends at close
        lambda n: head(f"Content-Encoding: gzip\r\nContent-Length: {len(packed)}\r\n") + packed,
    ]
    for answer in answers:
        found, _ = asyncio.run(get_json(answer, close_after=1))
        assert found == [{"kind": "List", "metadata": {}, "items": [{"metadata": {"name": "a"}}]}]


def test_keep_alive_reuses_one_connection() -> None:
    answer = lambda n: head(f"Content-Length: {len(LIST)}\r\n") + LIST  # noqa: E731
    found, connections = asyncio.run(get_json(answer, times=3))
    assert len(found) == 3 and connections == 1


def test_an_idle_connection_the_server_closed_is_replaced() -> None:
    answer = lambda n: head(f"Content-Length: {len(LIST)}\r\n") + LIST  # noqa: E731
    found, connections = asyncio.run(get_json(answer, times=3, close_after=1))
    assert len(found) == 3 and connections == 3


@pytest.mark.parametrize(
    "body",
    [
        head("Content-Length: 500\r\n") + LIST[:20],
        head("Transfer-Encoding: chunked\r\n") + chunked(LIST)[:30],
    ],
    ids=["content-length", "chunked"],
)
def test_a_server_that_drops_mid_body_cut_its_answer_short(body: bytes) -> None:
    with pytest.raises(KubeError) as caught:
        asyncio.run(get_json(lambda n: body, close_after=1))
    assert caught.value.kind == "truncated"
    assert "cut its answer short" in str(caught.value)


def test_a_body_over_the_cap_is_stopped_declared_or_streamed() -> None:
    big = b"x" * 5000

    async def read(answer: Answer) -> None:
        server, _ = await served(answer, close_after=1)
        http = api_client(ClusterConfig(server=url(server), namespace="x"))
        async with server, http:
            await capped.request(http, "GET", "/x", 1000, "the test server")

    for answer in (
        lambda n: head(f"Content-Length: {len(big)}\r\n") + big,
        lambda n: head("Transfer-Encoding: chunked\r\n") + chunked(big),
        lambda n: head("Content-Encoding: gzip\r\nConnection: close\r\n") + gzip.compress(big),
    ):
        with pytest.raises(TooLarge, match="the test server answered more than 0 MiB"):
            asyncio.run(read(answer))


def test_selectors_and_review_posts_reach_the_lab_as_written(kubeconfig: Path) -> None:
    """`=`, `,` and `in (…)` in a labelSelector arrive as the API server parses them, and a
    review POST carries its JSON body (the lab answers who we are)."""
    cluster = connect.resolve(ConnectionOptions(kubeconfig=str(kubeconfig), context="lab-admin"))
    pods = "/api/v1/namespaces/iris-project/pods"
    chosen = "modelmesh-service=modelmesh-serving,app.kubernetes.io/managed-by in (x,"

    async def ask() -> tuple[int, int, int, str]:
        async with KubeClient(cluster) as kube:
            every = await kube.list(pods)
            both = await kube.list(pods, label_selector=chosen + "modelmesh-controller)")
            neither = await kube.list(pods, label_selector=chosen + "y)")
            review = await kube.review(
                "authentication.k8s.io",
                "selfsubjectreviews",
                {"apiVersion": "authentication.k8s.io/v1", "kind": "SelfSubjectReview"},
            )
            return len(every), len(both), len(neither), review["status"]["userInfo"]["username"]

    every, both, neither, user = asyncio.run(ask())
    assert every >= both >= 1 and neither == 0
    assert user == "lab-admin"


def test_a_proxy_in_the_environment_is_used_unless_no_proxy_names_the_server(
    kubeconfig: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """HTTPS_PROXY and NO_PROXY work as with httpx before (httpx carries them): a proxy that
    refuses is met, and NO_PROXY for the server's address goes around it."""
    from tests.helpers.faults import closed_port

    cluster = connect.resolve(ConnectionOptions(kubeconfig=str(kubeconfig), context="lab-admin"))

    async def version() -> dict:
        async with KubeClient(cluster) as kube:
            return await kube.get_json("/version")

    monkeypatch.setenv("HTTPS_PROXY", f"http://127.0.0.1:{closed_port()}")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    with pytest.raises(KubeError, match="refused"):
        asyncio.run(version())
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    assert "gitVersion" in asyncio.run(version())


def test_a_gzip_bomb_is_stopped_while_it_inflates() -> None:
    """200 MiB of zeros sent as ~200 KiB of gzip: inflated never more than the cap at once, so
    the memory this takes stays near the cap (httpx's own decoder would inflate each 64 KiB
    read whole: ~64 MiB at a time)."""
    import tracemalloc

    bomb = gzip.compress(b"\0" * (200 * 1024 * 1024), compresslevel=9)
    answer = lambda n: head(f"Content-Encoding: gzip\r\nContent-Length: {len(bomb)}\r\n") + bomb  # noqa: E731

    async def read() -> None:
        server, _ = await served(answer, close_after=1)
        http = api_client(ClusterConfig(server=url(server), namespace="x"))
        async with server, http:
            await capped.request(http, "GET", "/x", 1024 * 1024, "the test server")

    tracemalloc.start()
    try:
        with pytest.raises(TooLarge, match="the test server answered more than 1 MiB"):
            asyncio.run(read())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 16 * 1024 * 1024, f"{peak / 1024 / 1024:.0f} MiB held while inflating"
