"""The rows of the help screen, read from the screens' own BINDINGS (README's key table is made
from the same rows by tui/keys.py): apart from the app and its screens, so that the help screen
the app opens does not import the app back."""

from __future__ import annotations

from textual.binding import Binding

GENERAL = [
    ("ctrl+p", "command palette: jump to a project or deployment, diagnose, switch context, theme"),
    ("tab / shift+tab", "move between the lists; the mouse works too"),
]
NOTE = (
    "rhoai-doctor is read-only: it only reads your cluster, and never changes it.\n"
    "While you type in a filter or search, letters go there; escape leaves it."
)


def own_bindings(cls: type) -> list[Binding]:
    """The bindings our classes declare (Textual's own defaults left out), merged as Textual
    merges them (a subclass' key replaces its base's); the screen's own first."""
    by_key: dict[str, Binding] = {}
    for base in cls.__mro__:
        if not base.__module__.startswith("tui."):
            continue
        for binding in base.__dict__.get("BINDINGS", []):
            if isinstance(binding, Binding):
                by_key.setdefault(binding.key, binding)
    return list(by_key.values())


def key_label(binding: Binding) -> str:
    return binding.key_display or " / ".join(binding.key.split(","))


def rows_of(cls: type, skip: set[str] | None = None) -> list[tuple[str, str]]:
    """(key, what) for each described binding; the numbered tabs on one line."""
    rows: list[tuple[str, str]] = []
    digits: list[Binding] = []
    for binding in own_bindings(cls):
        if not binding.description or set(binding.key.split(",")) <= (skip or set()):
            continue
        if binding.key.isdigit() and binding.action.startswith("show_tab"):
            digits.append(binding)
            continue
        what = binding.description
        if binding.tooltip:
            what = f"{what}: {binding.tooltip}"
        rows.append((key_label(binding), what))
    if digits:
        keys = f"{digits[0].key}…{digits[-1].key}" if len(digits) > 1 else digits[0].key
        rows.insert(0, (keys, ", ".join(b.description for b in digits)))
    return rows


def keys_of(cls: type) -> set[str]:
    return {k for b in own_bindings(cls) for k in b.key.split(",")}


def key_rows(screen_cls: type, app_cls: type) -> list[tuple[str, str]]:
    """A screen's keys, then the app's that the screen does not take over, then the general."""
    return rows_of(screen_cls) + rows_of(app_cls, keys_of(screen_cls)) + GENERAL
