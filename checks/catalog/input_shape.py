"""input-shape: does the request match the model — names, datatypes, rank, dims, value count,
requested outputs? Checked against the ONNX graph before anything is sent."""

from __future__ import annotations

from checks import resources
from checks.engine import facts, facts_standard
from checks.engine.context import CheckContext
from checks.engine.runner import Outcome


def _spec_text(spec) -> str:
    dims = ",".join("-1" if not isinstance(d, int) else str(d) for d in spec.dims or ())
    return f"{spec.name} {spec.datatype} [{dims}]"


class InputShape:
    id = "input-shape"
    title = "Request vs model signature"
    depends_on = ("model-format",)
    not_for = {
        resources.LLMISVC: "LLMInferenceService: an OpenAI-style LLM endpoint, not an ONNX input signature"
    }

    async def prefetch(self, ctx: CheckContext) -> None:
        """The server's metadata, asked while the bucket is still being read."""
        if facts.is_generative(ctx) or ctx.deployment.model_format.lower() != "onnx":
            return
        if not facts_standard.stopped_reason(ctx):
            await facts.server_metadata(ctx)

    async def run(self, ctx: CheckContext) -> Outcome:
        if facts.is_generative(ctx):
            return Outcome.skipped(
                "generative model: no tensor signature; use `rhoai-doctor infer` with --chat"
            )
        if ctx.deployment.model_format.lower() != "onnx":
            return Outcome.skipped("not an ONNX model")
        _, signature = await facts.model_signature(ctx)
        expects = "; ".join(_spec_text(s) for s in signature.inputs)
        outputs = ", ".join(s.name for s in signature.outputs)
        evidence = [f"model inputs: {expects}", f"model outputs: {outputs}"]
        if stopped := facts_standard.stopped_reason(ctx):
            return Outcome.skipped(stopped, *evidence)
        metadata = await facts.server_metadata(ctx)
        differences = facts.metadata_disagreements(metadata, signature) if metadata else []
        evidence.append(
            "server metadata: "
            + (
                "not available"
                if metadata is None
                else "; ".join(differences) or "agrees with the graph"
            )
        )
        if differences:
            return Outcome.warned(
                "the server's model metadata disagrees with the ONNX graph in the bucket: "
                + differences[0],
                "The deployed model is not the file in the bucket (an older "
                "version still loaded?): redeploy, or compare the files.",
                *evidence,
            )
        request = ctx.options.request
        if request is None:
            return Outcome.passed(
                f"no request given; the model expects {expects} and returns {outputs}", *evidence
            )
        from checks.endpoints.v2 import validate  # a request was given: only then is one judged

        problems = validate(request, signature)
        if not problems:
            return Outcome.passed("the request matches the model's inputs", *evidence)
        return Outcome.failed(
            problems[0].message,
            "Build the request from the model's signature: "
            "`rhoai-doctor infer --example` prints a valid one.",
            *evidence,
            *[f"problem: {p.message}" for p in problems[1:]],
        )
