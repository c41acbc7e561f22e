"""Which files are models (and which are a model's companions): the names the landing
(checks/storage/landing.py) uses to say which file the runtime loads. Several model files where
one is loaded is ambiguous, and said so."""

from __future__ import annotations

from collections import Counter

MODEL_SUFFIXES = (
    ".onnx",
    ".xml",
    ".pkl",
    ".pickle",
    ".joblib",
    ".pt",
    ".pth",
    ".pb",
    ".tflite",
    ".safetensors",
    ".bst",
    ".json",
    ".bin",
    ".tar",
    ".zip",
)
COMPANIONS = (".bin", ".json")  # an IR .xml's weights, configs: not models of their own


def model_files(keys: tuple[str, ...]) -> tuple[str, ...]:
    """The keys that are models of their own, in listing order. A folder may hold thousands of
    files: each name's stem is counted once, not compared with every other key."""
    stems = Counter(key.rsplit(".", 1)[0] for key in keys)
    return tuple(key for key in keys if _is_model_file(key, stems))


def _is_model_file(key: str, stems: Counter[str]) -> bool:
    name = key.rsplit("/", 1)[-1].lower()
    if not name.endswith(MODEL_SUFFIXES):
        return False
    # weights beside their IR, or a config beside a model, are part of that model
    companion = name.endswith(".json") or stems[key.rsplit(".", 1)[0]] > 1
    return not (name.endswith(COMPANIONS) and companion)
