"""The product as a user installs it, for start-up timing: `pip install rhoai-doctor` into a
venv of its own, with only the product's dependencies and compiled bytecode.

The development venv also holds the lab's and the tests' packages. Some of them change what the
product imports at start: moto and mlserver bring click, and httpx imports its command-line
tool (click, rich, pygments: ~60 ms) whenever click is importable. A user's install has no
click, so timing start-up in the development venv measures packages the user never has."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv-user"


def installed_python() -> tuple[str, str]:
    """(the python of a fresh product-only install of this tree, how it was made); the
    development venv's own python, and why, where uv is not at hand."""
    uv = shutil.which("uv") or str(Path(sys.executable).parent / "uv")
    if not Path(uv).exists():
        return sys.executable, "the development venv (no uv to build a user's install)"
    python, stamp = VENV / "bin" / "python", VENV / ".installed"
    pyproject = ROOT / "pyproject.toml"
    if stamp.exists() and stamp.stat().st_mtime >= pyproject.stat().st_mtime:
        return str(python), HOW
    steps = (
        [] if python.exists() else [[uv, "venv", "--quiet", "--python", sys.executable, str(VENV)]]
    )
    # --compile-bytecode, as pip does: where PYTHONDONTWRITEBYTECODE is set (the Makefile's
    # environment) nothing would ever cache it, and every timed run compiled httpx, boto3…
    steps.append(
        [uv, "pip", "install", "--quiet", "--compile-bytecode", "--python", str(python), str(ROOT)]
    )
    for step in steps:
        done = subprocess.run(step, capture_output=True, text=True, cwd=ROOT)
        if done.returncode != 0:
            why = (done.stderr.strip().splitlines() or ["?"])[-1]
            return sys.executable, f"the development venv (a user's install failed: {why})"
    stamp.touch()
    return str(python), HOW


# Run from the tree (cwd first on sys.path), so the code timed is this checkout's, compiled
# as an installed package is; the venv gives only what the user's install would hold beside it.
HOW = "a product-only venv (.venv-user: `uv pip install .`, no lab or test packages)"
