"""Which of the listed objects the runtime would actually load, so a check never judges another
model's file.

Under a non-empty path every object is the model's (the initializer copies the whole prefix).
With an empty path the runtime downloads the whole bucket into /mnt/models; what it then loads is
the highest numeric version folder at the root (OVMS layout) or, without one, the files lying at the
root itself. Files in other folders belong to other models. Several model files where one is loaded
is ambiguous, and said so.
"""

from __future__ import annotations

from dataclasses import dataclass

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


@dataclass(frozen=True)
class Selection:
    """The keys the runtime loads, the model files among them, and the rest of the listing."""

    loaded: tuple[str, ...]
    model_files: tuple[str, ...]
    elsewhere: tuple[str, ...]  # listed but not loaded (other models' folders)
    at_root: bool

    @property
    def ambiguous(self) -> bool:
        return len(self.model_files) > 1

    def first_onnx(self) -> str:
        """The ONNX file the runtime loads; '' when there is none or the choice is ambiguous."""
        onnx = [k for k in self.loaded if k.endswith(".onnx")]
        return onnx[0] if len(onnx) == 1 or (onnx and not self.at_root) else ""


def _is_model_file(key: str, keys: tuple[str, ...]) -> bool:
    name = key.rsplit("/", 1)[-1].lower()
    if not name.endswith(MODEL_SUFFIXES):
        return False
    if name.endswith(COMPANIONS):
        stem = key.rsplit(".", 1)[0]
        # weights beside their IR, or a config beside a model, are part of that model
        if any(k != key and k.rsplit(".", 1)[0] == stem for k in keys) or name.endswith(".json"):
            return False
    return True


def select(keys: list[str] | tuple[str, ...], path: str) -> Selection:
    keys = tuple(keys)
    if path.strip("/"):
        return Selection(keys, tuple(k for k in keys if _is_model_file(k, keys)), (), False)
    versions = sorted(
        {int(k.split("/", 1)[0]) for k in keys if "/" in k and k.split("/", 1)[0].isdigit()}
    )
    versions = [v for v in versions if v > 0]
    if versions:
        prefix = f"{versions[-1]}/"
        loaded = tuple(k for k in keys if k.startswith(prefix))
    else:
        loaded = tuple(k for k in keys if "/" not in k)
    elsewhere = tuple(k for k in keys if k not in loaded)
    models = tuple(k for k in loaded if _is_model_file(k, loaded))
    return Selection(loaded, models, elsewhere, True)
