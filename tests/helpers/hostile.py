"""Captures whose every free string carries terminal payloads (a clipboard write, a DCS, a C1
CSI, a right-to-left override, a screen clear, console markup), and a count of those payloads
in what a process wrote to its terminal. Names get the payload without `/` (it becomes a path in
a capture); free text (messages, a context name) gets it with a closing tag `[/x]` as well."""

from __future__ import annotations

import io
import json
import re
import tarfile
from pathlib import Path
from typing import Any

import yaml

OSC52 = "\x1b]52;c;SGVsbG8=\x07"
DCS = "\x1bPpwn\x1b\\"
C1 = "\x9b1m"
BIDI = "\u202e"
CLEAR = "\x1b[2J"
CLICK = "[@click=app.quit]"
NAME = OSC52 + DCS + C1 + BIDI + CLEAR + CLICK  # fits in a file name: no "/"
FREE = NAME + "CLICK[/x]"
CLOSING = "[/x]"  # a project named only this stopped the console at start (MarkupError)

# The console's own sequences: CSI (never a screen clear: Textual redraws, it does not clear),
# the pointer shape (OSC 22) and a clipboard write of what `c` copied (never the payload's).
# Whatever escape is left is the payload's, whole or cut short by a cell or a title.
OWN = re.compile(
    r"\x1b\[(?!2J)[0-?]*[ -/]*[@-~]|\x1b\]22;[^\x07\x1b]*\x07|\x1b\]52;c;(?!SGVs)[A-Za-z0-9+/=]*\x07"
)
C1_CHARS = re.compile("[\x80-\x9f]")
LITERAL = "[@click=app.quit]"  # markup shown as words, never parsed
KEEP = frozenset({"cls", "$t", "apiVersion", "kind"})  # the facts codec's and the API's own


def raw_found(output: str) -> dict[str, int]:
    """How often each payload occurs raw in `output` (all zero when every sink escapes)."""
    rest = OWN.sub("", output)
    return {
        "OSC 52 clipboard write (whole or cut)": output.count("\x1b]52;c;SGVs"),
        "DCS": rest.count("\x1bP"),
        "screen clear": output.count("\x1b[2J"),
        "C1 control": len(C1_CHARS.findall(rest)),
        "bidi override": rest.count(BIDI),
        "any other escape": rest.count("\x1b") - rest.count("\x1bP"),
    }


def rewrite(value: Any, tokens: dict[str, str], key: str = "") -> Any:
    """`value` with every token replaced in every key and string, and FREE after each message."""
    if isinstance(value, dict):
        return {rewrite(k, tokens): rewrite(v, tokens, k) for k, v in value.items()}
    if isinstance(value, list):
        return [rewrite(v, tokens, key) for v in value]
    if not isinstance(value, str) or key in KEEP:
        return value
    for old, new in tokens.items():
        value = value.replace(old, new)
    return value + FREE if key == "message" else value


def hostile_bundle(source: Path, dest: Path, tokens: dict[str, str]) -> Path:
    """A copy of the bundle `source` with the tokens (names) replaced everywhere, member names
    included, its context and user hostile, and two more projects named NAME and CLOSING."""
    members: dict[str, bytes] = {}
    with tarfile.open(source, "r:*") as tar:
        for member in tar:
            handle = tar.extractfile(member) if member.isfile() else None
            if handle is not None:
                members[member.name] = handle.read()
    out: dict[str, bytes] = {}
    for name, data in members.items():
        new_name = rewrite(name, tokens)
        if name.endswith(".json"):
            doc = rewrite(json.loads(data), tokens)
            if name.lstrip("./") == "manifest.json":
                doc["meta"].update(context=f"lab-admin{FREE}", user=f"lab-admin{FREE}")
                doc["namespaces"] += [NAME, CLOSING]
            if name.lstrip("./") == "projects.json":
                doc += [_project(NAME), _project(CLOSING)]
            data = json.dumps(doc, indent=1).encode()
        else:
            data = (rewrite(data.decode(), tokens) + f"{FREE}\n").encode()
        out[new_name] = data
    with tarfile.open(dest, "w:gz") as tar:
        for name, data in out.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return dest


def _project(name: str) -> dict:
    return {
        "kind": "Project",
        "metadata": {"name": name, "annotations": {"openshift.io/display-name": FREE}},
        "status": {"phase": "Active"},
    }


def hostile_tree(top: Path, tokens: dict[str, str]) -> None:
    """A must-gather directory rewritten in place: YAML strings, logs and every file and
    directory name that holds a token."""
    for path in sorted(top.rglob("*"), key=lambda p: len(p.parts), reverse=True):
        if path.is_file():
            if path.suffix == ".yaml":
                doc = rewrite(yaml.safe_load(path.read_text()), tokens)
                path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False))
            elif path.suffix == ".log":
                lines = rewrite(path.read_text(), tokens).splitlines()
                stamp = lines[-1].split(" ", 1)[0] if lines else ""  # `--timestamps` lines
                lines.append(f"{stamp} {FREE}")
                path.write_text("\n".join(lines) + "\n")
        renamed = rewrite(path.name, tokens)
        if renamed != path.name:
            path.rename(path.with_name(renamed))
