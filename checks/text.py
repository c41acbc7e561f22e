"""Text written by others (event messages, logs, model-server answers, object names, S3 keys) made
safe for a terminal or a document: control characters, escape sequences and bidirectional
overrides are shown, never obeyed. A clipboard-writing OSC 52 sequence prints as `␛]52;…`."""

from __future__ import annotations

import re

ESCAPE = "\x1b"
BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f" + "".join(sorted(BIDI)) + "]")


def _shown(match: re.Match[str]) -> str:
    char = match.group(0)
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)  # the Control Pictures block: ␛, ␀, ␇, ␍ ...
    if code == 0x7F:
        return "␡"
    if code <= 0x9F:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}"


def visible(text: str) -> str:
    """The text with every control character but newline and tab made visible."""
    return _UNSAFE.sub(_shown, text)


def one_line(text: str) -> str:
    """For a table cell: visible, and on one line."""
    return visible(text.replace("\r\n", " ").replace("\n", " ").replace("\t", " "))
