"""bucket-path: is the model where the deployment says, laid out as the runtime needs it?"""

from __future__ import annotations

from checks import resources
from checks.engine import facts
from checks.engine.context import CheckContext
from checks.engine.runner import Outcome


class BucketPath:
    id = "bucket-path"
    title = "Model files in the bucket"
    depends_on = ("data-connection",)
    not_for = {
        resources.LLMISVC: "LLMInferenceService: no bucket path to list (the model comes from model.uri)"
    }

    async def prefetch(self, ctx: CheckContext) -> None:
        """The listing, asked while data-connection still waits for the bucket's answer."""
        dep, connection = ctx.isvc, ctx.connection
        if connection is None or connection.protocol != "s3":
            return
        if dep.storage_key or not dep.storage_uri:
            await facts.listing(ctx)

    async def run(self, ctx: CheckContext) -> Outcome:
        dep = ctx.isvc
        connection = ctx.connection
        if connection is not None and connection.protocol != "s3" and dep.connection_ref:
            return Outcome.skipped(
                f"{connection.kind_label} connection {connection.name}: no bucket to list"
            )
        if not dep.storage_key and dep.storage_uri:
            return Outcome.skipped("uses storageUri; not listed")
        path = dep.storage_path
        bucket = facts.bucket(ctx)
        listing = await facts.listing(ctx)
        where = f"s3://{bucket}/{path}"
        if not listing.objects:
            parent, entries = await facts.nearest_prefixes(ctx, path)
            return self._nothing_there(parent, entries, path, bucket, where)
        keys = listing.keys
        evidence = [f"{where}: {len(keys)} object(s)"] + [f"  {k}" for k in keys[:8]]
        if not path.strip("/"):
            return await self._bucket_root(ctx, bucket, evidence)
        if dep.platform == resources.KSERVE and self._ovms(ctx):
            relative = [k[len(path) :].lstrip("/") for k in keys]
            versions = {k.split("/", 1)[0] for k in relative if "/" in k}
            if not any(v.isdigit() and int(v) > 0 for v in versions):
                files = ", ".join(relative[:4])
                return Outcome.failed(
                    f'no numeric version folder under "{path}": OVMS on KServe needs '
                    f"{path.rstrip('/')}/1/<model file>, found {files}",
                    f"Move the model into a version folder: s3://{bucket}/{path.rstrip('/')}/1/"
                    f"{relative[0].rsplit('/', 1)[-1]}",
                    *evidence,
                )
        return Outcome.passed(f"{len(keys)} object(s) under {where}", *evidence)

    @staticmethod
    def _nothing_there(
        parent: str, entries: list[str], path: str, bucket: str, where: str
    ) -> Outcome:
        """Name what does exist nearest to the path: the user's likely target."""
        place = f'"{parent}"' if parent else "the bucket root"
        fix = "Point the deployment's path at the folder that holds the model, or upload it there."
        evidence = (
            f"listed {where}: 0 objects",
            f"{place} holds: " + (", ".join(entries) if entries else "nothing"),
        )
        files_at_root = [e for e in entries if not e.endswith("/")] if not parent else []
        if files_at_root and not [e for e in entries if e.endswith("/")]:
            return Outcome.failed(
                f'nothing under "{path}" in bucket {bucket}: the model was uploaded at the '
                f"bucket root ({', '.join(files_at_root)})",
                f"Upload the model under {path}/ (or set the path to {files_at_root[0]}).",
                *evidence,
            )
        if not entries:
            return Outcome.failed(
                f'bucket {bucket} is empty: nothing under "{path}"', fix, *evidence
            )
        leaf = path.rstrip("/").rsplit("/", 1)[-1]
        names = [e.rstrip("/").rsplit("/", 1)[-1] for e in entries]
        import difflib  # only to name a near miss: not on a healthy check's path

        close = difflib.get_close_matches(leaf, names, n=1, cutoff=0.5)
        nearest = entries[names.index(close[0])] if close else entries[0]
        shown = ", ".join(f'"{e}"' for e in entries[:5])
        return Outcome.failed(
            f'nothing under "{path}" in bucket {bucket}; the nearest existing prefix is '
            f'"{nearest}" ({place} holds {shown})',
            fix,
            *evidence,
        )

    async def _bucket_root(self, ctx: CheckContext, bucket: str, evidence: list[str]) -> Outcome:
        """An empty path: the runtime takes the whole bucket. Say so, and where the model is."""
        chosen = await facts.runtime_files(ctx)
        dep = ctx.isvc
        said = (
            "opendatahub.io/connection-path is empty"
            if dep.connection_path is not None
            else 'storage.path is ""'
        )
        what = f"the path is empty ({said}): the runtime downloads all of bucket {bucket} into /mnt/models"
        evidence = [what, *evidence]
        files = ", ".join(chosen.model_files) or "none"
        folders = sorted({k.split("/", 1)[0] + "/" for k in chosen.elsewhere if "/" in k})
        if folders:
            evidence.append("other folders at the root (not loaded): " + ", ".join(folders))
        fix = (
            "Give the deployment a path to a folder that holds only this model "
            f"(opendatahub.io/connection-path, or storage.path), e.g. move the model to "
            f"s3://{bucket}/<model>/1/ and set the path to <model>."
        )
        many = (
            f"; these are {len(chosen.model_files)} models' files and which one is meant is "
            "ambiguous"
            if chosen.ambiguous
            else ""
        )
        if not chosen.model_files:
            return Outcome.failed(
                f"{what}, and no model file lies at its root"
                + (f" (the models are in {', '.join(folders)})" if folders else ""),
                fix,
                *evidence,
            )
        versioned = any(k.split("/", 1)[0].isdigit() for k in chosen.loaded)
        if dep.platform == resources.KSERVE and self._ovms(ctx) and not versioned:
            return Outcome.failed(
                f"{what}; OVMS then needs the version-folder layout at the bucket root "
                f"(1/<model file>), but the model files lie at the root itself: {files}{many}",
                fix,
                *evidence,
            )
        if chosen.ambiguous:
            return Outcome.failed(
                f"{what}; the root holds several models' files ({files}): which one the "
                "runtime loads is ambiguous",
                fix,
                *evidence,
            )
        return Outcome.passed(f"{what}; it loads {files}", *evidence)

    @staticmethod
    def _ovms(ctx: CheckContext) -> bool:
        server = ctx.server
        return (
            server is None
            or any("openvino" in i or "ovms" in i for i in server.images)
            or server.template.endswith("ovms")
        )
