"""The lab's WATCH behaves as kube-apiserver's: bookmarks when asked for (the last one before
the timeout ends the stream), and after etcd's compaction a watch from an older
resourceVersion gets one ERROR event with a 410 Status ("too old resource version")."""

from __future__ import annotations

import json

import httpx

from tests.helpers import lab_tls
from tests.helpers.lab_control import lab_get, lab_post

PODS = "/api/v1/namespaces/iris-project/pods"


def watch_lines(lab: dict, **params: str) -> list[dict]:
    answer = httpx.get(
        f"{lab['api']}{PODS}",
        params={"watch": "true", **params},
        headers={"Authorization": f"Bearer {lab['tokens']['lab-admin']}"},
        verify=lab_tls(lab),
        timeout=60,
    )
    assert answer.status_code == 200
    return [json.loads(line) for line in answer.text.splitlines() if line.strip()]


def test_a_watch_with_bookmarks_ends_with_one_at_the_current_version(own_lab: dict) -> None:
    version = lab_get(own_lab, PODS)["metadata"]["resourceVersion"]
    events = watch_lines(
        own_lab, resourceVersion=version, allowWatchBookmarks="true", timeoutSeconds="1"
    )
    assert events and events[-1]["type"] == "BOOKMARK"
    bookmark = events[-1]["object"]
    assert bookmark["kind"] == "Pod" and int(bookmark["metadata"]["resourceVersion"]) >= int(
        version
    )
    assert all(e["type"] == "BOOKMARK" for e in events)  # nothing changed: no objects


def test_without_bookmarks_asked_none_are_sent(own_lab: dict) -> None:
    version = lab_get(own_lab, PODS)["metadata"]["resourceVersion"]
    assert watch_lines(own_lab, resourceVersion=version, timeoutSeconds="1") == []


def test_after_compaction_an_old_resource_version_is_410_gone(own_lab: dict) -> None:
    old = lab_get(own_lab, PODS)
    pod = old["items"][0]["metadata"]["name"]
    lab_post(own_lab, "restart", {"namespace": "iris-project", "name": pod})
    compacted = lab_post(own_lab, "compact")["compacted"]
    events = watch_lines(own_lab, resourceVersion=old["metadata"]["resourceVersion"])
    assert [e["type"] for e in events] == ["ERROR"]
    status = events[0]["object"]
    assert status["code"] == 410 and status["reason"] == "Expired"
    assert status["message"] == (
        f"too old resource version: {old['metadata']['resourceVersion']} ({compacted})"
    )
    # from the compaction on, a watch resumes fine
    assert watch_lines(own_lab, resourceVersion=str(compacted), timeoutSeconds="1") == []
