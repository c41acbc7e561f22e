"""Files the console writes for the user (reports, exports): under
$XDG_STATE_HOME/rhoai-doctor/reports/, never the current directory (under `make demo` that is
the git checkout); only the owner may read them (they name clusters and users)."""

from __future__ import annotations

import os
from pathlib import Path

from tui.xdg import Places, private_dir


class ExportError(Exception):
    """One sentence: which file, and why it could not be written."""


def write_export(places: Places, name: str, text: str) -> Path:
    path = places.reports / name
    try:
        private_dir(path.parent)
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
    except OSError as error:
        raise ExportError(f"Cannot write {path}: {error.strerror or error}") from error
    return path
