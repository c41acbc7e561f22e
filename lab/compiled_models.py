"""Each distinct ONNX file the lab serves, parsed and compiled once.

The lab serves the same few models in dozens of deployments: compiling the same iris model again
for each cost the lab ~1.5 s of CPU at start. Only what loads is kept; a file that fails, fails
again for the next deployment that has it. The graph is only read, and onnxruntime's session may
be run from several threads at once."""

from __future__ import annotations

import functools
from typing import Any


@functools.lru_cache(maxsize=64)
def graph(data: bytes) -> Any:
    """The file's ModelProto (onnx raises on a file it cannot parse)."""
    import onnx

    return onnx.load_from_string(data)


@functools.lru_cache(maxsize=64)
def compiled(data: bytes) -> Any:
    """onnxruntime's session on the CPU (raises on a model it cannot compile)."""
    import onnxruntime

    return onnxruntime.InferenceSession(data, providers=["CPUExecutionProvider"])
