"""bucket-path: is the model where the deployment says, laid out as the runtime needs it?"""

from __future__ import annotations

from checks import resources
from checks.engine import facts
from checks.engine.context import CheckContext
from checks.engine.runner import Outcome
from checks.storage.landing import MODELMESH, Landing
from checks.storage.model_dir import model_files


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
        landed = await facts.landing(ctx)
        where = f"s3://{bucket}/{path}"
        mesh = landed.platform.platform == MODELMESH
        if not listing.objects and not (mesh and not path.strip("/")):
            parent, entries = await facts.nearest_prefixes(ctx, path)
            return self._nothing_there(parent, entries, path, bucket, where)
        more = " (more exist: the listing stopped there)" if listing.truncated else ""
        evidence = [f"{where}: {len(listing.objects):,} object(s) listed{more}", *landed.tree()]
        evidence += list(landed.notes)
        evidence += [f"not downloaded: {key}: {why}" for key, why in landed.skipped[:3]]
        if mesh and not landed.landed:
            return self._nothing_pulled(landed, path, where, evidence)
        if not landed.landed:
            return Outcome.failed(
                f"the storage initializer downloads nothing from {where}: every object is "
                f"skipped ({landed.skipped[0][1]}); it fails with: {landed.problem}",
                f"Upload the model's files (not only folder markers or empty objects) under {where}.",
                *evidence,
            )
        if not path.strip("/"):
            return await self._bucket_root(ctx, bucket, evidence, landed)
        if landed.problem and landed.platform.runtime == "ovms":
            relative = [f.target for f in landed.landed]
            files = ", ".join(relative[:4])
            return Outcome.failed(
                f'no numeric version folder under "{path}": OVMS on KServe needs '
                f"{path.rstrip('/')}/1/<model file>, found {files}",
                f"Move the model into a version folder: s3://{bucket}/{path.rstrip('/')}/1/"
                f"{relative[0].rsplit('/', 1)[-1]}",
                *evidence,
            )
        loads = landed.model or ", ".join(landed.model_files[:3])
        said = f"; the runtime loads {loads}" if loads else ""
        if landed.version:
            said += f" (version {landed.version})"
        if listing.truncated:
            said += f"; the listing stopped at {len(listing.objects):,} keys and more exist"
        return Outcome.passed(
            f"{len(landed.landed):,} object(s) under {where}{said}",
            *evidence,
        )

    @staticmethod
    def _nothing_pulled(landed: Landing, path: str, where: str, evidence: list[str]) -> Outcome:
        """The ModelMesh puller keeps only the path itself or keys under `path/`."""
        if not path.strip("/"):
            return Outcome.failed(
                f'the path is empty (storage.path "{path}"): the ModelMesh puller pulls NOTHING '
                '(it keeps only keys under "<path>/", and no S3 key starts with "/"); '
                f"the model fails to load: {landed.problem}",
                "Set storage.path to the folder (or file) that holds the model, e.g. "
                "models/<model>; ModelMesh never loads a whole bucket.",
                *evidence,
            )
        others = sorted({k.split("/", 1)[0] for k, _ in landed.skipped})[:3]
        return Outcome.failed(
            f'nothing under "{path.rstrip("/")}/": the ModelMesh puller keeps only "{path}" '
            f'itself or keys under "{path.rstrip("/")}/" (it pulls nothing from '
            f"{', '.join(others)}); the model fails to load: {landed.problem}",
            f"Point storage.path at the folder that holds the model (listed: {where}).",
            *evidence,
        )

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

    async def _bucket_root(
        self, ctx: CheckContext, bucket: str, evidence: list[str], landed: Landing
    ) -> Outcome:
        """An empty path on KServe: the initializer takes the whole bucket. Say so, and which
        files the runtime then loads."""
        dep = ctx.isvc
        said = (
            "opendatahub.io/connection-path is empty"
            if dep.connection_path is not None
            else 'storage.path is ""'
        )
        what = f"the path is empty ({said}): the runtime downloads all of bucket {bucket} into /mnt/models"
        evidence = [what, *evidence]
        loaded = {f.key for f in landed.loaded}
        folders = sorted(
            {
                f.target.split("/", 1)[0] + "/"
                for f in landed.landed
                if "/" in f.target and f.key not in loaded
            }
        )
        if folders:
            evidence.append("other folders at the root (not loaded): " + ", ".join(folders))
        keys = tuple(f.key for f in landed.landed if "/" not in f.target)
        at_root = model_files(keys)
        models = landed.model_files if landed.loaded else at_root
        files = ", ".join(models) or "none"
        fix = (
            "Give the deployment a path to a folder that holds only this model "
            f"(opendatahub.io/connection-path, or storage.path), e.g. move the model to "
            f"s3://{bucket}/<model>/1/ and set the path to <model>."
        )
        many = (
            f"; these are {len(models)} models' files and which one is meant is ambiguous"
            if len(models) > 1
            else ""
        )
        if not models:
            return Outcome.failed(
                f"{what}, and no model file lies at its root"
                + (f" (the models are in {', '.join(folders)})" if folders else ""),
                fix,
                *evidence,
            )
        if landed.problem and landed.platform.runtime == "ovms":
            return Outcome.failed(
                f"{what}; OVMS then needs the version-folder layout at the bucket root "
                f"(1/<model file>), but the model files lie at the root itself: {files}{many}",
                fix,
                *evidence,
            )
        if landed.ambiguous:
            return Outcome.failed(
                f"{what}; the root holds several models' files ({files}): which one the "
                "runtime loads is ambiguous",
                fix,
                *evidence,
            )
        return Outcome.passed(f"{what}; it loads {files}", *evidence)
