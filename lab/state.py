"""Where a lab keeps its files; several labs can run side by side with different state dirs."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any


def default_state_dir() -> Path:
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "rhoai-doctor" / "lab"


@dataclass(frozen=True)
class LabState:
    root: Path

    @property
    def info_file(self) -> Path:
        return self.root / "lab.json"

    @property
    def pid_file(self) -> Path:
        return self.root / "lab.pid"

    @property
    def kubeconfig(self) -> Path:
        return self.root / "kubeconfig"

    @property
    def log_file(self) -> Path:
        return self.root / "lab.log"

    @property
    def ca_file(self) -> Path:
        return self.root / "ca.crt"

    def prepare(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True, mode=0o700)

    def write_private(self, path: Path, text: str) -> None:
        """Tokens live in these files: only the owner may read them."""
        path.touch(mode=0o600, exist_ok=True)
        os.chmod(path, 0o600)
        path.write_text(text)

    def info(self) -> dict[str, Any] | None:
        try:
            return json.loads(self.info_file.read_text())
        except (OSError, ValueError):
            return None

    def pid(self) -> int | None:
        try:
            return int(self.pid_file.read_text().strip())
        except (OSError, ValueError):
            return None
