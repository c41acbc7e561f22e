"""Discovery as kube-apiserver answers it: version, API groups and resource lists, so the official client's DynamicClient works."""

from __future__ import annotations

from aiohttp import web

from lab.kube.errors import PATH_NOT_FOUND
from lab.kube.kinds import KINDS, REVIEWS, group_versions


class Discovery:
    # -- discovery ------------------------------------------------------------------------
    async def _version(self, request: web.Request) -> web.Response:
        return web.json_response(
            {
                "major": "1",
                "minor": "31",
                "gitVersion": "v1.31.0+rhoai-lab",
                "gitCommit": "lab",
                "gitTreeState": "clean",
                "buildDate": "2026-01-01T00:00:00Z",
                "goVersion": "go1.22",
                "compiler": "gc",
                "platform": "linux/amd64",
            }
        )

    async def _core_versions(self, request: web.Request) -> web.Response:
        self._user(request)
        return web.json_response(
            {"kind": "APIVersions", "versions": ["v1"], "serverAddressByClientCIDRs": []}
        )

    async def _api_groups(self, request: web.Request) -> web.Response:
        self._user(request)
        groups = [
            {
                "name": name,
                "versions": [{"groupVersion": f"{name}/{v}", "version": v} for v in versions],
                "preferredVersion": {
                    "groupVersion": f"{name}/{versions[-1]}",
                    "version": versions[-1],
                },
            }
            for name, versions in group_versions().items()
        ]
        return web.json_response({"kind": "APIGroupList", "apiVersion": "v1", "groups": groups})

    def _resource_list(self, group: str, version: str) -> web.Response:
        kinds = [k for k in (*KINDS, *REVIEWS) if (k.group, k.version) == (group, version)]
        if not kinds:
            raise PATH_NOT_FOUND
        return web.json_response(
            {
                "kind": "APIResourceList",
                "apiVersion": "v1",
                "groupVersion": f"{group}/{version}" if group else version,
                "resources": [k.discovery_entry() for k in kinds]
                + [
                    {
                        "name": "pods/log",
                        "singularName": "",
                        "namespaced": True,
                        "kind": "Pod",
                        "verbs": ["get"],
                    }
                ]
                * (group == "" and version == "v1"),
            }
        )
