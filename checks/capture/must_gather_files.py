"""How the must-gather reader reads one file: through CaptureFiles (regular files inside the
root only, capped in bytes and time) and the capture's YAML budget, each failure one line in
`Capture.unreadable` naming the file, never an exception or a silent gap."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from checks.capture.model import Capture
from checks.capture.safe_files import CaptureFiles, RefusedFile
from checks.capture.safe_yaml import YamlBudget, load_yaml
from checks.cluster.kube import Raw
from checks.cluster.snapshot_kinds import KIND_PATHS

MAX_YAML_BYTES = 64 * 1024 * 1024  # the LIST ceiling of the live reader
LOG_TAIL_BYTES = 512 * 1024
LOG_TAIL_LINES = 1000
TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d) ")


@dataclass
class Reader:
    """One must-gather being read: where its files are, and the caps they share."""

    capture: Capture
    files: CaptureFiles
    budget: YamlBudget

    def load(self, namespace: str, kind: str, path: Path) -> Any:
        """One YAML document; None (and one line) when it cannot be read."""
        if not os.path.lexists(path):
            return None
        try:
            return load_yaml(self.files.read(path, MAX_YAML_BYTES), self.budget)
        except (RefusedFile, yaml.YAMLError) as error:
            text = str(error).strip()
            first = text.splitlines()[0] if text else type(error).__name__
            self.unreadable(namespace, kind, f"{path.name} could not be read ({first})")
            return None

    def items(self, namespace: str, kind: str, path: Path, loaded: Raw) -> list[Raw]:
        """The objects of a List (or the one object) a file holds; an item with no name is
        one line, not a silent gap (a sweep would say "No deployments found")."""
        listed = loaded.get("items")
        raw: list[Any] = listed if isinstance(listed, list) else [loaded]
        kept = [x for x in raw if _named(x)]
        if len(kept) < len(raw):
            bad = len(raw) - len(kept)
            self.unreadable(namespace, kind, f"{path.name}: {bad} object(s) with no metadata.name")
        return kept

    def unreadable(self, namespace: str, kind: str, line: str) -> None:
        """A file that cannot be read is one line (the kind's other files are still read)."""
        self.capture.unreadable.setdefault(namespace, {}).setdefault(kind, []).append(line)

    def settle(self, namespace: str) -> None:
        """A kind with unreadable files and no object read at all is unreadable as a whole
        (as a LIST that failed); one with objects keeps them, its lines beside them."""
        kinds = self.capture.objects.get(namespace, {})
        for kind, lines in (self.capture.unreadable.get(namespace) or {}).items():
            if kind in KIND_PATHS and not kinds.get(kind):
                self.capture.forbidden.setdefault(namespace, {}).setdefault(kind, lines[0])

    def tail(self, path: Path) -> str | None:
        """The last lines of a log file without the kubelet's timestamps (the live log has
        none); an empty previous.log is what oc writes when there was no previous instance."""
        if not self.files.is_file(path):
            return None  # a symlink, FIFO or device is not a log (M1, M2 of issue 22)
        try:
            data, cut = self.files.tail(path, LOG_TAIL_BYTES)
        except RefusedFile:
            return None
        if not data.strip():
            return None
        lines = data.decode("utf-8", "replace").splitlines()
        if cut:
            lines = lines[1:]  # the first line was cut by the seek
        lines = lines[-LOG_TAIL_LINES:]
        return "".join(TIMESTAMP.sub("", line, count=1) + "\n" for line in lines)


def _named(item: Any) -> bool:
    meta = item.get("metadata") if isinstance(item, dict) else None
    return isinstance(meta, dict) and isinstance(meta.get("name"), str) and bool(meta["name"])
