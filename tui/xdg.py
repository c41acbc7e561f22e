"""Where the console keeps its files, per the XDG base directory spec: preferences under
$XDG_CONFIG_HOME, reports/exports/history/crash reports under $XDG_STATE_HOME; never the current
directory (under `make demo` that is the git checkout). Resolved once, from the environment the
console was started with."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

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
    """Create a directory only its owner can read (reports name clusters and users)."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path
