"""serving-runtime: does the named ServingRuntime exist, and does it serve this model format?"""

from __future__ import annotations

from checks import resources
from checks.engine.context import CheckContext
from checks.engine.runner import Outcome
from checks.knowledge.vllm_runtime import generative_setup, route_timeout


def supports(server: resources.ModelServer, name: str, version: str, explicit: bool) -> bool:
    """KServe's label rule (docs/domain.md §1.5): mt:<name>[:<version>], autoSelect only when not named."""
    for fmt in server.formats:
        if fmt.name != name or (version and fmt.version != version):
            continue
        if explicit or fmt.auto_select:
            return True
    return False


class ServingRuntime:
    id = "serving-runtime"
    title = "Model server (ServingRuntime)"
    depends_on: tuple[str, ...] = ()
    not_for = {
        resources.LLMISVC: "LLMInferenceService: no ServingRuntime (the workload is in its own spec)"
    }

    async def run(self, ctx: CheckContext) -> Outcome:
        dep = ctx.deployment
        wanted = f"{dep.model_format}:{dep.model_format_version}".rstrip(":")
        candidates = [s for s in ctx.snapshot.servers if s.namespace == dep.namespace]
        if not dep.runtime:
            fits = [
                s
                for s in candidates
                if s.platform == dep.platform
                and supports(s, dep.model_format, dep.model_format_version, False)
            ]
            if not fits:
                return Outcome.failed(
                    f"no runtime in {dep.namespace} auto-selects {wanted}",
                    "Name the runtime in the deployment, or mark the format "
                    "autoSelect: true in a runtime.",
                )
            return Outcome.passed(f"{fits[0].name} auto-selected for {wanted}")
        server = ctx.server
        if server is None:
            names = ", ".join(s.name for s in candidates) or "none"
            return Outcome.failed(
                f'runtime "{dep.runtime}" does not exist in {dep.namespace} '
                f"(runtimes there: {names})",
                "Create the model server again, or point the deployment at an existing runtime.",
            )
        evidence = [
            f"runtime: {server.name} ({server.platform}, template {server.template or '-'})",
            "formats: "
            + ", ".join(f.label() + ("*" if f.auto_select else "") for f in server.formats),
            f"image: {', '.join(server.images) or '-'}",
        ]
        if server.disabled:
            return Outcome.failed(
                f"runtime {server.name} is disabled",
                "Set spec.disabled: false on the ServingRuntime.",
                *evidence,
            )
        if server.platform != dep.platform:
            return Outcome.failed(
                f"deployment is {dep.platform} but runtime {server.name} is {server.platform} "
                "(multiModel mismatch)",
                "Deploy the model on a runtime of its platform.",
                *evidence,
            )
        if not supports(server, dep.model_format, dep.model_format_version, True):
            return Outcome.failed(
                f"runtime {server.name} does not support {wanted}",
                "Pick a format/version the runtime lists, or another runtime.",
                *evidence,
            )
        setup = generative_setup(ctx.snapshot, dep)
        if setup is not None:
            evidence += setup.evidence()
            timeout = route_timeout(ctx.snapshot, dep)
            if timeout is not None:
                evidence.append(
                    f"route timeout: {timeout}; a generation that takes longer is cut by the "
                    "router (set annotation haproxy.router.openshift.io/timeout on the "
                    "InferenceService to allow more)"
                )
        return Outcome.passed(f"{server.name} serves {wanted}", *evidence)
