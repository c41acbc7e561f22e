"""migration: is this deployment (and its project) ready for RHOAI 3.x, where ModelMesh and
Serverless are gone (reference rhoai-3x.md §7)?

ModelMesh/Serverless deployments, the removed runtimes (`ovms` multi-model, the caikit
templates), `-raw` pairs left by the migration-helper scripts and a namespace still labelled
`modelmesh-enabled=true` with nothing serving it are findings. They are a warning only where the
project shows it is on its way to 3.x: a half-done migration (a `-raw` pair, a stale
ModelMesh label over KServe deployments) or a 3.x-only sidecar (kube-rbac-proxy). A healthy 2.x
project gets a pass with the deprecation as a note: on 2.x these modes work, and the migration
must be done there. The LLMInferenceService API is not used as a 3.x sign: 2.x clusters with
llm-d may serve it too.
"""

from __future__ import annotations

from checks import resources
from checks.engine.context import CheckContext
from checks.engine.reconcile import project_of
from checks.engine.runner import Outcome

DEPRECATED_MODES = ("Serverless", "ModelMesh")
RAW_MODES = ("RawDeployment", "Standard")
REMOVED_TEMPLATES = ("caikit-standalone-serving-template", "caikit-tgis-serving-template")
SCRIPTS = {"Serverless": "serverless-to-raw.sh", "ModelMesh": "modelmesh-to-raw.sh"}
RAW_SUFFIX = "-raw"
REMEDY = (
    "Migrate to Standard (RawDeployment) on 2.x BEFORE upgrading to 3.x: kserve "
    "migration-helper/serverless-to-raw.sh or modelmesh-to-raw.sh; once the -raw copy is "
    "Loaded delete the original (and its runtime); "
    "`oc label namespace {ns} modelmesh-enabled=false --overwrite` when nothing uses ModelMesh."
)


def _line(d: resources.Deployment, ctx: CheckContext) -> str:
    state = ctx.snapshot.state_of(d).text
    storage = f"{d.storage_key or d.storage_uri or '-'}:{d.storage_path or '-'}"
    return f"{d.name}: mode {d.mode_label}, runtime {d.runtime or '-'}, storage {storage}, {state}"


def pairs(deployments: list[resources.Deployment]) -> list[tuple[resources.Deployment, ...]]:
    """(original, copy): `x` still Serverless/ModelMesh beside `x-raw` in a Raw mode."""
    by_name = {d.name: d for d in deployments}
    found: list[tuple[resources.Deployment, ...]] = []
    for d in deployments:
        copy = by_name.get(d.name + RAW_SUFFIX)
        if copy and d.mode in DEPRECATED_MODES and copy.mode in RAW_MODES:
            found.append((d, copy))
    return found


class Migration:
    id = "migration"
    title = "Migration to RHOAI 3.x"
    depends_on: tuple[str, ...] = ()

    async def run(self, ctx: CheckContext) -> Outcome:
        snap, dep, ns = ctx.snapshot, ctx.deployment, ctx.namespace
        here = [d for d in snap.deployments if d.namespace == ns]
        servers = [s for s in snap.servers if s.namespace == ns]
        pods = [p for p in snap.pods if p.namespace == ns]
        project = await project_of(ctx)
        signals: list[str] = []
        findings: list[str] = []
        evidence: list[str] = []

        for original, copy in pairs(here):
            signals.append(f"-raw pair {original.name}/{copy.name} (migration-helper started)")
            evidence += [f"pair: {_line(original, ctx)}", f"pair: {_line(copy, ctx)}"]
            state = snap.state_of(copy)
            if state.word == "Loaded":
                findings.append(
                    f"{copy.name} is Loaded: the original {original.name} "
                    f"({original.mode}) can be deleted"
                )
            else:
                findings.append(
                    f"{copy.name} is not ready yet ({state.text}): keep {original.name} until it is"
                )

        mesh_served = any(d.mode == "ModelMesh" for d in here) or any(
            p.labels.get("name", "").startswith("modelmesh-serving") for p in pods
        )
        if project is None:
            evidence.append(f"namespace {ns}: labels not readable (modelmesh-enabled unknown)")
        elif project.platform == resources.MODELMESH and not mesh_served and here:
            line = (
                f"namespace {ns} is still labelled modelmesh-enabled=true with nothing serving "
                "ModelMesh (no ModelMesh deployment, no modelmesh pods)"
            )
            signals.append("stale modelmesh-enabled=true label")
            findings.append(line)

        sidecars = sorted({p.name for p in pods if "kube-rbac-proxy" in p.container_names})
        if sidecars:
            signals.append(f"kube-rbac-proxy sidecar (3.x auth) in pod {sidecars[0]}")

        for server in servers:
            removed = (server.template == "ovms" and server.platform == resources.MODELMESH) or (
                server.template in REMOVED_TEMPLATES or server.name in REMOVED_TEMPLATES
            )
            if removed:
                users = [d.name for d in here if d.runtime == server.name]
                findings.append(
                    f"runtime {server.name} (template {server.template or server.name}) is "
                    f"removed in 3.x; used by: {', '.join(users) or 'nothing'}"
                )

        deprecated = dep.kind == resources.ISVC and dep.mode in DEPRECATED_MODES
        if deprecated:
            findings.append(
                f"{dep.name} is {dep.mode}, deprecated and removed in RHOAI 3.x "
                f"(migration-helper/{SCRIPTS[dep.mode]}, to be run on 2.x before upgrading)"
            )
        evidence += [f"3.x sign: {s}" for s in signals] or [
            "3.x sign: none in this project (no -raw pair, no stale ModelMesh label, "
            "no kube-rbac-proxy sidecar)"
        ]
        evidence += [f"finding: {f}" for f in findings]

        if findings and signals:
            head = "half-migrated: " if pairs(here) else "migration pending: "
            more = f" (+{len(findings) - 2} more)" if len(findings) > 2 else ""
            return Outcome.warned(
                head + "; ".join(findings[:2]) + more, REMEDY.format(ns=ns), *evidence
            )
        if deprecated:
            return Outcome.passed(
                f"{dep.mode} serves on 2.x (no 3.x sign in this project); note: deprecated in "
                f"RHOAI 3.x, migrate with {SCRIPTS[dep.mode]} on 2.x before upgrading",
                *evidence,
            )
        if findings:
            return Outcome.passed(
                f"nothing to do on 2.x; note for 3.x: {findings[0]}",
                *evidence,
            )
        what = "LLMInferenceService" if dep.kind == resources.LLMISVC else dep.mode
        return Outcome.passed(f"{what}: nothing to migrate", *evidence)
