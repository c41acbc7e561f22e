"""An OCI registry look-alike on loopback: `/v2/`, manifests (HEAD/GET) and a token endpoint, with
the distribution spec's answers. A manifest request without a token gets 401 and a
`WWW-Authenticate: Bearer` challenge; `/token` gives a token only for the right Basic credentials;
an unknown repository or tag is 404 MANIFEST_UNKNOWN. Loopback registries are plain HTTP, as
Docker treats them.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from dataclasses import dataclass, field

from aiohttp import web

SERVICE = "lab-registry"
MANIFEST_TYPE = "application/vnd.oci.image.manifest.v1+json"


def _manifest(repository: str, tag: str) -> bytes:
    layer = hashlib.sha256(f"{repository}:{tag}".encode()).hexdigest()
    return json.dumps(
        {
            "schemaVersion": 2,
            "mediaType": MANIFEST_TYPE,
            "config": {
                "mediaType": "application/vnd.oci.image.config.v1+json",
                "digest": "sha256:" + hashlib.sha256(repository.encode()).hexdigest(),
                "size": 512,
            },
            "layers": [
                {
                    "mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
                    "digest": f"sha256:{layer}",
                    "size": 2048,
                }
            ],
        }
    ).encode()


@dataclass
class LabRegistry:
    """Repositories with their tags; one pull user; tokens it has issued."""

    repositories: dict[str, set[str]]
    username: str = "lab-puller"
    password: str = field(default_factory=lambda: secrets.token_urlsafe(12))
    host: str = ""  # 127.0.0.1:PORT once served
    _tokens: set[str] = field(default_factory=set)

    @property
    def basic(self) -> str:
        return base64.b64encode(f"{self.username}:{self.password}".encode()).decode()

    def docker_config(self, password: str | None = None) -> str:
        """A .dockerconfigjson for this registry (with another password: a wrong pull secret)."""
        raw = f"{self.username}:{self.password if password is None else password}"
        auth = base64.b64encode(raw.encode()).decode()
        return json.dumps({"auths": {self.host: {"auth": auth}}})

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/v2/", self._base)
        app.router.add_get("/token", self._token)
        app.router.add_route("*", "/v2/{name:.+}/manifests/{reference}", self._manifest)
        return app

    def _challenge(self, scope: str) -> web.Response:
        realm = f"http://{self.host}/token"
        header = f'Bearer realm="{realm}",service="{SERVICE}"'
        if scope:
            header += f',scope="{scope}"'
        body = {"errors": [{"code": "UNAUTHORIZED", "message": "authentication required"}]}
        return web.json_response(body, status=401, headers={"WWW-Authenticate": header})

    def _bearer_ok(self, request: web.Request) -> bool:
        auth = request.headers.get("Authorization", "")
        return auth.startswith("Bearer ") and auth[7:] in self._tokens

    async def _base(self, request: web.Request) -> web.Response:
        if not self._bearer_ok(request):
            return self._challenge("")
        return web.json_response({})

    async def _token(self, request: web.Request) -> web.Response:
        if request.headers.get("Authorization", "") != f"Basic {self.basic}":
            body = {"errors": [{"code": "UNAUTHORIZED", "message": "invalid username/password"}]}
            return web.json_response(body, status=401)
        token = secrets.token_urlsafe(24)
        self._tokens.add(token)
        return web.json_response({"token": token, "expires_in": 300})

    async def _manifest(self, request: web.Request) -> web.Response:
        if request.method not in ("GET", "HEAD"):
            return web.json_response({"errors": [{"code": "UNSUPPORTED"}]}, status=405)
        name, reference = request.match_info["name"], request.match_info["reference"]
        if not self._bearer_ok(request):
            return self._challenge(f"repository:{name}:pull")
        if reference not in self.repositories.get(name, set()):
            body = {"errors": [{"code": "MANIFEST_UNKNOWN", "message": "manifest unknown"}]}
            return web.json_response(body, status=404)
        manifest = _manifest(name, reference)
        digest = "sha256:" + hashlib.sha256(manifest).hexdigest()
        headers = {"Docker-Content-Digest": digest, "Content-Type": MANIFEST_TYPE}
        return web.Response(body=manifest, headers=headers)
