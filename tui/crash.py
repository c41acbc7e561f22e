"""When the console meets a bug of ours: one line on screen, and a report to send us that holds
the traceback without its locals (they would hold the snapshot, secrets included) and with every
known secret and token blanked."""

from __future__ import annotations

import os
import time
import traceback
from pathlib import Path

from checks.engine.redaction import Redactor
from tui.xdg import private_write


def state_dir() -> Path:
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "rhoai-doctor"


def write_report(error: BaseException, redact: Redactor) -> Path | None:
    """The crash report's path, or None when it could not be written (then the line says so)."""
    lines = traceback.format_exception(type(error), error, error.__traceback__)
    path = state_dir() / f"crash-{time.strftime('%Y%m%d-%H%M%S')}.txt"
    try:
        private_write(path, redact("".join(lines)))
    except OSError:
        return None
    return path


def one_line(error: BaseException, report: Path | None) -> str:
    where = f"; a report without secrets is in {report}" if report else ""
    return (
        f"rhoai-doctor stopped on an internal error ({type(error).__name__}){where}. "
        "Please send it to us."
    )
