"""Per-deployment request history: bodies and outcomes, never tokens."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from tui.xdg import Places


def history_dir() -> Path:
    """$XDG_STATE_HOME/rhoai-doctor/history as the environment says now (the console passes
    the directory it resolved when it started)."""
    return Places.from_environ(os.environ).history


def history_file(namespace: str, name: str, directory: Path | None = None) -> Path:
    return (directory or history_dir()) / f"{namespace}__{name}.jsonl"


def record(
    namespace: str,
    name: str,
    url: str,
    body: str,
    status: int | None,
    seconds: float,
    outcome: str,
    directory: Path | None = None,
) -> None:
    path = history_file(namespace, name, directory)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    entry = {
        "time": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "url": url,
        "body": body,
        "status": status,
        "seconds": round(seconds, 4),
        "outcome": outcome,
    }
    with path.open("a") as handle:
        handle.write(json.dumps(entry) + "\n")


def entries(
    namespace: str, name: str, limit: int = 20, directory: Path | None = None
) -> list[dict]:
    path = history_file(namespace, name, directory)
    if not path.exists():
        return []
    lines = path.read_text().splitlines()[-limit:]
    out = []
    for line in lines:
        try:
            out.append(json.loads(line))
        except ValueError:
            continue
    return out
