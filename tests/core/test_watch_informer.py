"""The informer against the lab's real API server: LIST once then WATCH; a restart arrives as a
change with no LIST; a dropped connection resumes from the last resourceVersion; after the lab
compacts its history a resumed watch is answered 410 Gone and the informer lists again."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

import pytest

from checks.cluster import connect
from checks.cluster.connect import ConnectionOptions
from checks.cluster.informers import Informers
from checks.cluster.kind_lists import list_kind_versioned
from checks.cluster.kube import KubeClient
from checks.cluster.live_project import LiveProject
from checks.cluster.snapshot import load_snapshot
from checks.cluster.watch import Change, Informer, key_of
from checks.cluster.watch_lines import WatchLineError, events
from tests.helpers.lab_control import lab_get, lab_post, lab_requests

NAMESPACE = "iris-project"


def kube_of(info: dict) -> KubeClient:
    options = ConnectionOptions(kubeconfig=info["kubeconfig"], context="lab-admin")
    return KubeClient(connect.resolve(options))


def a_pod(info: dict, namespace: str = NAMESPACE) -> str:
    return lab_get(info, f"/api/v1/namespaces/{namespace}/pods")["items"][0]["metadata"]["name"]


async def until(condition: Callable[[], bool], what: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        await asyncio.sleep(0.05)


def restarts(informer: Informer, pod: str) -> int:
    obj = informer.items.get((NAMESPACE, pod)) or {}
    return int(obj.get("status", {}).get("containerStatuses", [{}])[0].get("restartCount") or 0)


def test_a_restart_arrives_through_the_watch_without_another_list(own_lab: dict) -> None:
    pod = a_pod(own_lab)

    async def go() -> list[Change]:
        kube = kube_of(own_lab)
        informers, heard = Informers(kube), []
        sub = informers.subscribe("pods", NAMESPACE, lambda _i, c: c and heard.append(c))
        try:
            informer = sub.informer
            await until(lambda: informer.watching, "the watch")
            before = restarts(informer, pod)
            await asyncio.to_thread(
                lab_post,
                own_lab,
                "restart",
                {"namespace": NAMESPACE, "name": pod, "reason": "OOMKilled"},
            )
            await until(lambda: restarts(informer, pod) == before + 1, "the restart")
            assert informer.lists == 1
            return [c for c in heard if c.type == "MODIFIED"]
        finally:
            sub.close()
            await informers.close()
            await kube.aclose()

    modified = asyncio.run(go())
    assert modified and modified[-1].obj["metadata"]["name"] == pod
    assert modified[-1].before is not None


def test_one_informer_per_kind_and_scope_is_shared(own_lab: dict) -> None:
    async def go() -> None:
        kube = kube_of(own_lab)
        informers = Informers(kube)
        first = informers.subscribe("pods", NAMESPACE, lambda *_: None)
        second = informers.subscribe("pods", NAMESPACE, lambda *_: None)
        other = informers.subscribe("pods", None, lambda *_: None)
        assert first.informer is second.informer and other.informer is not first.informer
        first.close()
        assert informers.running() == [second.informer, other.informer]
        second.close()
        other.close()
        assert informers.running() == []
        await informers.close()
        await kube.aclose()

    asyncio.run(go())


def test_a_dropped_connection_resumes_from_the_last_resource_version(own_lab: dict) -> None:
    pod = a_pod(own_lab)

    async def go() -> None:
        kube = kube_of(own_lab)
        informers = Informers(kube)
        sub = informers.subscribe("pods", NAMESPACE, lambda *_: None)
        informer = sub.informer
        try:
            await until(lambda: informer.watching, "the watch")
            version = informer.resource_version
            path = informer.path
            await asyncio.to_thread(lab_post, own_lab, "drop-watches")
            resumed = f"{path}?resourceVersion="

            def watched_again() -> bool:
                seen = lab_requests(own_lab)["watches"]
                return sum(1 for w in seen if w.startswith(resumed) and not w.endswith("=")) >= 2

            await until(watched_again, "a second watch")
            assert f"{path}?resourceVersion={version}" in lab_requests(own_lab)["watches"] or (
                informer.resource_version != version  # a bookmark moved it on meanwhile
            )
            before = restarts(informer, pod)
            await asyncio.to_thread(
                lab_post, own_lab, "restart", {"namespace": NAMESPACE, "name": pod}
            )
            await until(lambda: restarts(informer, pod) == before + 1, "the restart after the drop")
            assert informer.lists == 1
        finally:
            sub.close()
            await informers.close()
            await kube.aclose()

    asyncio.run(go())


def test_after_compaction_a_resumed_watch_is_gone_and_the_informer_lists_again(
    own_lab: dict,
) -> None:
    pods = lab_get(own_lab, "/api/v1/pods")["items"]
    other = next(p["metadata"] for p in pods if p["metadata"]["namespace"] != NAMESPACE)
    elsewhere = (other["namespace"], other["name"])
    pod = a_pod(own_lab)

    async def go() -> None:
        kube = kube_of(own_lab)
        informers = Informers(kube)
        sub = informers.subscribe("pods", NAMESPACE, lambda *_: None)
        informer = sub.informer
        try:
            await until(lambda: informer.watching, "the watch")
            for _attempt in range(5):  # a bookmark landing in between moves it past compaction
                lists = informer.lists

                def listed_again(lists: int = lists) -> bool:
                    return informer.lists > lists

                # a change it does not see, then compaction: its resourceVersion is now too old
                await asyncio.to_thread(
                    lab_post, own_lab, "restart", {"namespace": elsewhere[0], "name": elsewhere[1]}
                )
                await asyncio.to_thread(lab_post, own_lab, "compact")
                await asyncio.to_thread(lab_post, own_lab, "drop-watches")
                try:
                    await until(listed_again, "a LIST after 410", timeout=10)
                    break
                except AssertionError:
                    continue
            assert informer.lists >= 2
            await until(lambda: informer.watching, "the watch after the LIST")
            before = restarts(informer, pod)
            await asyncio.to_thread(
                lab_post, own_lab, "restart", {"namespace": NAMESPACE, "name": pod}
            )
            await until(lambda: restarts(informer, pod) == before + 1, "the restart after 410")
        finally:
            sub.close()
            await informers.close()
            await kube.aclose()

    asyncio.run(go())


def test_from_a_snapshots_list_the_watch_misses_no_change_and_lists_nothing(
    own_lab: dict,
) -> None:
    """Seeded with a LIST made before a restart, the informer's watch (from that LIST's
    resourceVersion) brings the restart; it never LISTs itself."""
    pod = a_pod(own_lab)

    async def go() -> None:
        kube = kube_of(own_lab)
        informers = Informers(kube)
        try:
            seed = await list_kind_versioned(kube, "pods", NAMESPACE)
            informer_view = {key_of(item): item for item in seed[0]}
            before = int(
                informer_view[(NAMESPACE, pod)]["status"]["containerStatuses"][0]["restartCount"]
            )
            await asyncio.to_thread(
                lab_post, own_lab, "restart", {"namespace": NAMESPACE, "name": pod}
            )
            sub = informers.subscribe("pods", NAMESPACE, lambda *_: None, seed)
            informer = sub.informer
            assert informer.synced.is_set()  # its LIST is the seed's
            await until(lambda: restarts(informer, pod) == before + 1, "the restart, watched")
            assert informer.lists == 0
            sub.close()
        finally:
            await informers.close()
            await kube.aclose()

    asyncio.run(go())


def test_a_project_watched_from_its_read_holds_what_the_read_showed_once_each(
    own_lab: dict,
) -> None:
    """Seeded with the snapshot a face just read, the live project shows the same objects:
    none twice, none missing. In wrong-path the model is Serverless: its route lives in the
    mesh's namespace, and the read adds it to the project's routes; the live project is not
    synced (nor healthy) before the mesh's routes are listed (CI run 52 caught one without)."""
    project = "wrong-path"

    async def go() -> None:
        kube = kube_of(own_lab)
        informers = Informers(kube)
        try:
            read = await load_snapshot(kube, project)
            assert any(key_of(r)[0] == "istio-system" for r in read.raw["routes"])
            live = LiveProject(informers, project, lambda _change: None, seed=read)
            # Every project kind is seeded, the mesh's routes are not: not read yet (a face
            # taking a snapshot now would find the Serverless model without its route)
            assert not live.synced
            await until(lambda: live.synced, "the mesh's routes")
            mesh = [key_of(r) for r in live.snapshot().raw["routes"]]
            assert ("istio-system", "fraud-wrong-path") in mesh
            await until(lambda: live.healthy, "the watches")
            watched = live.snapshot()
            for kind, items in read.raw.items():
                assert sorted(map(key_of, watched.raw.get(kind, []))) == sorted(
                    map(key_of, items)
                ), kind
            assert all(informer.lists == 0 for informer in live.informers)
            live.close()
        finally:
            await informers.close()
            await kube.aclose()

    asyncio.run(go())


def test_a_seed_older_than_the_servers_history_is_listed_again(own_lab: dict) -> None:
    pods = lab_get(own_lab, "/api/v1/pods")["items"]
    other = next(p["metadata"] for p in pods if p["metadata"]["namespace"] != NAMESPACE)

    async def go() -> None:
        kube = kube_of(own_lab)
        informers = Informers(kube)
        try:
            seed = await list_kind_versioned(kube, "pods", NAMESPACE)
            await asyncio.to_thread(
                lab_post,
                own_lab,
                "restart",
                {"namespace": other["namespace"], "name": other["name"]},
            )
            await asyncio.to_thread(lab_post, own_lab, "compact")
            sub = informers.subscribe("pods", NAMESPACE, lambda *_: None, seed)
            informer = sub.informer
            await until(lambda: informer.lists == 1 and informer.watching, "a LIST after 410")
            assert informer.items.keys() == {key_of(item) for item in seed[0]}
            sub.close()
        finally:
            await informers.close()
            await kube.aclose()

    asyncio.run(go())


async def _chunks(*parts: bytes):
    for part in parts:
        yield part


async def _all(parts: tuple[bytes, ...], max_line: int = 1024) -> list:
    return [e async for e in events(_chunks(*parts), max_line)]


def test_watch_lines_split_across_chunks() -> None:
    found = asyncio.run(
        _all(
            (
                b'{"type":"ADDED","object":{"metadata":{"name":"a","resourceVersion":"5"}}}\n{"ty',
                b'pe":"BOOKMARK","object":{"metadata":{"resourceVersion":"9"}}}\n',
            )
        )
    )
    assert [(e.type, e.resource_version) for e in found] == [("ADDED", "5"), ("BOOKMARK", "9")]


@pytest.mark.parametrize(
    ("parts", "said"),
    [
        ((b"x" * 5000,), "over"),  # no newline ever: the buffer stops at the cap
        ((b"not json\n",), "not JSON"),
        ((b'{"type":"EXPLODE","object":{}}\n',), "unknown type"),
        ((b'{"type":"ADDED","object":{"metadata":"x"}}\n',), "no metadata"),
        ((b"[1,2]\n",), "without an object"),
    ],
)
def test_hostile_watch_lines_are_one_line_errors(parts: tuple[bytes, ...], said: str) -> None:
    with pytest.raises(WatchLineError) as caught:
        asyncio.run(_all(parts))
    assert said in str(caught.value) and "\n" not in str(caught.value)
