"""The demo models, built once per machine and kept: building them imports scikit-learn,
skl2onnx and onnx and fits a KMeans (~3 s of CPU), and every lab start (a test run starts
several) would build the same bytes again. Kept under $XDG_CACHE_HOME, keyed by the source
of the builders and the versions of the libraries that build them, so a change to either
builds afresh; a cache that cannot be read or written is ignored, never an error."""

from __future__ import annotations

import dataclasses
import hashlib
import os
import zipfile
from importlib import metadata
from pathlib import Path

from lab import models, models_model_dir
from lab.models import DemoModels

LIBRARIES = ("numpy", "scikit-learn", "skl2onnx", "onnx")


def _key() -> str:
    digest = hashlib.sha256()
    for module in (models, models_model_dir):
        digest.update(Path(module.__file__ or "").read_bytes())
    for name in LIBRARIES:
        try:
            digest.update(f"{name}={metadata.version(name)};".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name}=none;".encode())
    return digest.hexdigest()[:16]


def cache_file() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "rhoai-doctor" / f"lab-models-{_key()}.zip"


def _read(path: Path) -> DemoModels | None:
    try:
        with zipfile.ZipFile(path) as archive:
            fields = {f.name: archive.read(f.name) for f in dataclasses.fields(DemoModels)}
    except (OSError, KeyError, zipfile.BadZipFile):
        return None
    return DemoModels(**fields)


def _write(path: Path, built: DemoModels) -> None:
    part = path.with_suffix(f".{os.getpid()}.part")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(part, "w", zipfile.ZIP_STORED) as archive:
            for field in dataclasses.fields(DemoModels):
                archive.writestr(field.name, getattr(built, field.name))
        os.replace(part, path)  # whole or not at all: another lab may be reading it
    except OSError:
        part.unlink(missing_ok=True)


def demo_models() -> DemoModels:
    """The built models: from the cache when it holds these builders' output, else built."""
    path = cache_file()
    if (kept := _read(path)) is not None:
        return kept
    built = models.build_all()
    _write(path, built)
    return built
