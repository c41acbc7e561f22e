"""The headless core: connection, snapshot, typed resources, checks, reports.

httpx's package imports its command-line client (`httpx._main`: click, rich's progress bars,
pygments; ~40 ms, a fifth of `rhoai-doctor get`) and carries on without it when that import
fails, as it does when httpx is installed without its `cli` extra. rhoai-doctor never runs
httpx's command line, so the first import of httpx in this process goes the way it goes
without that extra; the hook then removes itself, and a later explicit `import httpx._main`
works as usual."""

from __future__ import annotations

import sys


class _WithoutHttpxCli:
    """A meta path finder (importlib.abc is not imported for it: ~8 ms)."""

    def find_spec(self, fullname: str, path: object, target: object = None) -> None:
        if fullname != "httpx._main":
            return None
        sys.meta_path.remove(self)
        raise ModuleNotFoundError("httpx's command line is not used here", name=fullname)


if "httpx" not in sys.modules:
    sys.meta_path.insert(0, _WithoutHttpxCli())
