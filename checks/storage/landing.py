"""Which listed objects land in the model directory, and which of them the runtime loads: the one
answer bucket-path, model-format, `inspect s3://`, the composer's prefill and `bundle` share, so
they cannot disagree.

The rules are the components' own (../shared/reference/controllers.md §4-5):
* KServe's storage initializer lists a plain S3 prefix with no "/" boundary (`iris` also takes
  `iris-v2/...`, landing as `-v2/...`); an empty path takes the whole bucket; a key equal to the
  prefix is the one file downloaded; keys ending in "/" are skipped, and from odh-v3.4 on 0-byte
  objects too; a single .tar/.tgz/.zip downloaded is unpacked.
* The ModelMesh puller keeps only the key equal to the path or keys under `path/`: an empty path
  (or "/") pulls nothing at all.
* Then OVMS serves the highest numeric version folder (a model without one does not load on
  KServe; ModelMesh's adapter makes a lone file or a plain folder version 1); vLLM reads the
  Hugging Face folder at the top of the model directory.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from enum import Enum

from checks.storage.model_dir import model_files

KSERVE = "kserve"
MODELMESH = "modelmesh"
ARCHIVES = (".tar", ".tgz", ".tar.gz", ".zip")


class Initializer(Enum):
    """The storage initializer's naming rules by ODH release (controllers.md §5.3)."""

    FLATTEN = "odh-v2.25..v2.28"  # key.replace(prefix, ""), last-segment rule
    ESCAPED = "odh-v2.29..v3.3"  # re.sub("^" + re.escape(prefix) + "/?", "", key)
    REMOVEPREFIX = "odh-v3.4+"  # key.removeprefix(prefix).lstrip("/"), 0-byte objects skipped


def initializer_rules(image: str) -> Initializer:
    """The rules of the storage-initializer image a pod runs, when its tag names an RHOAI or ODH
    release from 3.4 on (key.removeprefix, 0-byte objects skipped); otherwise the 2.29..3.3 rules
    (re.escape), which every release since odh-v2.29 shares for ordinary keys."""
    tag = image.rsplit(":", 1)[-1] if ":" in image.rsplit("/", 1)[-1] else ""
    found = re.match(r"(?:rhoai|odh)-v?(\d+)\.(\d+)", tag)
    if found and (int(found.group(1)), int(found.group(2))) >= (3, 4):
        return Initializer.REMOVEPREFIX
    return Initializer.ESCAPED


@dataclass(frozen=True)
class Platform:
    """What decides the rules: the platform, the runtime family and the initializer release."""

    platform: str = KSERVE  # KSERVE or MODELMESH
    runtime: str = "ovms"  # "ovms", "vllm" or "other"
    initializer: Initializer = Initializer.ESCAPED
    model_id: str = ""  # ModelMesh's model id, for the puller's local directory


@dataclass(frozen=True)
class Landed:
    """One downloaded object: its key, its size and where it lands under the model directory."""

    key: str
    size: int
    target: str


@dataclass(frozen=True)
class Landing:
    """What lands in the model directory and what the runtime then loads.

    `loaded` are the landed files the runtime reads (an OVMS version folder, a vLLM folder);
    `model` the one model file among them ('' when none or ambiguous); `problem` one line saying
    why nothing loads, worded as the component says it when it says it."""

    platform: Platform
    prefix: str  # what is listed
    root: str  # the model directory in the pod
    landed: tuple[Landed, ...]
    skipped: tuple[tuple[str, str], ...]  # (key, why) listed but not downloaded
    loaded: tuple[Landed, ...] = ()
    model_files: tuple[str, ...] = ()  # keys of the model files among `loaded`
    version: str = ""  # the OVMS version folder served
    unpacked: str = ""  # the key of the single archive the initializer unpacks
    problem: str = ""
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def ambiguous(self) -> bool:
        return len(self.model_files) > 1

    @property
    def model(self) -> str:
        """The key of the file the runtime loads; '' when none, or when several could be."""
        return self.model_files[0] if len(self.model_files) == 1 else ""

    @property
    def onnx(self) -> str:
        """The .onnx file the runtime loads; '' when there is none or the choice is ambiguous."""
        if self.ambiguous:
            return ""
        onnx = [k for k in self.model_files if k.lower().endswith(".onnx")]
        if len(onnx) == 1:
            return onnx[0]
        loose = [f.key for f in self.loaded if f.key.lower().endswith(".onnx")]
        return loose[0] if len(loose) == 1 else ""

    def tree(self, limit: int = 8) -> list[str]:
        """The predicted model directory, first lines: where each object lands, what is read."""
        loaded = {f.key for f in self.loaded}
        rules = (
            f", initializer rules {self.platform.initializer.value}"
            if self.platform.platform == KSERVE
            else ""
        )
        lines = [f"{self.root}/ (predicted{rules})"]
        for item in self.landed[:limit]:
            mark = "  <- loaded" if item.key == self.model else ""
            if item.key not in loaded:
                mark = "  (not loaded)"
            lines.append(f"  {item.target}  [{item.key}, {item.size:,} B]{mark}")
        if len(self.landed) > limit:
            lines.append(f"  … {len(self.landed) - limit} more")
        if not self.landed:
            lines.append("  (empty: nothing is downloaded)")
        return lines


def listing_prefix(path: str, platform: Platform) -> str:
    """The prefix the component lists: KServe strips the leading "/" (urlparse(...).path
    .lstrip("/")); the puller lists the path as it is."""
    return path.lstrip("/") if platform.platform == KSERVE else path


def land(objects: list[tuple[str, int]], path: str, platform: Platform) -> Landing:
    """The landing for objects listed under `listing_prefix(path)`, in S3's (key) order."""
    if platform.platform == MODELMESH:
        landing = _pull(objects, path, platform)
    else:
        landing = _initialize(objects, path, platform)
    if not landing.landed:
        return landing
    return _load(landing)


# -- KServe's storage initializer ----------------------------------------------------------------


def _kserve_target(key: str, prefix: str, rules: Initializer) -> str:
    if rules is Initializer.REMOVEPREFIX:
        return key.removeprefix(prefix).lstrip("/")
    if rules is Initializer.ESCAPED:
        return re.sub("^" + re.escape(prefix) + "/?", "", key)
    last = prefix.rstrip("/").rsplit("/", 1)[-1]
    name = key.rsplit("/", 1)[-1]
    if last and name.startswith(last):
        return name  # ≤ odh-v2.28: the object's last segment alone (flattened)
    return key.replace(prefix, "").lstrip("/")


def _initialize(objects: list[tuple[str, int]], path: str, platform: Platform) -> Landing:
    prefix = listing_prefix(path, platform)
    rules = platform.initializer
    landed: list[Landed] = []
    skipped: list[tuple[str, str]] = []
    for key, size in objects:
        if not key.startswith(prefix):
            continue
        if key.endswith("/"):
            skipped.append((key, "a folder marker (keys ending in / are skipped)"))
            continue
        if size == 0 and rules is Initializer.REMOVEPREFIX:
            skipped.append((key, "0 bytes (skipped from odh-v3.4)"))
            continue
        if key == prefix:  # the exact object: that file alone, to its basename
            landed = [Landed(key, size, key.rsplit("/", 1)[-1])]
            skipped += [
                (k, "not downloaded: the path names one object") for k, _ in objects if k != key
            ]
            break
        landed.append(
            Landed(key, size, _kserve_target(key, prefix, rules) or key.rsplit("/", 1)[-1])
        )
    root = "/mnt/models"
    problem = ""
    notes: tuple[str, ...] = ()
    siblings = sorted(
        {
            f.key[len(prefix) :].split("/", 1)[0]
            for f in landed
            if prefix and not prefix.endswith("/")
        }
        - {""}
    )
    if siblings:
        shown = ", ".join(f"{prefix}{s}" for s in siblings[:4])
        notes = (
            f'the prefix "{prefix}" has no "/" boundary: {shown} is downloaded too (to '
            f"{root}/{_kserve_target(prefix + siblings[0], prefix, rules)})",
        )
    if not landed:
        problem = f"Failed to fetch model. No model found in {prefix}."
    unpacked = ""
    if len(landed) == 1 and landed[0].target.lower().endswith(ARCHIVES):
        unpacked = landed[0].key
    return Landing(
        platform,
        prefix,
        root,
        tuple(landed),
        tuple(skipped),
        unpacked=unpacked,
        problem=problem,
        notes=notes,
    )


# -- the ModelMesh puller -------------------------------------------------------------------------


def _pull(objects: list[tuple[str, int]], path: str, platform: Platform) -> Landing:
    prefix = path
    base = path.rstrip("/").rsplit("/", 1)[-1] if path.strip("/") else "_model"
    root = f"/models/{platform.model_id or '<model-id>'}"
    landed: list[Landed] = []
    skipped: list[tuple[str, str]] = []
    for key, size in objects:
        if not key.startswith(prefix):
            continue
        inside = prefix.endswith("/") or key == prefix or key.startswith(prefix + "/")
        if not inside:
            why = (
                'an empty path keeps only keys under "/", and no S3 key starts with "/"'
                if not prefix
                else f'neither "{prefix}" itself nor under "{prefix}/"'
            )
            skipped.append((key, why))
            continue
        if key.endswith("/"):
            skipped.append((key, "a folder marker"))
            continue
        rest = key[len(prefix) :].lstrip("/")
        landed.append(Landed(key, size, f"{base}/{rest}" if rest else base))
    problem = ""
    if not landed:
        problem = (
            "Failed to load Model due to adapter error: Error calling stat on model file: "
            f"stat {root}/{base}: no such file or directory"
        )
    return Landing(platform, prefix, root, tuple(landed), tuple(skipped), problem=problem)


# -- what the runtime loads -----------------------------------------------------------------------


def _version_folders(files: tuple[Landed, ...], top: str) -> dict[int, list[Landed]]:
    """Numeric folders (> 0) directly under `top`, with the files in each."""
    versions: dict[int, list[Landed]] = {}
    for item in files:
        rest = item.target.removeprefix(top)
        head, _, tail = rest.partition("/")
        if tail and head.isdigit() and int(head) > 0:
            versions.setdefault(int(head), []).append(item)
    return versions


def _models_among(files: list[Landed] | tuple[Landed, ...]) -> tuple[str, ...]:
    keys = tuple(f.key for f in files)
    return model_files(keys)


def _load(landing: Landing) -> Landing:
    platform, files = landing.platform, landing.landed
    if landing.unpacked:
        note = f"{landing.unpacked} is unpacked into {landing.root}: its content is not listed"
        return replace(landing, loaded=files, notes=(*landing.notes, note))
    if platform.runtime == "vllm":
        return replace(landing, loaded=files)
    if platform.runtime != "ovms":
        return replace(landing, loaded=files, model_files=_models_among(files))
    if platform.platform == MODELMESH:
        top = files[0].target.split("/", 1)[0] + "/" if "/" in files[0].target else ""
        versions = _version_folders(files, top)
        directories = {
            f.target.removeprefix(top).split("/", 1)[0]
            for f in files
            if "/" in f.target.removeprefix(top)
        }
        loose = [f for f in files if "/" not in f.target.removeprefix(top)]
        if versions and not loose and len(directories) == len(versions):
            version = max(versions)
            loaded = versions[version]
            return replace(
                landing,
                loaded=tuple(loaded),
                model_files=_models_among(loaded),
                version=str(version),
            )
        return replace(landing, loaded=files, model_files=_models_among(files), version="1")
    versions = _version_folders(files, "")
    if not versions:
        shown = ", ".join(f.target for f in files[:4])
        return replace(
            landing,
            model_files=_models_among(files),  # judged anyway: bucket-path says why none loads
            problem=f"No version found for model in path: {landing.root} (OVMS needs "
            f"<version>/<model file>; the files land at {shown})",
        )
    version = max(versions)
    loaded = versions[version]
    notes = landing.notes
    if len(versions) > 1:
        notes += (
            f"version folders {', '.join(str(v) for v in sorted(versions))}: OVMS serves the highest, {version}",
        )
    return replace(
        landing,
        loaded=tuple(loaded),
        model_files=_models_among(loaded),
        version=str(version),
        notes=notes,
    )
