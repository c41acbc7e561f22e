"""Per-deployment request history: bodies and outcomes, never tokens."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from pathlib import Path

from tui.xdg import Places, private_write, safe_file_name


def history_dir() -> Path:
    """$XDG_STATE_HOME/rhoai-doctor/history as the environment says now (the console passes
    the directory it resolved when it started)."""
    return Places.from_environ(os.environ).history


def history_file(namespace: str, name: str, directory: Path | None = None) -> Path:
    """One file per deployment; a capture's names (`../` in them) never become a path."""
    return (directory or history_dir()) / safe_file_name(f"{namespace}__{name}.jsonl")


def record(
    namespace: str,
    name: str,
    url: str,
    body: str,
    status: int | None,
    seconds: float,
    outcome: str,
    directory: Path | None = None,
    redact: Callable[[str], str] | None = None,
) -> None:
    """One line per request, 0600 in a 0700 folder; `redact` masks the tokens the request knew
    (a body or an error may quote one), in every form."""
    clean = redact or (lambda text: text)
    entry = {
        "time": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "url": clean(url),
        "body": clean(body),
        "status": status,
        "seconds": round(seconds, 4),
        "outcome": clean(outcome),
    }
    private_write(history_file(namespace, name, directory), json.dumps(entry) + "\n", append=True)


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
