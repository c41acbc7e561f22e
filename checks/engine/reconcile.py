"""A deployment no controller has reconciled: an InferenceService with no status at all. Nothing
downstream of the controller (pods, Service, Route, auth-delegator binding) can exist then, so
their absence is the consequence, and the cause is why the controller skips or refuses it —
read from the object as KServe and modelmesh-serving read it (rhoai-domain.md §1.5, rhoai-3x
§1.1, controllers.md §1, §4)."""

from __future__ import annotations

from datetime import timedelta

from checks import resources
from checks.engine.auth_facts import raw_isvc
from checks.engine.context import CheckContext
from checks.errors import KubeError, Unmet
from checks.resources.modes import MODE_ANNOTATION, MODELMESH_MODE, canonical

SCHEMES = (
    "s3://",
    "gs://",
    "https://",
    "http://",
    "pvc://",
    "oci://",
    "hf://",
    "hdfs://",
    "webhdfs://",
)
FRESH = timedelta(minutes=2)  # a controller writes status within seconds; younger is "not yet"
KNOWN_MODES = "Standard (RawDeployment), Serverless (Knative), ModelMesh"


def never_reconciled(ctx: CheckContext) -> str:
    """'' when a controller wrote the InferenceService's status; else the sentence that says
    no controller did. LLMInferenceServices are judged by their own conditions."""
    if not isinstance(ctx.deployment, resources.Deployment):
        return ""
    raw = raw_isvc(ctx)
    if not raw:
        return ""
    status = raw.get("status") or {}
    if status.get("conditions") or status.get("modelStatus") or status.get("deploymentMode"):
        return ""
    return "no controller has reconciled this InferenceService: it has no status at all"


def fresh(ctx: CheckContext) -> bool:
    created = ctx.deployment.created
    return created is not None and ctx.now - created < FRESH


async def project_of(ctx: CheckContext) -> resources.Project | None:
    """The project (its modelmesh-enabled label); None when it cannot be read. One GET per
    project (none in a sweep, which listed them), shared by the checks that ask (this one and
    migration)."""

    async def read() -> resources.Project | None:
        listed = ctx.snapshot.project  # a sweep's LIST of projects carried it
        if listed is not None and listed.name == ctx.namespace:
            return listed
        for path in (
            f"/apis/project.openshift.io/v1/projects/{ctx.namespace}",
            f"/api/v1/namespaces/{ctx.namespace}",
        ):
            try:
                return resources.Project.parse(await ctx.kube.get_json(path))
            except KubeError:
                continue
        return None

    try:
        return await ctx.fact("project", read, shared_as="project")
    except Unmet:
        return None


async def refusals(ctx: CheckContext) -> list[str]:
    """Why the controllers skip or refuse this object, as far as the object shows it."""
    dep = ctx.deployment
    raw = raw_isvc(ctx)
    annotations = (raw.get("metadata") or {}).get("annotations") or {}
    model = ((raw.get("spec") or {}).get("predictor") or {}).get("model") or {}
    found: list[str] = []
    written = str(annotations.get(MODE_ANNOTATION) or "").strip()
    if written and canonical(written) == MODELMESH_MODE:
        project = await project_of(ctx)
        if project is None:
            found.append(
                f"annotated {MODE_ANNOTATION}: {written}: KServe leaves it to the ModelMesh "
                "controller, which reconciles only namespaces labelled modelmesh-enabled=true "
                f"(the label of {ctx.namespace} could not be read)"
            )
        elif project.platform != resources.MODELMESH:
            label = "absent" if project.platform is None else '"false"'
            found.append(
                f"annotated {MODE_ANNOTATION}: {written}: KServe leaves it to the ModelMesh "
                f"controller, which reconciles only namespaces labelled modelmesh-enabled=true — "
                f"{ctx.namespace}'s label is {label} (and RHOAI 3.x has no ModelMesh at all)"
            )
    elif written and canonical(written) not in ("Standard", "Serverless"):
        found.append(
            f'{MODE_ANNOTATION} is "{written}", a mode KServe does not know ({KNOWN_MODES})'
        )
    fmt = (model.get("modelFormat") or {}).get("name")
    if not fmt and not model.get("runtime"):
        found.append(
            "spec.predictor.model has neither modelFormat.name nor runtime: KServe cannot pick "
            "a ServingRuntime for it"
        )
    runtime = str(model.get("runtime") or "")
    if runtime and ctx.server is None:
        found.append(f'spec.predictor.model.runtime "{runtime}" does not exist in {dep.namespace}')
    uri = str(model.get("storageUri") or "")
    if uri and not uri.startswith(SCHEMES):
        found.append(
            f'storageUri "{uri}" has no scheme KServe supports (s3://, https://, oci://, '
            "pvc://, ...)"
        )
    return found
