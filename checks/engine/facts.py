"""Facts several checks (and the request builder) share: the S3 listing under the model's path,
the ONNX signature, the model's token, its external URL and the server's own metadata.

Each is fetched once per context (memoised). A fact that cannot be had for a reason outside the
check (no connection, secrets not readable) raises `Unmet`, which the engine reports as a skip with
that reason, never as an error."""

from __future__ import annotations

import asyncio
import hashlib
import re
from dataclasses import replace
from typing import Any

from checks import resources
from checks.engine import login_token
from checks.engine.context import CheckContext
from checks.engine.login_token import LoginTokenOffer
from checks.errors import DoctorError, ErrorKind, KubeError, Unmet
from checks.knowledge import generative
from checks.knowledge.vllm_runtime import generative_setup
from checks.storage import landing as model_dir
from checks.storage import s3_config
from checks.storage.s3 import Listing, Storage
from checks.storage.s3_trust import CA_KEY


def storage(ctx: CheckContext) -> Storage:
    """S3 through the deployment's data connection, configured as its storage initializer is:
    from its storage-config entry, else the Secret its service account lists (§5.1); the CA
    bundle ConfigMap's PEM once `s3` has read it."""
    dep = ctx.isvc
    if not dep.storage_key and dep.storage_uri:
        raise Unmet(f"the model comes from storageUri {dep.storage_uri}, not a data connection")
    connection = ctx.connection
    if connection is None:
        if "secrets" in ctx.snapshot.errors:
            raise Unmet(ctx.snapshot.error_line("secrets") or "secrets are not readable")
        raise Unmet(f'no data connection "{dep.storage_key or "default"}" in {dep.namespace}')
    if connection.protocol != "s3":
        raise Unmet(f"{connection.name} is a {connection.kind_label} connection, not S3")
    target = ctx.derived("s3-target", lambda: _target(ctx, dep, connection))
    if not target.ca_configmap:
        return ctx.derived("storage", lambda: Storage(target))
    pem, note = ctx.known(f"ca-configmap:{target.ca_configmap}") or ("", "was not read")
    return ctx.derived(
        ("storage", pem, note),
        lambda: Storage(replace(target, ca_configmap_pem=pem, ca_configmap_note=note)),
    )


def _target(
    ctx: CheckContext, dep: resources.Deployment, connection: resources.DataConnection
) -> s3_config.S3Target:
    entry = ctx.storage_entry()
    if dep.credentials_from_storage_config and entry is not None and entry.parsed is not None:
        target = s3_config.from_entry(entry, dep.storage_bucket, ctx.options.s3_ca)
        target = replace(target, bucket=target.bucket or connection.bucket)
    else:
        bucket = dep.storage_bucket or connection.bucket
        target = s3_config.from_service_account(connection, bucket, ctx.options.s3_ca)
    return replace(target, timeout=ctx.options.http_timeout, overrides=tuple(ctx.routes.rules))


async def _ca_configmap(ctx: CheckContext, name: str) -> tuple[str, str]:
    """(PEM, why not): the cabundle.crt of the ConfigMap the pod mounts, read with one GET."""

    async def read() -> tuple[str, str]:
        try:
            raw = await ctx.kube.get_json(f"/api/v1/namespaces/{ctx.namespace}/configmaps/{name}")
        except KubeError as error:
            return "", f"could not be read: {error}"
        pem = str((raw.get("data") or {}).get(CA_KEY, "") or "")
        return pem, "" if pem else f"has no {CA_KEY}"

    key = f"ca-configmap:{name}"
    return await ctx.fact(key, read, shared_as=key)  # type: ignore[no-any-return]


async def s3(ctx: CheckContext) -> Storage:
    """`storage`, after reading the CA bundle ConfigMap the pod would verify TLS with."""
    found = storage(ctx)
    target = found.target
    if target.ca_configmap and target.tls and target.verify:
        try:
            await _ca_configmap(ctx, target.ca_configmap)
        except Unmet:  # a replayed capture without it: verified (or not) without its PEM
            pass
        found = storage(ctx)
    return found


async def _s3_io(ctx: CheckContext, s3_: Storage, function: Any, *args: Any) -> Any:
    """S3 work within --request-timeout; boto3's import and client set-up come first, outside
    the deadline (local work, however loaded the machine)."""
    await asyncio.to_thread(s3_.prepare)
    return await ctx.in_thread(function, *args)


def bucket(ctx: CheckContext) -> str:
    return storage(ctx).target.bucket


async def bucket_access(ctx: CheckContext) -> None:
    """Do S3 and the bucket accept the connection's credentials? Raises StorageError."""
    s3_ = await s3(ctx)
    connection = ctx.connection.name if ctx.connection is not None else ""
    same = f"bucket:{connection}:{s3_.target.endpoint}:{s3_.target.bucket}"
    await ctx.fact("bucket", lambda: _s3_io(ctx, s3_, s3_.check_bucket), shared_as=same)


async def s3_settings(ctx: CheckContext) -> list[str]:
    """Evidence: where the S3 settings came from and how the pod's boto3 uses them, plus a line
    when this machine's trust store disagrees with the pod's CA bundle ConfigMap."""
    s3_ = await s3(ctx)
    lines = s3_.settings()
    if s3_.target.ca_configmap_pem and s3_.target.tls and s3_.target.verify:
        note = await ctx.fact("s3-local-trust", lambda: _s3_io(ctx, s3_, s3_.local_disagrees))
        lines += [note] if note else []
    return lines


async def nearest_prefixes(ctx: CheckContext, path: str) -> tuple[str, list[str]]:
    """(parent, entries): what exists nearest to a path that holds nothing."""
    s3_ = await s3(ctx)
    return await ctx.fact("nearest", lambda: _s3_io(ctx, s3_, s3_.nearest_prefixes, path))


async def file_head(ctx: CheckContext, key: str) -> bytes:
    """The first 16 bytes of an object: enough to tell a pickle, a zip or HTML apart."""
    s3_ = await s3(ctx)
    return await ctx.fact(f"head:{key}", lambda: _s3_io(ctx, s3_, s3_.read_range, key, 0, 15))


def platform(ctx: CheckContext) -> model_dir.Platform:
    """What decides which files land and which one is loaded: the platform and the runtime."""
    return ctx.derived("platform", lambda: _platform(ctx))


def _platform(ctx: CheckContext) -> model_dir.Platform:
    dep, server = ctx.deployment, ctx.server
    if is_generative(ctx) or generative_setup(ctx.snapshot, dep) is not None:
        runtime = "vllm"
    elif (
        server is None
        or any("openvino" in i or "ovms" in i for i in server.images)
        or server.template.endswith("ovms")
    ):
        runtime = "ovms"
    else:
        runtime = "other"
    kind = model_dir.MODELMESH if dep.platform == resources.MODELMESH else model_dir.KSERVE
    image = next(
        (c.image for pod in ctx.pods for c in pod.containers if c.name == "storage-initializer"),
        "",
    )
    failure = getattr(dep, "failure", None)  # ModelMesh names its model id in the failure
    seen = re.search(r"/models/([^/\s]+)/", failure.message) if failure is not None else None
    model_id = seen.group(1) if seen and kind == model_dir.MODELMESH else ""
    return model_dir.Platform(kind, runtime, model_dir.initializer_rules(image), model_id)


async def listing(ctx: CheckContext) -> Listing:
    """Every object under the prefix the storage initializer or the puller lists."""
    s3_ = await s3(ctx)
    prefix = model_dir.listing_prefix(ctx.deployment.storage_path, platform(ctx))
    same = f"listing:{prefix}:{s3_.target.same_requests()}"  # once for the project's alike
    return await ctx.fact("listing", lambda: _s3_io(ctx, s3_, s3_.list, prefix), shared_as=same)


async def landing(ctx: CheckContext) -> model_dir.Landing:
    """What lands in the model directory and which file the runtime loads (never another
    model's file, never one the runtime does not download)."""
    found = await listing(ctx)

    def land() -> model_dir.Landing:
        objects = [(o.key, o.size) for o in found.objects]
        return model_dir.land(objects, ctx.deployment.storage_path, platform(ctx))

    return ctx.derived(("landing", id(found)), land)


async def model_signature(ctx: CheckContext) -> tuple[str, Any]:
    """(key, signature) of the ONNX file the runtime loads, read with ranged GETs."""
    from checks.model_files.onnx import read_signature_from_range_reader

    async def read() -> tuple[str, Any]:
        found = await listing(ctx)
        landed = await landing(ctx)
        key = landed.onnx
        if not key:
            shown = ", ".join(found.keys[:4]) or "nothing"
            why = f" ({landed.problem})" if landed.problem else ""
            raise DoctorError(
                ErrorKind.NO_MODEL,
                f'no .onnx file the runtime loads under "{ctx.deployment.storage_path}"{why} '
                f"(found: {shown}); `rhoai-doctor check` says why",
                finding=True,
            )
        s3_ = await s3(ctx)
        size = next(o.size for o in found.objects if o.key == key)
        signature = await _s3_io(
            ctx,
            s3_,
            read_signature_from_range_reader,
            size,
            lambda start, end: s3_.read_range(key, start, end),
        )
        return key, signature

    same = storage(ctx).target.same_requests()  # as listing's: no S3 to ask raises Unmet here
    same = f"signature:{platform(ctx)}:{ctx.deployment.storage_path}:{same}"
    return await ctx.fact("signature", read, shared_as=same)


def token_base(ctx: CheckContext) -> str:
    """Tokens belong to the runtime for ModelMesh, to the deployment for KServe."""
    return ctx.snapshot.token_base(ctx.isvc)


async def model_token(ctx: CheckContext) -> tuple[str | None, str]:
    """(token, where it came from): --token, --token-secret, or the deployment's token secret.

    Raises Unmet when secrets cannot be read and no --token was given."""
    if ctx.options.model_token:
        return _stripped(ctx.options.model_token, "--token")
    if "secrets" in ctx.snapshot.errors:
        raise Unmet(f"{ctx.snapshot.error_line('secrets')}; pass --token")
    wanted = ctx.options.token_secret
    if wanted:
        found = next(
            (s for s in ctx.snapshot.tokens if s.name == wanted and s.namespace == ctx.namespace),
            None,
        )
        if found is None:
            return None, f"token secret {wanted} not found"
        return _stripped(found.token, f"secret {found.name}")
    tokens = ctx.snapshot.tokens_for(ctx.isvc)
    if not tokens:
        return None, "the model has no token secret"
    return _stripped(tokens[0].token, f"secret {tokens[0].name}")


def _stripped(token: str, source: str) -> tuple[str | None, str]:
    """A token with surrounding whitespace (a secret made with `echo $TOKEN | base64`) is sent
    without it, and the source says so: it is a likely cause of a 401 elsewhere."""
    clean = token.strip()
    if clean != token:
        source += " (it had surrounding whitespace, removed)"
    inside = 0  # a token is hundreds of characters: str's own scans first, the loop on a find
    if not clean.isprintable() or len(clean.split(maxsplit=1)) > 1:
        inside = next(i for i, c in enumerate(clean, 1) if c.isspace() or not c.isprintable())
    if inside and not resources.elided(clean):  # no header can carry it; an error would quote it
        return None, (
            f"{source} holds a space, newline or control character inside it (character "
            f"{inside}), so it is not sent: recreate it with the token alone"
        )
    return clean or None, source


async def request_token(
    ctx: CheckContext, url: str
) -> tuple[str | None, str, LoginTokenOffer | None]:
    """The token a test request to `url` goes with, where it came from, and (when the model has
    none) whether your own login's may be offered: checks/engine/login_token.py decides."""
    try:
        token, source = await model_token(ctx)
    except Unmet as error:
        token, source = None, str(error)
    if token is not None:
        return token, source, None
    return login_token.choose(ctx, url, source)


async def model_token_or_none(ctx: CheckContext) -> str | None:
    """The model's token when it can be had; the route is then probed without one."""
    try:
        token, _ = await model_token(ctx)
    except (Unmet, KubeError):
        return None
    return token


def is_generative(ctx: CheckContext) -> bool:
    """A vLLM (OpenAI API) deployment: no tensor signature, no /v2 (checks/knowledge/generative.py)."""
    return generative.is_generative(ctx.deployment, ctx.server)


def expected_url(ctx: CheckContext) -> tuple[str | None, str]:
    """(URL of the model's v2 endpoint, why) following each platform's rule."""
    dep = ctx.deployment
    if dep.platform == resources.MODELMESH:
        route = ctx.snapshot.route_for(dep)
        if route is None:
            return None, "no route"
        return f"https://{route.host}{route.path}", f"route {route.name}"
    if dep.url and not dep.url.split("://", 1)[-1].split("/")[0].endswith(".svc.cluster.local"):
        if generative.is_generative(dep, ctx.server):  # vLLM: OpenAI API, no /v2
            return f"{dep.url.rstrip('/')}/v1/models", "status.url"
        return f"{dep.url.rstrip('/')}/v2/models/{dep.name}", "status.url"
    return None, "no external URL"


def model_url(ctx: CheckContext) -> str | None:
    """The external `/v2/models/{name}` URL, or None."""
    url, _ = expected_url(ctx)
    if url is None:
        return None
    url = url.rstrip("/")
    suffix = f"/v2/models/{ctx.deployment.name}"
    return url if url.endswith(suffix) else url + suffix


async def server_metadata(ctx: CheckContext) -> dict | None:
    """The deployment's metadata from its own server, with its own token, when reachable."""
    url = model_url(ctx)
    if url is None:
        return None
    token = await model_token_or_none(ctx)

    async def read() -> dict | None:
        probed, _ = expected_url(ctx)
        if probed != url:
            return await ctx.routes.get_json(url, token)
        # The route probe sends this very GET with this token: its answer is the metadata
        # (one request, not two alike).
        answer = (await route_probe(ctx, url)).answer
        return answer.document if answer is not None else None

    return await ctx.fact("metadata", read)


def metadata_disagreements(metadata: dict, signature: Any) -> list[str]:
    """Where the server's /v2/models/{name} metadata and the ONNX graph differ."""
    found = []
    served = {t.get("name"): t for t in metadata.get("inputs") or [] if isinstance(t, dict)}
    for spec in signature.inputs:
        tensor = served.pop(spec.name, None)
        if tensor is None:
            found.append(f'the server does not list input "{spec.name}"')
            continue
        if tensor.get("datatype") != spec.datatype:
            found.append(
                f'input "{spec.name}": server says {tensor.get("datatype")}, graph '
                f"says {spec.datatype}"
            )
        graph_shape = [d if isinstance(d, int) and d > 0 else -1 for d in spec.dims or ()]
        if spec.dims is not None and list(tensor.get("shape") or []) != graph_shape:
            found.append(
                f'input "{spec.name}": server shape {tensor.get("shape")}, graph '
                f"shape {graph_shape}"
            )
    found += [f'the server lists input "{name}" the graph does not have' for name in served]
    return found


async def access_review(ctx: CheckContext, token: str, attributes: dict[str, str]) -> dict:
    """A SelfSubjectAccessReview asked *with the model's token*: may it do what the enforcer
    in front of the model checks? Raises KubeError (unauthorized: the token is rejected).
    Asked once per project and question: a ModelMesh server's models share token and question."""
    body = {
        "apiVersion": "authorization.k8s.io/v1",
        "kind": "SelfSubjectAccessReview",
        "spec": {"resourceAttributes": attributes},
    }
    asked = hashlib.sha256(repr((token, sorted(attributes.items()))).encode()).hexdigest()
    review = ctx.kube.review
    return await ctx.fact(
        "review",
        lambda: review("authorization.k8s.io", "selfsubjectaccessreviews", body, token=token),
        shared_as=f"review {asked}",
    )


async def route_probe(ctx: CheckContext, url: str) -> Any:
    """DNS, TCP, TLS, HTTP against the model's URL, with its token."""
    token = await model_token_or_none(ctx)
    return await ctx.fact("probe", lambda: ctx.routes.probe(url, token))


async def uri_probe(ctx: CheckContext, uri: str) -> Any:
    """DNS, TCP, TLS and HTTP HEAD against a URI connection's URL, from here."""
    return await ctx.fact("uri-probe", lambda: ctx.routes.probe(uri, None, method="HEAD"))


async def registry_answer(ctx: CheckContext, ref: Any, basic: str | None) -> Any:
    """The registry's answer to HEAD of the image's manifest with the pull secret."""
    from checks.storage.oci_registry import head_manifest

    return await ctx.fact("registry", lambda: head_manifest(ctx.routes, ref, basic))


def modelcar_init(ctx: CheckContext) -> resources.ContainerState | None:
    """The `modelcar-init` init container KServe adds for oci:// models, if a pod has one."""
    for pod in ctx.pods:
        for c in pod.containers:
            if c.init and c.name.startswith("modelcar-init"):
                return c
    return None
