"""One entry for every capture: a file is an rhoai-doctor bundle, a directory with `namespaces/`
is an `oc adm must-gather` / `oc adm inspect` output. Anything else is one line saying so."""

from __future__ import annotations

from pathlib import Path

from checks.capture.model import Capture
from checks.errors import DoctorError, ErrorKind


def load_capture(path: Path | str, timeout: float = 10.0) -> Capture:
    """`timeout` bounds each file's read (--request-timeout): a capture never hangs a command."""
    path = Path(path).expanduser()
    if path.is_file():
        from checks.capture.bundle_read import read_bundle

        return read_bundle(path, timeout=timeout)
    if path.is_dir():
        from checks.capture.must_gather import read_must_gather

        return read_must_gather(
            path, timeout=timeout
        )  # finds namespaces/ however deep must-gather nests it
    if path.exists():  # a FIFO, a device, a socket: never opened
        raise DoctorError(
            ErrorKind.USAGE, f"{path}: not a capture (neither a file nor a directory)"
        )
    raise DoctorError(ErrorKind.NOT_FOUND, f"{path}: no such capture (file or directory)")
