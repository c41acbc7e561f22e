"""Where the console keeps its files, per the XDG base directory spec: preferences under
$XDG_CONFIG_HOME, reports/exports/history/crash reports under $XDG_STATE_HOME; never the current
directory (under `make demo` that is the git checkout). Resolved once, from the environment the
console was started with."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
MAX_NAME = 200
APP = "rhoai-doctor"


def _base(environ: Mapping[str, str], name: str, default: str) -> Path:
    """The spec says a relative path in the variable is invalid and must be ignored."""
    value = environ.get(name, "")
    if value and os.path.isabs(value):
        return Path(value)
    home = environ.get("HOME") or str(Path.home())
    return Path(home) / default


@dataclass(frozen=True)
class Places:
    config: Path  # $XDG_CONFIG_HOME/rhoai-doctor
    state: Path  # $XDG_STATE_HOME/rhoai-doctor

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None) -> Places:
        env = os.environ if environ is None else environ
        return cls(
            config=_base(env, "XDG_CONFIG_HOME", ".config") / APP,
            state=_base(env, "XDG_STATE_HOME", ".local/state") / APP,
        )

    @property
    def prefs_file(self) -> Path:
        return self.config / "console.toml"

    @property
    def reports(self) -> Path:
        return self.state / "reports"

    @property
    def history(self) -> Path:
        return self.state / "history"


def private_dir(path: Path) -> Path:
    """Create a directory only its owner can read (reports name clusters and users; history
    and crash reports may quote a server's answer). mkdir's mode reaches only the last folder
    and never one that exists: every folder of ours, from the rhoai-doctor folder down, is made
    0700 (the XDG base folders above it are the user's)."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    ours = [path, *path.parents]
    top = next((i for i, folder in enumerate(ours) if folder.name == APP), 0)
    for folder in ours[: top + 1]:
        if folder.stat().st_mode & 0o777 != 0o700:
            folder.chmod(0o700)
    return path


def safe_file_name(name: str) -> str:
    """`name` (made of names a capture lets anyone choose) as one file name: no separator, no
    leading dot, nothing but [A-Za-z0-9._-]."""
    return UNSAFE_NAME.sub("-", name).lstrip(".-")[:MAX_NAME] or "export"


def private_write(path: Path, text: str, *, append: bool = False) -> Path:
    """Write (or append to) a file only its owner can read, in a private folder; a file that
    was there with wider modes is narrowed first; a symlink planted at `path` is not followed."""
    private_dir(path.parent)
    flags = os.O_WRONLY | os.O_CREAT | (os.O_APPEND if append else os.O_TRUNC)
    flags |= getattr(os, "O_NOFOLLOW", 0)
    handle = os.open(path, flags, 0o600)
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        os.fchmod(out.fileno(), 0o600)
        out.write(text)
    return path
