"""rhoai-doctor's front door: the command line, one module per command, the entry point."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("rhoai-doctor")
except PackageNotFoundError:  # run from a checkout that was never installed
    __version__ = "0+unknown"
