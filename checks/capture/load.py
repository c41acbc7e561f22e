"""One entry for every capture: a file is an rhoai-doctor bundle, a directory with `namespaces/`
is an `oc adm must-gather` / `oc adm inspect` output. Anything else is one line saying so."""

from __future__ import annotations

from pathlib import Path

from checks.capture.model import Capture
from checks.errors import DoctorError, ErrorKind


def load_capture(path: Path | str) -> Capture:
    path = Path(path).expanduser()
    if path.is_file():
        from checks.capture.bundle_read import read_bundle

        return read_bundle(path)
    if path.is_dir():
        root = _must_gather_root(path)
        if root is None:
            raise DoctorError(
                ErrorKind.USAGE,
                f"{path} is a directory without namespaces/: give a bundle file or an "
                "`oc adm must-gather` / `oc adm inspect` directory",
            )
        try:
            from checks.capture.must_gather import read_must_gather  # type: ignore[import-not-found]
        except ImportError:
            raise DoctorError(
                ErrorKind.USAGE, f"{path}: reading must-gather directories is not available yet"
            ) from None
        return read_must_gather(path)
    raise DoctorError(ErrorKind.NOT_FOUND, f"{path}: no such capture (file or directory)")


def _must_gather_root(path: Path) -> Path | None:
    """must-gather nests its output one or two levels down (<image-dir>/namespaces/...)."""
    if (path / "namespaces").is_dir():
        return path
    for child in sorted(p for p in path.iterdir() if p.is_dir()):
        if (child / "namespaces").is_dir():
            return child
    return None
