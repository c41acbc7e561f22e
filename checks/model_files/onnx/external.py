"""Weights kept outside the .onnx file, as onnx and onnxruntime find them: each `location` is a
file beside the model (relative to its folder, never outside it), long enough for the weight's
offset + length. Judged against the listing: no byte of the weights is read."""

from __future__ import annotations

import posixpath
from typing import Any


def external_problems(
    signature: Any, model_key: str, sizes: dict[str, int], listed: frozenset[str] = frozenset()
) -> list[str]:
    """One line per data file the runtime could not read the weights from. `sizes` are the
    files that land beside the model; `listed` the bucket's other keys (there, not downloaded)."""
    folder = model_key.rsplit("/", 1)[0] + "/" if "/" in model_key else ""
    missing: dict[str, list[str]] = {}
    problems: list[str] = []
    for ref in signature.external_data:
        location = ref.location
        if not location:
            problems.append(f"weight {ref.tensor} is stored externally but names no file")
            continue
        normal = posixpath.normpath(location)
        if location.startswith("/") or normal.startswith(".."):
            problems.append(
                f"weight {ref.tensor}: location {location!r} is outside the model's folder, "
                "which onnx and onnxruntime refuse to read"
            )
            continue
        key = folder + normal
        size = sizes.get(key)
        if size is None:
            missing.setdefault(key, []).append(ref.tensor)
        elif ref.end is not None and size < ref.end:
            problems.append(
                f"external data file {key} is {size:,} bytes, but weight {ref.tensor} needs "
                f"bytes {ref.offset:,}..{ref.end:,}"
            )
    for key, tensors in missing.items():
        shown = ", ".join(tensors[:3]) + (
            f" and {len(tensors) - 3} more" if len(tensors) > 3 else ""
        )
        where = (
            "is in the bucket but not downloaded with the model" if key in listed else "is missing"
        )
        plural = "s" if len(tensors) > 1 else ""
        problems.insert(0, f"external data file {key} {where} (weight{plural} {shown})")
    return problems


def external_files(signature: Any, model_key: str) -> list[str]:
    """The data files the weights are read from, as keys beside the model."""
    folder = model_key.rsplit("/", 1)[0] + "/" if "/" in model_key else ""
    return sorted(
        {folder + posixpath.normpath(r.location) for r in signature.external_data if r.location}
    )
