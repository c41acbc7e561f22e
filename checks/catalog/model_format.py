"""model-format: is the file under the path a model the runtime can load?"""

from __future__ import annotations

from typing import Any

from checks import resources
from checks.engine import facts
from checks.engine.context import CheckContext
from checks.engine.runner import Outcome
from checks.knowledge.runtimes import onnx_limits
from checks.knowledge.vllm_runtime import generative_setup
from checks.model_files.hf_folder import HfFolder, inspect_folder
from checks.model_files.onnx import external_files, external_problems

MAGIC = (
    (b"\x80", "a Python pickle (e.g. a scikit-learn or numpy object saved with pickle)"),
    (b"PK\x03\x04", "a zip archive"),
    (b"<?xml", "an XML file (OpenVINO IR?)"),
    (b"<", "an HTML or XML document"),
    (b"{", "a JSON document"),
)


def describe_bytes(head: bytes) -> str:
    for magic, what in MAGIC:
        if head.startswith(magic):
            return what
    return "not an ONNX model"


HF_CONFIG = "config.json"


class ModelFormat:
    id = "model-format"
    title = "Model format"
    depends_on = ("bucket-path",)
    not_for = {
        resources.LLMISVC: "LLMInferenceService: no model format to match (vLLM loads model.uri)"
    }

    async def prefetch(self, ctx: CheckContext) -> None:
        """The ONNX file's signature, read as soon as the listing is in: the file run() would
        read, chosen the same way."""
        dep = ctx.deployment
        if dep.model_format.lower() != "onnx" or facts.is_generative(ctx):
            return
        if generative_setup(ctx.snapshot, dep) is not None:
            return
        landed = await facts.landing(ctx)
        if landed.onnx and not landed.ambiguous:
            await facts.model_signature(ctx)

    async def run(self, ctx: CheckContext) -> Outcome:
        from checks.model_files.onnx import OnnxSignatureError

        dep = ctx.deployment
        if generative_setup(ctx.snapshot, dep) is not None or facts.is_generative(ctx):
            landed = await facts.landing(ctx)
            where = f"s3://{facts.bucket(ctx)}/{dep.storage_path}"
            folder = inspect_folder([f.target for f in landed.landed], "")
            return folder_outcome(folder, where)
        if dep.model_format.lower() != "onnx":
            return Outcome.skipped(f"format {dep.model_format}: only ONNX models are inspected")
        listing = await facts.listing(ctx)
        landed = await facts.landing(ctx)
        if not landed.landed:
            return Outcome.skipped(
                f"nothing lands in the model directory from {dep.storage_path or 'the bucket root'}"
                + (f": {landed.problem}" if landed.problem else "")
            )
        if landed.ambiguous:
            return Outcome.skipped(
                "the runtime would load one of several models' files ("
                + ", ".join(landed.model_files[:4])
                + "): which one is ambiguous, so none is judged"
            )
        if landed.unpacked and not landed.onnx:
            return Outcome.skipped(
                f"the model comes as one archive, {landed.unpacked}, which the storage "
                "initializer unpacks into /mnt/models: what it holds is not read from here"
            )
        if not landed.onnx:
            onnx_loaded = [f.key for f in landed.loaded if f.key.lower().endswith(".onnx")]
            if len(onnx_loaded) > 1:
                return Outcome.skipped(
                    "several .onnx files are loaded together ("
                    + ", ".join(onnx_loaded[:4])
                    + "): which one the runtime reads is ambiguous, so none is judged"
                )
            if listing.truncated:
                return Outcome.skipped(
                    f"no .onnx file among the first {len(listing.objects):,} objects under "
                    f"{dep.storage_path}, and more exist: the listing stopped there"
                )
            first = (landed.model_files or [f.key for f in landed.loaded] or listing.keys)[0]
            head = await facts.file_head(ctx, first)
            return Outcome.failed(
                f"no .onnx file under {dep.storage_path}: {first} is {describe_bytes(head)}, "
                "which an ONNX deployment cannot load",
                "Export the model to ONNX (skl2onnx, tf2onnx, torch.onnx) and upload the .onnx "
                "file, or deploy it with a runtime that serves this format.",
                *[f"object: {k}" for k in listing.keys[:8]],
            )
        onnx_keys = [landed.onnx]
        try:
            key, signature = await facts.model_signature(ctx)
        except OnnxSignatureError as error:
            if error.kind == "too-large":
                return Outcome.failed(
                    f"{onnx_keys[0]}: {error}",
                    "Save the model with its weights as external data (onnx.save_model(model, "
                    '"model.onnx", save_as_external_data=True, location="model.onnx.data")) and '
                    "upload both files into the version folder.",
                )
            return Outcome.failed(
                f"{onnx_keys[0]} does not parse as ONNX: {error}",
                "Re-export the model and upload it again (the upload may have been cut short).",
            )
        sig: Any = signature
        opset = sig.opset_imports.get("ai.onnx", 0)
        evidence = [
            f"file: {key}",
            f"IR version {sig.ir_version}, ai.onnx opset {opset}",
            "inputs: " + ", ".join(f"{s.name} {s.datatype}{s.v2_dims()}" for s in sig.inputs),
            "outputs: " + ", ".join(s.name for s in sig.outputs),
        ]
        if sig.external_data:
            files = external_files(sig, key)
            evidence.append(
                f"external data: {len(sig.external_data)} weight(s) in {', '.join(files[:3])}"
            )
            problems = external_problems(
                sig, key, {f.key: f.size for f in landed.landed}, frozenset(listing.keys)
            )
            if problems and not listing.truncated:
                more = f" (+{len(problems) - 1} more)" if len(problems) > 1 else ""
                return Outcome.failed(
                    f"{key} keeps weights in external data the runtime cannot read: "
                    f"{problems[0]}{more}",
                    "Upload the model's data file(s) beside it (onnx.save_model(..., "
                    "save_as_external_data=True) writes them; the location is relative to the "
                    ".onnx file's folder).",
                    *evidence,
                    *problems[1:4],
                )
        server = ctx.server
        image = next(iter(server.images), "") if server else ""
        limits = onnx_limits(image)
        if limits is not None:
            max_opset, max_ir = limits
            evidence.append(
                f"runtime image {image} reads ONNX opset <= {max_opset}, IR <= {max_ir}"
            )
            if opset > max_opset:
                return Outcome.failed(
                    f"ONNX opset {opset} is newer than the runtime reads: {image.rsplit(':', 1)[-1]}"
                    f" supports opset <= {max_opset}",
                    f"Re-export with opset {max_opset} or lower (e.g. skl2onnx "
                    f"target_opset={max_opset}), or use a newer OVMS image.",
                    *evidence,
                )
            if sig.ir_version > max_ir:
                return Outcome.failed(
                    f"ONNX IR version {sig.ir_version} is newer than the runtime reads "
                    f"(<= {max_ir})",
                    "Re-export with an older onnx package, or use a newer runtime image.",
                    *evidence,
                )
            if sig.uses_ai_onnx_ml:
                return Outcome.failed(
                    "the model uses ai.onnx.ml operators, which OpenVINO Model Server cannot run",
                    "Export without ai.onnx.ml ops (e.g. skl2onnx options={'zipmap': False}, or a "
                    "model that converts to plain ONNX ops), or serve it with another runtime.",
                    *evidence,
                )
        return Outcome.passed(f"{key}: ONNX, IR {sig.ir_version}, opset {opset}", *evidence)


def folder_outcome(folder: HfFolder, where: str) -> Outcome:
    """The verdict for a vLLM deployment's folder (what the folder holds is model_files/'s to
    say; the verdict is this check's)."""
    evidence = [
        f"{where}: {len(folder.files)} file(s)",
        *[f"  {f}" for f in folder.files[:10]],
        f"config.json: {'yes' if folder.config else 'no'}",
        f"weights: {', '.join(folder.weights[:4]) or 'none'}"
        + (f" (+{len(folder.weights) - 4})" if len(folder.weights) > 4 else ""),
        f"tokenizer: {', '.join(folder.tokenizer) or 'none'}",
    ]
    if folder.complete:
        return Outcome.passed(
            f"Hugging Face folder for vLLM: config.json, {len(folder.weights)} weight file(s), "
            f"{folder.tokenizer[0]}",
            *evidence,
        )
    if folder.nested_config:
        sub = folder.nested_config.rsplit("/", 1)[0]
        return Outcome.failed(
            f"the model folder is one level down: config.json is at {sub}/config.json, but "
            f"vLLM reads the top of {where}",
            f"Set the deployment's storage path to {where.rstrip('/')}/{sub} "
            "(spec.predictor.model.storage.path).",
            *evidence,
        )
    return Outcome.failed(
        f"not a complete Hugging Face model folder for vLLM: missing {'; '.join(folder.missing)}",
        "Upload the whole model folder as saved by save_pretrained / huggingface-cli "
        "download (config.json, tokenizer files, weights and their index) under the "
        "deployment's path.",
        *evidence,
    )
