"""rhoai-doctor's front door: the command line, one module per command, the entry point."""

from __future__ import annotations


def __getattr__(name: str) -> str:
    """`__version__` on demand: importlib.metadata costs ~25 ms, wanted only by --version and
    bundle, never on the way to the first frame."""
    if name != "__version__":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        found = version("rhoai-doctor")
    except PackageNotFoundError:  # run from a checkout that was never installed
        found = "0+unknown"
    globals()["__version__"] = found
    return found
