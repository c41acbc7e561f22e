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


def is_model_file(key: str, keys: tuple[str, ...]) -> bool:
    name = key.rsplit("/", 1)[-1].lower()
    if not name.endswith(MODEL_SUFFIXES):
        return False
    if name.endswith(COMPANIONS):
        stem = key.rsplit(".", 1)[0]
        # weights beside their IR, or a config beside a model, are part of that model
        if any(k != key and k.rsplit(".", 1)[0] == stem for k in keys) or name.endswith(".json"):
            return False
    return True
