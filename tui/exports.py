"""Files the console writes for the user (reports, exports): under
$XDG_STATE_HOME/rhoai-doctor/reports/, never the current directory (under `make demo` that is
the git checkout); only the owner may read them (they name clusters and users). A file's name is
made of a deployment's and a project's names, which a capture lets anyone choose (`../` in
them), so the name is cut to a safe alphabet and the file must land in the reports folder."""

from __future__ import annotations

from pathlib import Path

from tui.xdg import Places, private_write, safe_file_name


class ExportError(Exception):
    """One sentence: which file, and why it could not be written."""


def write_export(places: Places, name: str, text: str) -> Path:
    folder = places.reports
    path = folder / safe_file_name(name)
    try:
        if path.parent.resolve() != folder.resolve():  # the name was cut above: never true
            raise ExportError(f"Cannot write {path}: it is not in {folder}")
        private_write(path, text)
    except OSError as error:
        raise ExportError(f"Cannot write {path}: {error.strerror or error}") from error
    return path
