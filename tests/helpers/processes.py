"""Processes a test's process tree holds, read from /proc as `ps` reads them."""

from __future__ import annotations

import os


def children_running(parent: int, module: str) -> set[int]:
    """The living (not yet reaped) children of `parent` started as `python -m MODULE`."""
    found = set()
    for entry in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{entry}/stat", encoding="utf-8") as stat:
                ppid = int(stat.read().rsplit(")", 1)[1].split()[1])
            with open(f"/proc/{entry}/cmdline", "rb") as command:
                words = command.read().split(b"\0")
        except (OSError, ValueError, IndexError):
            continue  # gone meanwhile
        if ppid == parent and module.encode() in words:
            found.add(int(entry))
    return found
