"""stdout and stderr through a redactor while a command holds a secret (issue 22, M5): whatever
prints a server's answer, an error or a note cannot print a token, in any of its forms. An
error that ends the command is redacted on its way out to the one-line printer."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator
from typing import TextIO

from checks.errors import DoctorError


class RedactedStream:
    """A text stream that writes what it is given with every known secret masked."""

    def __init__(self, stream: TextIO, redact: Callable[[str], str]) -> None:
        self._stream, self._redact = stream, redact

    def write(self, text: str) -> int:
        self._stream.write(self._redact(text))
        return len(text)

    def flush(self) -> None:
        self._stream.flush()

    def __getattr__(self, name: str) -> object:
        return getattr(self._stream, name)


@contextlib.contextmanager
def redacted_output(redact: Callable[[str], str] | None) -> Iterator[None]:
    """Inside: stdout and stderr redacted; a DoctorError leaving has its message redacted."""
    if redact is None:
        yield
        return
    out, err = sys.stdout, sys.stderr
    sys.stdout = RedactedStream(out, redact)  # type: ignore[assignment]
    sys.stderr = RedactedStream(err, redact)  # type: ignore[assignment]
    try:
        yield
    except DoctorError as error:
        error.message = redact(error.message)
        error.args = (error.message,)
        raise
    finally:
        sys.stdout, sys.stderr = out, err
