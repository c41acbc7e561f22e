"""What serving runtime images can load: OVMS's ONNX opset and IR limits per release (docs/domain.md §6.1)."""

from __future__ import annotations

import re

# OVMS / OpenVINO release -> (max ai.onnx opset, max IR version) of its bundled ONNX.
OVMS_ONNX_LIMITS: tuple[tuple[tuple[int, int], tuple[int, int], int, int], ...] = (
    ((2023, 0), (2023, 1), 18, 8),
    ((2023, 2), (2023, 2), 19, 9),
    ((2023, 3), (2024, 3), 20, 9),
    ((2024, 4), (2024, 4), 21, 10),
    ((2024, 5), (2025, 4), 22, 10),
    ((2026, 0), (2026, 1), 23, 11),
)


def ovms_release(image: str) -> tuple[int, int] | None:
    """(2024, 5) from '...openvino_model_server:2024.5-release'; None for other images."""
    if "openvino" not in image and "ovms" not in image:
        return None
    match = re.search(r":v?(\d{4})\.(\d+)", image)
    return (int(match.group(1)), int(match.group(2))) if match else None


def onnx_limits(image: str) -> tuple[int, int] | None:
    """(max opset, max IR) an OVMS image reads, or None when unknown."""
    release = ovms_release(image)
    if release is None:
        return None
    for low, high, opset, ir in OVMS_ONNX_LIMITS:
        if low <= release <= high:
            return opset, ir
    if release > OVMS_ONNX_LIMITS[-1][1]:
        return OVMS_ONNX_LIMITS[-1][2], OVMS_ONNX_LIMITS[-1][3]
    return None
