"""Files the console writes for the user (reports, exports): under
$XDG_STATE_HOME/rhoai-doctor/reports/, never the current directory (under `make demo` that is
the git checkout); only the owner may read them (they name clusters and users)."""

from __future__ import annotations

from pathlib import Path

from tui.xdg import Places, private_write


class ExportError(Exception):
    """One sentence: which file, and why it could not be written."""


def write_export(places: Places, name: str, text: str) -> Path:
    path = places.reports / name
    try:
        private_write(path, text)
    except OSError as error:
        raise ExportError(f"Cannot write {path}: {error.strerror or error}") from error
    return path
