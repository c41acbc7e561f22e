"""Remembered console preferences (theme, last context and project, project pane layout) in
$XDG_CONFIG_HOME/rhoai-doctor/console.toml. Read with tomllib; written by a tiny writer (flat
string keys only). A file that cannot be read is ignored with one sentence, never a crash.

`projects_pane` ("shown"/"hidden") is how `p` last left the project pane on a narrow screen
(tui/screens/fleet_view.py); on a wide one the pane is always there."""

from __future__ import annotations

import json
import os
import tempfile
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path

from tui.xdg import private_dir

PANE_STATES = ("shown", "hidden")


@dataclass(frozen=True)
class Prefs:
    theme: str | None = None
    context: str | None = None
    project: str | None = None
    projects_pane: str | None = None  # "shown" / "hidden"; None: the layout decides by width

    def with_changes(self, **changes: str | None) -> Prefs:
        return replace(self, **changes)


KEYS = tuple(f.name for f in fields(Prefs))


@dataclass(frozen=True)
class Loaded:
    prefs: Prefs
    problem: str = ""  # why the file was ignored ("" when it was fine or absent)


def load(path: Path) -> Loaded:
    """The preferences in `path`; defaults when it is absent; defaults and a reason when not."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Loaded(Prefs())
    except OSError as error:
        return Loaded(Prefs(), f"cannot read {path}: {error.strerror or error}")
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        return Loaded(Prefs(), f"not valid TOML ({error}), so it was ignored: {path}")
    values: dict[str, str] = {}
    wrong: list[str] = []
    for key in KEYS:
        value = data.get(key)
        if value is None:
            continue
        if (
            not isinstance(value, str)
            or (key == "projects_pane" and value not in PANE_STATES)
            or not value.isprintable()  # an escape sequence or bidi is no name we wrote
        ):
            wrong.append(key)
            continue
        values[key] = value
    problem = f"ignored {', '.join(wrong)} (not a valid value) in {path}" if wrong else ""
    return Loaded(Prefs(**values), problem)


def dumps(prefs: Prefs) -> str:
    """TOML for flat string keys: a JSON string is a valid TOML basic string."""
    lines = ["# rhoai-doctor console preferences; written by the console, safe to edit or delete"]
    for key in KEYS:
        value = getattr(prefs, key)
        if value is not None:
            lines.append(f"{key} = {json.dumps(value)}")
    return "\n".join(lines) + "\n"


def save(path: Path, prefs: Prefs) -> str:
    """Write atomically (a crash never leaves half a file); "" or why it could not be written."""
    try:
        private_dir(path.parent)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".console-", suffix=".toml")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(dumps(prefs))
            os.replace(temporary, path)
        finally:
            Path(temporary).unlink(missing_ok=True)
    except OSError as error:
        return f"cannot save preferences to {path}: {error.strerror or error}"
    return ""
