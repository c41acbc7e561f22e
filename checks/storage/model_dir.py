"""Which files are models (and which are a model's companions): the names the landing
(checks/storage/landing.py) uses to say which file the runtime loads. Several model files where
one is loaded is ambiguous, and said so."""

from __future__ import annotations

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
    """The keys that are models: a model suffix, but not weights beside their IR or a config
    (a companion with another key of the same stem, or any .json). In one pass: a folder of
    1,200 weights asked key by key against every other key cost a sweep seconds (n² stems)."""
    stems: dict[str, int] = {}
    same: dict[str, int] = {}
    for k in keys:
        stem = k.rsplit(".", 1)[0]
        stems[stem] = stems.get(stem, 0) + 1
        same[k] = same.get(k, 0) + 1
    found = []
    for key in keys:
        name = key.rsplit("/", 1)[-1].lower()
        if not name.endswith(MODEL_SUFFIXES):
            continue
        if name.endswith(COMPANIONS):
            # another key with the same stem (copies of this key are not another)
            others = stems[key.rsplit(".", 1)[0]] - same[key]
            if others > 0 or name.endswith(".json"):
                continue
        found.append(key)
    return tuple(found)
