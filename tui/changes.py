"""The details pane's "Changes since <capture>" section, when the console runs with
`--diff-against CAPTURE`: the selected deployment's fields, labels, annotations, runtime and
connection key names that differ from the capture (`rhoai-doctor diff` also compares checks)."""

from __future__ import annotations

from typing import Any

from rich.text import Text

from checks import resources
from checks.cluster.snapshot import Snapshot
from checks.errors import DoctorError
from checks.text import visible

SHOWN = 12  # changes listed; the rest are counted
WIDTH = 40


def changes_section(app: Any, obj: Any, snapshot: Snapshot) -> Text | None:
    """None when there is nothing to compare (no capture given, not a deployment)."""
    options = getattr(getattr(app, "session", None), "options", None)
    path = getattr(options, "diff_against", None)
    if not path or not isinstance(obj, resources.Deployment | resources.LLMService):
        return None
    from checks.capture.diff_sides import changes_since  # only with --diff-against

    try:
        label, changes = changes_since(path, snapshot, obj)
    except DoctorError as error:
        return Text(visible(f"\nChanges since {path}: {error}"), style="red")
    out = Text(visible(f"\nChanges since {label}"), style="bold")
    if not changes:
        out.append("\nnone in the objects", style="dim")
    for change in changes[:SHOWN]:
        out.append("\n")
        out.append(Text(visible(change.what)))
        out.append(Text(visible(f": {_cut(change.before)} → {_cut(change.after)}"), style="yellow"))
    if len(changes) > SHOWN:
        out.append(f"\n… {len(changes) - SHOWN} more (rhoai-doctor diff)", style="dim")
    return out


def _cut(text: str) -> str:
    return text if len(text) <= WIDTH else text[: WIDTH - 1] + "…"
